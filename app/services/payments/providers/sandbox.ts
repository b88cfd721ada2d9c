// The sandbox provider: behaves like a real one (references, declines, outages, refunds) without
// moving money, and settles at once. Its ledger is the payment_sandbox schema, written on a
// connection of its own and committed before it answers, like a remote provider's database, so a
// crash of the caller after a charge cannot make it forget the charge.
//
// Test tokens: "tok_sandbox_decline" is declined (insufficient funds); "tok_sandbox_unavailable"
// fails as an outage; any other token succeeds. Refunds return the whole charge.
import { randomUUID } from "crypto";
import type { QueryResultRow } from "pg";
import { InvalidRequest, ProviderRejected, ProviderUnavailable, ReferenceConflict, WebhookRejected } from "./errors";
import type { KeyReader, KeysOf } from "./secrets";
import type {
    AttemptRef,
    Initiated,
    InitiateRequest,
    Money,
    PaymentProvider,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
    WebhookEvent,
} from "./types";
import { checkAmount } from "./wire";

export const SANDBOX_TOKENS = { decline: "tok_sandbox_decline", unavailable: "tok_sandbox_unavailable" } as const;

/** What the sandbox needs of a database: the functions' Database and a pg Pool both fit. */
export interface LedgerDatabase {
    query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
}

interface ChargeRow {
    charge_id: string;
    amount_minor: string;
    currency: string;
    status: "succeeded" | "declined" | "refunded";
    decline_reason: string | null;
}

const CHARGE_COLUMNS = "charge_id, amount_minor, currency, status, decline_reason";
const REFUND_PREFIX = "re_";

export class SandboxProvider implements PaymentProvider {
    readonly name = "sandbox" as const;
    readonly capabilities = { partialRefunds: false, refundQuery: true, webhooks: false };

    constructor(
        private readonly ledger: LedgerDatabase,
        private readonly keys: KeyReader<KeysOf<"sandbox">>,
    ) {}

    async initiate(request: InitiateRequest): Promise<Initiated> {
        await this.authenticate();
        checkAmount(this.name, request.amount);
        if (request.payer.token === SANDBOX_TOKENS.unavailable)
            throw new ProviderUnavailable(this.name, "sandbox provider unavailable");
        const declined = request.payer.token === SANDBOX_TOKENS.decline;
        await this.ledger.query(
            `INSERT INTO payment_sandbox.charges (charge_id, idempotency_key, amount_minor, currency, customer_ref, status, decline_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (idempotency_key) DO NOTHING`,
            [
                `ch_sandbox_${randomUUID().replace(/-/g, "")}`,
                request.reference,
                request.amount.amountMinor,
                request.amount.currency,
                request.customerId,
                declined ? "declined" : "succeeded",
                declined ? "insufficient_funds" : null,
            ],
        );
        // The first charge under the reference, whoever made it: a retry gets it back.
        const row = (await this.chargeByReference(request.reference))!;
        const charged = moneyOf(row);
        if (charged.amountMinor !== request.amount.amountMinor || charged.currency !== request.amount.currency) {
            throw new ReferenceConflict(
                this.name,
                `reference ${request.reference} was used for ${charged.amountMinor} ${charged.currency}`,
            );
        }
        return row.status === "succeeded"
            ? { providerReference: row.charge_id, next: { type: "none" }, state: "succeeded" }
            : {
                  providerReference: row.charge_id,
                  next: { type: "none" },
                  state: "failed",
                  failureReason: row.decline_reason ?? row.status,
              };
    }

    async query(attempt: AttemptRef): Promise<PaymentStatus> {
        const row = await this.chargeByReference(attempt.reference);
        if (!row) return { state: "not_found" };
        if (row.status === "declined")
            return { state: "failed", amount: moneyOf(row), failureReason: row.decline_reason ?? "declined" };
        return { state: "succeeded", amount: moneyOf(row), transactionId: row.charge_id };
    }

    async refund(request: RefundRequest): Promise<RefundStatus> {
        await this.authenticate();
        checkAmount(this.name, request.amount);
        const chargeId = request.payment.transactionId;
        const before = await this.chargeById(chargeId);
        if (!before) throw new ProviderRejected(this.name, `no charge ${chargeId}`);
        const charged = moneyOf(before);
        if (charged.amountMinor !== request.amount.amountMinor || charged.currency !== request.amount.currency)
            throw new InvalidRequest(this.name, "the sandbox refunds whole charges only");
        await this.ledger.query(
            "UPDATE payment_sandbox.charges SET status = 'refunded', refunded_at = now() WHERE charge_id = $1 AND status = 'succeeded'",
            [chargeId],
        );
        return this.queryRefund({ ...request, providerRefundId: `${REFUND_PREFIX}${chargeId}` });
    }

    async queryRefund(request: RefundRequest & { providerRefundId: string }): Promise<RefundStatus> {
        const row = await this.chargeById(request.providerRefundId.slice(REFUND_PREFIX.length));
        if (row?.status === "declined")
            throw new ProviderRejected(this.name, `charge ${row.charge_id} was declined: nothing to refund`);
        return {
            state: row?.status === "refunded" ? "succeeded" : "failed",
            providerRefundId: request.providerRefundId,
            amount: row ? moneyOf(row) : request.amount,
            failureReason: row?.status === "refunded" ? undefined : "no such refund",
        };
    }

    async parseWebhook(): Promise<WebhookEvent> {
        throw new WebhookRejected(this.name, "unauthenticated", "the sandbox sends no webhooks");
    }

    /** A live key here means the stack is misconfigured: refuse rather than pretend to charge. */
    private async authenticate(): Promise<void> {
        const { apiKey } = await this.keys(false);
        if (!apiKey.startsWith("sk_sandbox_"))
            throw new ProviderRejected(this.name, "the sandbox payment provider needs a sandbox key (sk_sandbox_...)");
    }

    private async chargeByReference(reference: string): Promise<ChargeRow | undefined> {
        const [row] = await this.ledger.query<ChargeRow>(
            `SELECT ${CHARGE_COLUMNS} FROM payment_sandbox.charges WHERE idempotency_key = $1`,
            [reference],
        );
        return row;
    }

    private async chargeById(chargeId: string): Promise<ChargeRow | undefined> {
        const [row] = await this.ledger.query<ChargeRow>(
            `SELECT ${CHARGE_COLUMNS} FROM payment_sandbox.charges WHERE charge_id = $1`,
            [chargeId],
        );
        return row;
    }
}

function moneyOf(row: ChargeRow): Money {
    return { amountMinor: Number(row.amount_minor), currency: row.currency };
}
