-- Orders, their lines, shopping carts, abandoned-cart reminders and the order pipeline's outbox.

-- The order id is chosen by the API when it accepts the order (it answers 202 with it), so the
-- primary key is what makes a redelivered message unable to create a second order.
-- An erased customer's orders are kept (tax and accounting records) without who placed them:
-- customer_erased_at says so, and the contact columns are empty (app/services/README.md).
CREATE TABLE orders.orders (
    order_id           uuid PRIMARY KEY,
    customer_id        text NOT NULL,
    customer_email     text,
    customer_phone     text,
    customer_erased_at timestamptz,
    status             text NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    rejection_reason   text,
    currency           char(3) REFERENCES catalog.currencies (currency),
    total_minor        bigint CHECK (total_minor >= 0),
    cart_id            uuid,
    placed_at          timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_rejection_has_reason CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
    CONSTRAINT orders_confirmed_has_total CHECK (status <> 'confirmed' OR (total_minor IS NOT NULL AND currency IS NOT NULL)),
    CONSTRAINT orders_contact_until_erased CHECK (
        (customer_erased_at IS NULL AND customer_email IS NOT NULL)
        OR (customer_erased_at IS NOT NULL AND customer_email IS NULL AND customer_phone IS NULL))
);
CREATE INDEX orders_by_customer ON orders.orders (customer_id, placed_at DESC);

CREATE TABLE orders.order_lines (
    order_id         uuid NOT NULL REFERENCES orders.orders (order_id),
    line_no          integer NOT NULL CHECK (line_no > 0),
    sku              text NOT NULL REFERENCES catalog.skus (sku),
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, sku)
);

-- Transactional outbox: messages to send once the transaction that decided them has committed.
-- The dedupe key makes "enqueue X for this order" happen at most once per order, however often
-- the order message is redelivered.
CREATE TABLE orders.outbox (
    id          bigserial PRIMARY KEY,
    dedupe_key  text NOT NULL UNIQUE,
    destination text NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON orders.outbox (created_at) WHERE sent_at IS NULL;

-- Shopping carts (written by the orders service) and the reminders sent for abandoned ones.
CREATE TABLE orders.carts (
    cart_id        uuid PRIMARY KEY,
    customer_id    text NOT NULL,
    customer_email text,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered', 'expired')),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_open_by_activity ON orders.carts (updated_at) WHERE status = 'open';
CREATE INDEX carts_by_customer ON orders.carts (customer_id);

CREATE TABLE orders.cart_items (
    cart_id  uuid NOT NULL REFERENCES orders.carts (cart_id) ON DELETE CASCADE,
    sku      text NOT NULL REFERENCES catalog.skus (sku),
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cart_id, sku)
);

-- One reminder per cart, ever: the primary key is the claim, so overlapping sweeps cannot both
-- take a cart. enqueued_at is set in the same transaction that sent it; a claim without it was
-- interrupted before the send and is finished by the next sweep.
CREATE TABLE orders.cart_reminders (
    cart_id     uuid PRIMARY KEY REFERENCES orders.carts (cart_id) ON DELETE CASCADE,
    idle_since  timestamptz NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    enqueued_at timestamptz
);
CREATE INDEX cart_reminders_pending ON orders.cart_reminders (claimed_at) WHERE enqueued_at IS NULL;
