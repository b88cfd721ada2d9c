// The sandbox payment provider: behaves like a real one (idempotency keys, declines, outages)
// without moving money. Its ledger is the payment_sandbox schema, written on its own
// connection and committed before charge() returns, like a remote provider's database, so a
// crash of the caller after a charge cannot make it forget the charge.
//
// Test tokens: "tok_sandbox_decline" is declined (insufficient funds); "tok_sandbox_unavailable"
// fails as an outage; any other token succeeds.
import { randomUUID } from "crypto";
import type { Database } from "../shared/db";
import {
    IdempotencyConflict,
    PaymentUnavailable,
    type ChargeRequest,
    type ChargeResult,
    type PaymentProvider,
} from "./payments";

interface ChargeRow {
    charge_id: string;
    amount_minor: string;
    currency: string;
    status: "succeeded" | "declined" | "refunded";
    decline_reason: string | null;
}

export class SandboxPaymentProvider implements PaymentProvider {
    readonly name = "sandbox";

    constructor(
        private readonly ledger: Database,
        apiKey: string,
    ) {
        // A live key here means the stack is misconfigured: refuse rather than pretend to charge.
        if (!apiKey.startsWith("sk_sandbox_"))
            throw new Error("the sandbox payment provider needs a sandbox key (sk_sandbox_...)");
    }

    async charge(request: ChargeRequest): Promise<ChargeResult> {
        if (request.paymentToken === "tok_sandbox_unavailable")
            throw new PaymentUnavailable("sandbox provider unavailable");
        const declined = request.paymentToken === "tok_sandbox_decline";
        await this.ledger.query(
            `INSERT INTO payment_sandbox.charges (charge_id, idempotency_key, amount_minor, currency, customer_ref, status, decline_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (idempotency_key) DO NOTHING`,
            [
                `ch_sandbox_${randomUUID().replace(/-/g, "")}`,
                request.idempotencyKey,
                request.amountMinor,
                request.currency,
                request.customerRef,
                declined ? "declined" : "succeeded",
                declined ? "insufficient_funds" : null,
            ],
        );
        const [row] = await this.ledger.query<ChargeRow>(
            "SELECT charge_id, amount_minor, currency, status, decline_reason FROM payment_sandbox.charges WHERE idempotency_key = $1",
            [request.idempotencyKey],
        );
        if (Number(row.amount_minor) !== request.amountMinor || row.currency !== request.currency) {
            throw new IdempotencyConflict(
                `idempotency key ${request.idempotencyKey} was used for ${row.amount_minor} ${row.currency}`,
            );
        }
        return row.status === "succeeded"
            ? { status: "succeeded", chargeId: row.charge_id }
            : { status: "declined", chargeId: row.charge_id, reason: row.decline_reason ?? row.status };
    }

    async refundByKey(idempotencyKey: string): Promise<boolean> {
        const rows = await this.ledger.query(
            `UPDATE payment_sandbox.charges SET status = 'refunded', refunded_at = now()
             WHERE idempotency_key = $1 AND status = 'succeeded' RETURNING charge_id`,
            [idempotencyKey],
        );
        return rows.length > 0;
    }
}
