-- The application's roles, one per service and per function that uses PostgreSQL, each granted
-- exactly what its code does and nothing else: no DDL, no other context's tables unless listed,
-- no DELETE where data is archived. The list is app/db/roles.ts; how each role logs in (rds_iam
-- on Aurora, a password locally) is set by the migrator after the migrations (app/db/migrate.ts).
-- Roles belong to the cluster, not the database: they are created once and kept.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['svc_catalog', 'svc_orders', 'svc_users', 'svc_payments',
                                      'fn_order_processor', 'fn_cart_abandonment'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', role_name);
        END IF;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
    END LOOP;
END $$;

-- svc_catalog: reads the whole catalogue; writes products, SKUs, prices, images and stock
-- levels (never `reserved`, the order pipeline's); archives instead of deleting, except a price
-- withdrawn from a currency and an image taken off a product.
GRANT USAGE ON SCHEMA catalog, extensions TO svc_catalog;
GRANT SELECT ON ALL TABLES IN SCHEMA catalog TO svc_catalog;
GRANT INSERT, UPDATE ON catalog.categories, catalog.products, catalog.skus TO svc_catalog;
GRANT INSERT, UPDATE, DELETE ON catalog.prices, catalog.product_images TO svc_catalog;
GRANT INSERT ON catalog.stock TO svc_catalog;
GRANT UPDATE (on_hand, low_stock_threshold, updated_at) ON catalog.stock TO svc_catalog;

-- svc_users: the profiles and addresses; a customer's orders and carts to export them; on
-- erasure, the orders' contact columns and the carts (their items and reminders cascade).
GRANT USAGE ON SCHEMA users, orders, catalog TO svc_users;
GRANT SELECT, INSERT, UPDATE, DELETE ON users.profiles, users.addresses TO svc_users;
GRANT SELECT ON orders.orders, orders.order_lines, orders.carts, orders.cart_items TO svc_users;
GRANT UPDATE (customer_id, customer_email, customer_phone, customer_erased_at) ON orders.orders TO svc_users;
GRANT DELETE ON orders.carts TO svc_users;
GRANT SELECT ON catalog.currencies TO svc_users;

-- svc_orders: the customers' carts, their orders to show them, the catalogue to check lines.
GRANT USAGE ON SCHEMA orders, catalog TO svc_orders;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.carts, orders.cart_items TO svc_orders;
GRANT SELECT ON orders.orders, orders.order_lines TO svc_orders;
GRANT SELECT ON catalog.products, catalog.skus, catalog.prices, catalog.stock, catalog.currencies TO svc_orders;

-- svc_payments: the charges recorded for orders.
GRANT USAGE ON SCHEMA payments TO svc_payments;
GRANT SELECT ON payments.charges TO svc_payments;

-- fn_order_processor: places orders (order-book.ts): reads SKUs and their prices, reserves stock,
-- writes the order, its lines, its charge and its outbox rows, marks the cart ordered; and the
-- sandbox provider's ledger.
GRANT USAGE ON SCHEMA orders, catalog, payments, payment_sandbox TO fn_order_processor;
GRANT SELECT ON catalog.products, catalog.skus, catalog.prices, catalog.stock TO fn_order_processor;
GRANT UPDATE (reserved, updated_at) ON catalog.stock TO fn_order_processor;
GRANT SELECT, INSERT ON orders.orders, orders.order_lines TO fn_order_processor;
GRANT SELECT, INSERT ON orders.outbox TO fn_order_processor;
GRANT UPDATE (sent_at) ON orders.outbox TO fn_order_processor;
GRANT USAGE ON SEQUENCE orders.outbox_id_seq TO fn_order_processor;
GRANT SELECT ON orders.carts TO fn_order_processor;
GRANT UPDATE (status, updated_at) ON orders.carts TO fn_order_processor;
GRANT SELECT, INSERT ON payments.charges TO fn_order_processor;
GRANT SELECT, INSERT ON payment_sandbox.charges TO fn_order_processor;
GRANT UPDATE (status, refunded_at) ON payment_sandbox.charges TO fn_order_processor;

-- fn_cart_abandonment: finds idle carts and their items' names, claims and marks reminders.
GRANT USAGE ON SCHEMA orders, catalog TO fn_cart_abandonment;
GRANT SELECT ON orders.carts, orders.cart_items TO fn_cart_abandonment;
GRANT SELECT, INSERT ON orders.cart_reminders TO fn_cart_abandonment;
GRANT UPDATE (enqueued_at) ON orders.cart_reminders TO fn_cart_abandonment;
GRANT SELECT ON catalog.skus TO fn_cart_abandonment;
