-- Shopping carts (written by the services) and the reminders sent for abandoned ones.

CREATE TABLE carts (
    cart_id        uuid PRIMARY KEY,
    customer_id    text NOT NULL,
    customer_email text,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered', 'expired')),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_open_by_activity ON carts (updated_at) WHERE status = 'open';

CREATE TABLE cart_items (
    cart_id  uuid NOT NULL REFERENCES carts (cart_id) ON DELETE CASCADE,
    sku      text NOT NULL REFERENCES inventory (sku),
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cart_id, sku)
);

-- One reminder per cart, ever: the primary key is the claim, so overlapping sweeps cannot both
-- take a cart. enqueued_at is set in the same transaction that sent it; a claim without it was
-- interrupted before the send and is finished by the next sweep.
CREATE TABLE cart_reminders (
    cart_id     uuid PRIMARY KEY REFERENCES carts (cart_id) ON DELETE CASCADE,
    idle_since  timestamptz NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    enqueued_at timestamptz
);
CREATE INDEX cart_reminders_pending ON cart_reminders (claimed_at) WHERE enqueued_at IS NULL;
