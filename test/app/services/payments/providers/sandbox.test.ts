import * as assert from "assert";
import { randomUUID } from "crypto";
import type { Pool } from "pg";
import { SandboxPaymentProvider } from "../../../../../app/functions/order-processor/payment-sandbox";
import { IdempotencyConflict, PaymentUnavailable } from "../../../../../app/functions/order-processor/payments";
import {
    InvalidRequest,
    ProviderRejected,
    ProviderUnavailable,
    ReferenceConflict,
    WebhookRejected,
} from "../../../../../app/services/payments/providers/errors";
import {
    SANDBOX_TOKENS,
    SandboxProvider,
    type LedgerDatabase,
} from "../../../../../app/services/payments/providers/sandbox";
import { settle } from "../../../../../app/services/payments/providers/settle";
import type { InitiateRequest } from "../../../../../app/services/payments/providers/types";
import { adminPool, freshSchema } from "../../../support/postgres";
import { testServices } from "../../../support/services";

describe("sandbox provider (PostgreSQL ledger)", function () {
    const amount = { amountMinor: 24_900, currency: "ZAR" };
    let pool: Pool;
    let ledger: LedgerDatabase;
    let sandbox: SandboxProvider;

    const request = (overrides: Partial<InitiateRequest> = {}): InitiateRequest => ({
        reference: `order:${randomUUID()}`,
        amount,
        payer: { token: "tok_sandbox_visa" },
        customerId: "cust-za-1",
        description: "Order",
        ...overrides,
    });
    const charges = async () =>
        (await pool.query("SELECT idempotency_key, status FROM payment_sandbox.charges ORDER BY created_at")).rows;

    before(async function () {
        const services = testServices();
        await freshSchema(services);
        pool = adminPool(services);
        ledger = { query: async (text, values) => (await pool.query(text, values)).rows };
        sandbox = new SandboxProvider(ledger, async () => ({ apiKey: "sk_sandbox_test_key" }));
    });

    beforeEach(async function () {
        await pool.query("TRUNCATE payment_sandbox.charges");
    });

    after(async function () {
        await pool?.end();
    });

    it("settles at once and keys each charge on the reference: a retry gets the first charge back", async function () {
        const paid = request();
        const first = await sandbox.initiate(paid);
        assert.deepStrictEqual(
            { ...first, providerReference: undefined },
            {
                providerReference: undefined,
                next: { type: "none" },
                state: "succeeded",
            },
        );
        assert.deepStrictEqual(await sandbox.initiate(paid), first);
        await assert.rejects(
            sandbox.initiate({ ...paid, amount: { amountMinor: 1, currency: "ZAR" } }),
            (error: Error) => error instanceof ReferenceConflict && /was used for 24900 ZAR/.test(error.message),
        );
        const status = await sandbox.query({ reference: paid.reference, providerReference: first.providerReference });
        assert.deepStrictEqual(settle(amount, status), { outcome: "paid", transactionId: first.providerReference });
        assert.strictEqual((await charges()).length, 1);
    });

    it("declines, fails as an outage, and answers unknown references", async function () {
        const declined = request({ payer: { token: SANDBOX_TOKENS.decline } });
        assert.deepStrictEqual((await sandbox.initiate(declined)).failureReason, "insufficient_funds");
        const status = await sandbox.query({ reference: declined.reference, providerReference: "" });
        assert.deepStrictEqual(settle(amount, status), { outcome: "failed", reason: "insufficient_funds" });
        await assert.rejects(
            sandbox.initiate(request({ payer: { token: SANDBOX_TOKENS.unavailable } })),
            ProviderUnavailable,
        );
        assert.deepStrictEqual(await sandbox.query({ reference: "never", providerReference: "never" }), {
            state: "not_found",
        });
        assert.strictEqual((await charges()).length, 1);
    });

    it("refunds a whole charge, once however often asked; refuses partial refunds and declined charges", async function () {
        const paid = request();
        const { providerReference } = await sandbox.initiate(paid);
        const payment = { reference: paid.reference, providerReference, transactionId: providerReference, amount };
        await assert.rejects(
            sandbox.refund({ refundReference: "rf-1", payment, amount: { amountMinor: 100, currency: "ZAR" } }),
            InvalidRequest,
        );
        const refund = await sandbox.refund({ refundReference: "rf-1", payment, amount });
        assert.deepStrictEqual(refund, {
            state: "succeeded",
            providerRefundId: `re_${providerReference}`,
            amount,
            failureReason: undefined,
        });
        assert.deepStrictEqual(await sandbox.refund({ refundReference: "rf-1", payment, amount }), refund);
        assert.deepStrictEqual(
            await sandbox.queryRefund({
                refundReference: "rf-1",
                payment,
                amount,
                providerRefundId: refund.providerRefundId,
            }),
            refund,
        );
        assert.deepStrictEqual(
            (await charges()).map((c) => c.status),
            ["refunded"],
        );

        const declined = await sandbox.initiate(request({ payer: { token: SANDBOX_TOKENS.decline } }));
        await assert.rejects(
            sandbox.refund({
                refundReference: "rf-2",
                payment: { ...payment, transactionId: declined.providerReference },
                amount,
            }),
            /was declined: nothing to refund/,
        );
    });

    it("sends no webhooks, and refuses to run with a key that is not a sandbox key", async function () {
        await assert.rejects(sandbox.parseWebhook(), WebhookRejected);
        const live = new SandboxProvider(ledger, async () => ({ apiKey: "sk_live_realmoney" }));
        await assert.rejects(live.initiate(request()), ProviderRejected);
        assert.strictEqual((await charges()).length, 0);
    });

    it("still serves the order processor's charge interface, refunds included", async function () {
        const processor = new SandboxPaymentProvider(ledger, "sk_sandbox_test_key");
        const key = `order:${randomUUID()}`;
        const charge = {
            idempotencyKey: key,
            amountMinor: 24_900,
            currency: "ZAR",
            customerRef: "c",
            paymentToken: "tok_sandbox_visa",
        };
        const charged = await processor.charge(charge);
        assert.strictEqual(charged.status, "succeeded");
        assert.deepStrictEqual(await processor.charge(charge), charged);
        await assert.rejects(processor.charge({ ...charge, amountMinor: 1 }), IdempotencyConflict);
        await assert.rejects(
            processor.charge({ ...charge, idempotencyKey: "k2", paymentToken: SANDBOX_TOKENS.unavailable }),
            PaymentUnavailable,
        );
        assert.strictEqual(await processor.refundByKey(key), true);
        assert.strictEqual(await processor.refundByKey("order:never-charged"), false);
        assert.deepStrictEqual(await charges(), [{ idempotency_key: key, status: "refunded" }]);
        // A refunded charge is no longer a payment: the redelivered order is told so.
        assert.deepStrictEqual(await processor.charge(charge), {
            status: "declined",
            chargeId: charged.chargeId,
            reason: "refunded",
        });
    });
});
