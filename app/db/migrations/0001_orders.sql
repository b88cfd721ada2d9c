-- Orders, their lines, stock and the charges that paid for them.
-- Money is an integer count of the currency's minor unit (cents, kobo...), never a float.

CREATE TABLE inventory (
    sku                 text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{0,63}$'),
    name                text NOT NULL,
    price_minor         bigint NOT NULL CHECK (price_minor >= 0),
    currency            char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    on_hand             integer NOT NULL CHECK (on_hand >= 0),
    reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Overselling is impossible whatever the code does.
    CONSTRAINT inventory_reserved_within_stock CHECK (reserved <= on_hand)
);

-- The order id is chosen by the API when it accepts the order (it answers 202 with it), so the
-- primary key is what makes a redelivered message unable to create a second order.
CREATE TABLE orders (
    order_id         uuid PRIMARY KEY,
    customer_id      text NOT NULL,
    customer_email   text NOT NULL,
    customer_phone   text,
    status           text NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    rejection_reason text,
    currency         char(3),
    total_minor      bigint CHECK (total_minor >= 0),
    cart_id          uuid,
    placed_at        timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_rejection_has_reason CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
    CONSTRAINT orders_confirmed_has_total CHECK (status <> 'confirmed' OR (total_minor IS NOT NULL AND currency IS NOT NULL))
);

CREATE TABLE order_lines (
    order_id         uuid NOT NULL REFERENCES orders (order_id),
    line_no          integer NOT NULL CHECK (line_no > 0),
    sku              text NOT NULL REFERENCES inventory (sku),
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, sku)
);

-- One charge per order (the provider was called with the order's idempotency key), and a
-- provider's charge can pay for one order only.
CREATE TABLE payments (
    order_id        uuid PRIMARY KEY REFERENCES orders (order_id),
    provider        text NOT NULL,
    charge_id       text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    currency        char(3) NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, charge_id)
);

-- Transactional outbox: messages to send once the transaction that decided them has committed.
-- The dedupe key makes "enqueue X for this order" happen at most once per order, however often
-- the order message is redelivered.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    dedupe_key  text NOT NULL UNIQUE,
    destination text NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

-- The payment sandbox's own ledger. In production this is the provider's database; the sandbox
-- keeps it here, committed independently of any order transaction, so that a crash after a
-- charge cannot make the "provider" forget it (exactly like a real provider).
CREATE SCHEMA payment_sandbox;
CREATE TABLE payment_sandbox.charges (
    charge_id       text PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    currency        char(3) NOT NULL,
    customer_ref    text NOT NULL,
    status          text NOT NULL CHECK (status IN ('succeeded', 'declined', 'refunded')),
    decline_reason  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    refunded_at     timestamptz
);
