-- Customers' profiles and addresses, keyed by the Cognito user's subject (the token's `sub`).

CREATE TABLE users.profiles (
    customer_id          text PRIMARY KEY CHECK (length(customer_id) BETWEEN 1 AND 128),
    -- Verified by Cognito: set only from a Cognito-signed ID token (PUT /users/me/email).
    email                text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    name                 text CHECK (length(name) BETWEEN 1 AND 200),
    phone                text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    locale               text CHECK (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
    preferred_currency   char(3) REFERENCES catalog.currencies (currency),
    -- The customer's current choice and when it was last made (given or withdrawn).
    marketing_consent    boolean NOT NULL DEFAULT false,
    marketing_consent_at timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT profiles_consent_is_dated CHECK (NOT marketing_consent OR marketing_consent_at IS NOT NULL)
);
CREATE INDEX profiles_by_email ON users.profiles (lower(email));
CREATE INDEX profiles_by_phone ON users.profiles (phone);

-- African addresses often have no postal code; a landmark or delivery instructions and a phone
-- number reach the door instead.
CREATE TABLE users.addresses (
    address_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id  text NOT NULL REFERENCES users.profiles (customer_id) ON DELETE CASCADE,
    label        text CHECK (length(label) BETWEEN 1 AND 50),
    recipient    text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 200),
    phone        text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    country      char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    region       text NOT NULL CHECK (length(region) BETWEEN 1 AND 100),
    city         text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    street       text NOT NULL CHECK (length(street) BETWEEN 1 AND 300),
    postal_code  text CHECK (length(postal_code) BETWEEN 1 AND 20),
    landmark     text CHECK (length(landmark) BETWEEN 1 AND 500),
    is_default   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_by_customer ON users.addresses (customer_id, created_at);
-- One default address per customer.
CREATE UNIQUE INDEX addresses_one_default ON users.addresses (customer_id) WHERE is_default;
