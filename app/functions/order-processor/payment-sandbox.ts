// The order processor's charge interface over the sandbox provider of the payments module
// (app/services/payments/providers/sandbox.ts), which holds the ledger: the charge is an initiate
// that settles at once, keyed on the order's idempotency key.
import { ProviderUnavailable, ReferenceConflict } from "../../services/payments/providers/errors";
import { SandboxProvider, type LedgerDatabase } from "../../services/payments/providers/sandbox";
import {
    IdempotencyConflict,
    PaymentUnavailable,
    type ChargeRequest,
    type ChargeResult,
    type PaymentProvider,
} from "./payments";

export class SandboxPaymentProvider implements PaymentProvider {
    readonly name = "sandbox";
    private readonly sandbox: SandboxProvider;

    constructor(ledger: LedgerDatabase, apiKey: string) {
        this.sandbox = new SandboxProvider(ledger, async () => ({ apiKey }));
    }

    async charge(request: ChargeRequest): Promise<ChargeResult> {
        const amount = { amountMinor: request.amountMinor, currency: request.currency };
        const initiated = await this.sandbox
            .initiate({
                reference: request.idempotencyKey,
                amount,
                payer: { token: request.paymentToken },
                customerId: request.customerRef,
                description: request.idempotencyKey,
            })
            .catch((error: unknown) => {
                if (error instanceof ProviderUnavailable) throw new PaymentUnavailable(error.message);
                if (error instanceof ReferenceConflict) throw new IdempotencyConflict(error.message);
                throw error;
            });
        return initiated.state === "succeeded"
            ? { status: "succeeded", chargeId: initiated.providerReference }
            : {
                  status: "declined",
                  chargeId: initiated.providerReference,
                  reason: initiated.failureReason ?? "declined",
              };
    }

    async refundByKey(idempotencyKey: string): Promise<boolean> {
        const attempt = { reference: idempotencyKey, providerReference: idempotencyKey };
        const paid = await this.sandbox.query(attempt);
        if (paid.state !== "succeeded") return false;
        const refund = await this.sandbox.refund({
            refundReference: `refund:${idempotencyKey}`,
            payment: { ...attempt, transactionId: paid.transactionId!, amount: paid.amount! },
            amount: paid.amount!,
        });
        return refund.state === "succeeded";
    }
}
