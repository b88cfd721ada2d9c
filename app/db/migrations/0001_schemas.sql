-- One schema per bounded context: the catalogue, orders (with carts), customers' profiles, and
-- payments; the payment sandbox's ledger stands in for a provider's own database. Extensions live
-- in a schema of their own, so that no application role needs anything in `public` (which holds
-- only the migrator's schema_migrations).
-- The migrator (the master user) owns every schema and table; the application roles (0006) get
-- exactly the privileges they use and can change no structure.

CREATE SCHEMA catalog;
CREATE SCHEMA orders;
CREATE SCHEMA users;
CREATE SCHEMA payments;
CREATE SCHEMA payment_sandbox;

CREATE SCHEMA extensions;
-- Typo-tolerant search (trigram similarity); an extension Aurora PostgreSQL allows rds_superuser to create.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;

-- Nothing is granted by default: not the right to create objects in public (PostgreSQL 15's
-- default already), nor to connect to this database (each role is granted CONNECT in 0006).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()); END $$;
