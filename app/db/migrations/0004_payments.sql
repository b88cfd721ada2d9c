-- One charge per order (the provider was called with the order's idempotency key), and a
-- provider's charge can pay for one order only.
CREATE TABLE payments.charges (
    order_id        uuid PRIMARY KEY REFERENCES orders.orders (order_id),
    provider        text NOT NULL,
    charge_id       text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    currency        char(3) NOT NULL REFERENCES catalog.currencies (currency),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, charge_id)
);

-- The payment sandbox's own ledger. In production this is the provider's database; the sandbox
-- keeps it here, committed independently of any order transaction, so that a crash after a
-- charge cannot make the "provider" forget it (exactly like a real provider).
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
