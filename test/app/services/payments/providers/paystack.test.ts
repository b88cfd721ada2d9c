import * as assert from "assert";
import {
    DuplicateReference,
    InvalidRequest,
    ProviderRejected,
    ProviderUnavailable,
    WebhookRejected,
} from "../../../../../app/services/payments/providers/errors";
import { PaystackProvider, refundNote } from "../../../../../app/services/payments/providers/paystack";
import { settle } from "../../../../../app/services/payments/providers/settle";
import type { InitiateRequest, WebhookEvent } from "../../../../../app/services/payments/providers/types";
import { simulatedCredentials } from "../../../../../app/simulators/payments/credentials";
import { PaystackSimulator } from "../../../../../app/simulators/payments/paystack";
import { WebhookReceiver, type Received } from "./support/receiver";

describe("Paystack adapter against the Paystack simulator (HTTP on loopback)", function () {
    const { secretKey } = simulatedCredentials().paystack;
    const http = { timeoutMs: 400, maxAttempts: 3, backoffMs: 10 };
    const order = { amountMinor: 1_500_000, currency: "NGN" };
    const receiver = new WebhookReceiver();
    let sim: PaystackSimulator;
    let paystack: PaystackProvider;
    let counter = 0;

    const newReference = () => `ord-${Date.now()}-${++counter}`;
    const initiate = (reference: string, overrides: Partial<InitiateRequest> = {}) =>
        paystack.initiate({
            reference,
            amount: order,
            payer: { email: "ada@example.com.ng" },
            customerId: "cust-1",
            description: "Order 1001",
            returnUrl: "https://shop.example/checkout/return?order=1001",
            ...overrides,
        });
    /** What a browser does on the hosted page: open it, press a button, follow the redirect. */
    const customer = async (authorizationUrl: string, button: "approve" | "decline", form = "") => {
        const html = await (await fetch(authorizationUrl)).text();
        const response = await fetch(`${authorizationUrl}/${button}`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: form,
            redirect: "manual",
        });
        return { html, status: response.status, location: response.headers.get("location") ?? "" };
    };
    const parse = (received: Received) => paystack.parseWebhook(received);
    const paid = async (reference: string) => {
        const { next } = await initiate(reference);
        assert.strictEqual(next.type, "redirect");
        await customer(next.url, "approve");
        return (await paystack.query({ reference, providerReference: reference })).transactionId!;
    };

    before(async function () {
        const receiverUrl = await receiver.start();
        sim = new PaystackSimulator({
            secretKey,
            webhookUrl: `${receiverUrl}/payments/webhooks/paystack`,
            delivery: { retryDelayMs: 50 },
        });
        await sim.start();
        paystack = new PaystackProvider({ baseUrl: sim.url, http }, async () => ({ secretKey }));
    });

    beforeEach(function () {
        receiver.clear();
        sim.faults.clear();
    });

    after(async function () {
        await sim?.stop();
        await receiver.stop();
    });

    it("pays by card: hosted page, redirect back, a webhook signed over its raw bytes, confirmed by verify", async function () {
        const reference = newReference();
        const initiated = await initiate(reference);
        assert.strictEqual(initiated.state, "pending");
        assert.strictEqual(initiated.providerReference, reference);
        assert.ok(initiated.next.type === "redirect" && initiated.next.url.startsWith(`${sim.url}/checkout/`));
        const pending = await paystack.query({ reference, providerReference: reference });
        assert.deepStrictEqual(settle(order, pending), { outcome: "pending" });

        const visit = await customer(initiated.next.url, "approve");
        assert.match(visit.html, /₦15,000\.00/);
        assert.strictEqual(visit.status, 303);
        const back = new URL(visit.location);
        assert.strictEqual(back.origin + back.pathname, "https://shop.example/checkout/return");
        assert.deepStrictEqual(
            [back.searchParams.get("order"), back.searchParams.get("reference"), back.searchParams.get("trxref")],
            ["1001", reference, reference],
        );

        const [webhook] = await receiver.waitFor(1);
        assert.strictEqual(webhook.url, "/payments/webhooks/paystack");
        const event = await parse(webhook);
        assert.strictEqual(event.kind, "payment");
        assert.ok(event.kind === "payment");
        assert.strictEqual(event.verifiedBy, "signature");
        assert.strictEqual(event.reference, reference);
        assert.deepStrictEqual(event.claim.amount, order);
        assert.strictEqual(event.eventId, `charge.success:${event.claim.transactionId}`);

        const status = await paystack.query({ reference, providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), {
            outcome: "paid",
            transactionId: event.claim.transactionId,
        });
    });

    it("rejects a forged signature, a missing one, and a body changed after signing", async function () {
        sim.faults.event({ forge: true });
        await paid(newReference());
        const [forged] = await receiver.waitFor(1);
        await assert.rejects(parse(forged), (error: WebhookRejected) => error.reason === "unauthenticated");

        await paid(newReference());
        const [, genuine] = await receiver.waitFor(2);
        await parse(genuine); // accepted as it came
        const unsigned = { ...genuine, headers: { ...genuine.headers, "x-paystack-signature": undefined } };
        await assert.rejects(parse(unsigned), /no x-paystack-signature header/);
        // The same JSON, other bytes: the signature covers the bytes, not the parsed value.
        const reformatted = Buffer.from(JSON.stringify(JSON.parse(genuine.rawBody.toString()), null, 2));
        await assert.rejects(parse({ ...genuine, rawBody: reformatted }), /signature does not match/);
        const tampered = Buffer.from(genuine.rawBody.toString().replace(/"amount":\d+/, '"amount":100'));
        await assert.rejects(parse({ ...genuine, rawBody: tampered }), /signature does not match/);
    });

    it("detects a wrong amount or currency: what the provider collected is not the order's → needs_review", async function () {
        const reference = newReference();
        const { next } = await initiate(reference);
        assert.ok(next.type === "redirect");
        await customer(next.url, "approve", "amountMinor=1000000"); // ₦10,000 paid for a ₦15,000 order
        const status = await paystack.query({ reference, providerReference: reference });
        assert.deepStrictEqual(settle(order, status), {
            outcome: "needs_review",
            reason: "the provider reports 1000000 NGN (minor units) paid; the order is 1500000 NGN (minor units)",
        });

        const inGhs = newReference();
        const ghs = await initiate(inGhs, { amount: { amountMinor: order.amountMinor, currency: "GHS" } });
        assert.ok(ghs.next.type === "redirect");
        await customer(ghs.next.url, "approve");
        const ghsStatus = await paystack.query({ reference: inGhs, providerReference: inGhs });
        assert.strictEqual(settle(order, ghsStatus).outcome, "needs_review");

        // A webhook claiming another amount than verify reports is flagged too.
        receiver.clear();
        sim.faults.event({ amountMinor: 1 });
        const claimed = newReference();
        await paid(claimed);
        const [webhook] = await receiver.waitFor(1);
        const event = (await parse(webhook)) as Extract<WebhookEvent, { kind: "payment" }>;
        const verified = await paystack.query({ reference: claimed, providerReference: claimed });
        assert.deepStrictEqual(settle(order, verified, event.claim), {
            outcome: "needs_review",
            reason: "the webhook reports 1 NGN (minor units) paid; the order is 1500000 NGN (minor units)",
        });
    });

    it("recognises duplicate deliveries by the provider's event id", async function () {
        sim.faults.event({ duplicates: 2 });
        const first = newReference();
        await paid(first);
        await paid(newReference());
        const received = await receiver.waitFor(4);
        const ids = await Promise.all(received.map(async (webhook) => (await parse(webhook)).eventId));
        assert.strictEqual(new Set(ids).size, 2, `ids: ${ids.join(", ")}`);
        const firstId = ids[received.findIndex((webhook) => webhook.rawBody.includes(first))];
        assert.strictEqual(ids.filter((id) => id === firstId).length, 3);
    });

    it("settles an attempt whose webhook never arrives through verify (the reconciliation path)", async function () {
        sim.faults.event({ drop: true });
        const reference = newReference();
        await paid(reference);
        await sim.settled();
        assert.strictEqual(receiver.received.length, 0);
        assert.strictEqual(sim.deliveries.at(-1)!.state, "dropped");
        const status = await paystack.query({ reference, providerReference: reference });
        assert.strictEqual(settle(order, status).outcome, "paid");
    });

    it("redelivers a webhook the shop failed to take, and delivers late ones", async function () {
        receiver.answerWith(503, 500);
        const reference = newReference();
        await paid(reference);
        const [first, second, third] = await receiver.waitFor(3);
        assert.ok(first.rawBody.equals(second.rawBody) && second.rawBody.equals(third.rawBody));
        assert.strictEqual((await parse(third)).eventId, (await parse(first)).eventId);
        await sim.settled();
        assert.deepStrictEqual(
            sim.deliveries.at(-1)!.tries.map((t) => t.status),
            [503, 500, 200],
        );

        receiver.clear();
        sim.faults.event({ delayMs: 300 });
        const started = Date.now();
        await paid(newReference());
        await receiver.waitFor(1);
        assert.ok(Date.now() - started >= 300);
    });

    it("takes refund webhooks in any order: the refund's state comes from the provider", async function () {
        const reference = newReference();
        const transactionId = await paid(reference);
        await receiver.waitFor(1);
        sim.faults.event({ hold: true }, 2); // refund.pending, refund.processed
        const request = {
            refundReference: `rf-${reference}`,
            payment: { reference, providerReference: reference, transactionId, amount: order },
            amount: order,
            reason: "Order cancelled",
        };
        const refund = await paystack.refund(request);
        assert.strictEqual(refund.state, "pending");
        await sim.settled();
        assert.strictEqual(sim.releaseHeld("reverse"), 2);
        const [, processed, pending] = await receiver.waitFor(3);
        const events = [await parse(processed), await parse(pending)];
        assert.deepStrictEqual(
            events.map((e) => (e.kind === "refund" ? [e.paymentReference, e.claim.state] : e.kind)),
            [
                [reference, "succeeded"],
                [reference, "pending"],
            ],
        );
        // The late "pending" changes nothing: asked, the provider says processed.
        const now = await paystack.queryRefund({ ...request, providerRefundId: refund.providerRefundId });
        assert.strictEqual(now.state, "succeeded");
    });

    it("answers unknown references as such: verify finds nothing, and a signed event for one settles as unknown", async function () {
        assert.deepStrictEqual(await paystack.query({ reference: "never-made", providerReference: "never-made" }), {
            state: "not_found",
        });
        sim.emit("charge.success", {
            id: 1,
            reference: "ord-foreign-1",
            amount: 5000,
            currency: "NGN",
            status: "success",
        });
        const [webhook] = await receiver.waitFor(1);
        const event = await parse(webhook);
        assert.ok(event.kind === "payment");
        const status = await paystack.query({ reference: event.reference, providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), { outcome: "unknown_reference" });
        sim.emit("subscription.create", { id: 7 });
        const [, other] = await receiver.waitFor(2);
        assert.strictEqual((await parse(other)).kind, "ignored");
    });

    it("reports a declined card: no webhook (as at Paystack), the browser comes back, verify says failed", async function () {
        const reference = newReference();
        const { next } = await initiate(reference);
        assert.ok(next.type === "redirect");
        const visit = await customer(next.url, "decline");
        assert.strictEqual(new URL(visit.location).searchParams.get("reference"), reference);
        await sim.settled();
        assert.strictEqual(receiver.received.length, 0);
        const status = await paystack.query({ reference, providerReference: reference });
        assert.deepStrictEqual(settle(order, status), { outcome: "failed", reason: "Declined" });
    });

    it("retries a request that timed out or failed with the same reference, and never makes a second transaction", async function () {
        // Lost before Paystack handled it: the retry creates the transaction.
        sim.faults.request("initialize", { kind: "stall", phase: "before" });
        const lost = newReference();
        assert.strictEqual((await initiate(lost)).providerReference, lost);
        // Handled, but the answer was lost: the retry (same reference) finds it taken.
        sim.faults.request("initialize", { kind: "stall", phase: "after" });
        const answerLost = newReference();
        await assert.rejects(initiate(answerLost), DuplicateReference);
        // 429 and 5xx answers are retried too.
        const verifies = () => sim.requests.filter((r) => r.route === "verify").length;
        const verifiesBefore = verifies();
        sim.faults.request("verify", { kind: "error", status: 429 });
        sim.faults.request("verify", { kind: "error", status: 502 });
        assert.strictEqual((await paystack.query({ reference: lost, providerReference: lost })).state, "pending");

        const tries = (reference: string) =>
            sim.requests.filter(
                (r) => r.route === "initialize" && (r.body as { reference: string }).reference === reference,
            );
        assert.strictEqual(tries(lost).length, 2);
        assert.strictEqual(tries(answerLost).length, 2);
        const made = sim.ledger().transactions.filter((tx) => [lost, answerLost].includes(tx.reference));
        assert.strictEqual(made.length, 2, "one transaction per reference");
        assert.strictEqual(verifies() - verifiesBefore, 3);
    });

    it("gives up after its tries when the provider stays down, and picks up again after a restart", async function () {
        const reference = newReference();
        await initiate(reference);
        sim.faults.request("verify", { kind: "stall", phase: "before" });
        const asked = paystack.query({ reference, providerReference: reference });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await sim.stop(); // cuts the stalled request; the retries find nothing listening
        await assert.rejects(asked, (error: Error) => {
            assert.ok(error instanceof ProviderUnavailable);
            assert.match(error.message, /verify transaction failed 3 time\(s\); the last: ECONNREFUSED/);
            return true;
        });
        await sim.start();
        assert.strictEqual((await paystack.query({ reference, providerReference: reference })).state, "pending");
    });

    it("refunds in part and in full, once per refund reference, even when an answer is lost", async function () {
        const reference = newReference();
        const transactionId = await paid(reference);
        const payment = { reference, providerReference: reference, transactionId, amount: order };
        const part = { amountMinor: 500_000, currency: "NGN" };

        const first = await paystack.refund({ refundReference: "rf-a", payment, amount: part });
        assert.deepStrictEqual([first.state, first.amount], ["pending", part]);
        // The same refund asked again (a retry, a redelivered message): the same refund back.
        const again = await paystack.refund({ refundReference: "rf-a", payment, amount: part });
        assert.strictEqual(again.providerRefundId, first.providerRefundId);
        // Handled at Paystack, answer lost: found by its note instead of being made twice.
        sim.faults.request("refund", { kind: "stall", phase: "after" });
        const rest = await paystack.refund({
            refundReference: "rf-b",
            payment,
            amount: { amountMinor: 1_000_000, currency: "NGN" },
        });
        await assert.rejects(paystack.refund({ refundReference: "rf-c", payment, amount: part }), ProviderRejected);

        const refunds = sim.ledger().refunds.filter((r) => r.transactionReference === reference);
        assert.deepStrictEqual(
            refunds.map((r) => [r.merchantNote, r.amount]),
            [
                [refundNote("rf-a"), 500_000],
                [refundNote("rf-b"), 1_000_000],
            ],
        );
        assert.strictEqual(rest.providerRefundId, String(refunds[1].id));
        await sim.settled();
        const done = await paystack.queryRefund({
            refundReference: "rf-b",
            payment,
            amount: rest.amount,
            providerRefundId: rest.providerRefundId,
        });
        assert.strictEqual(done.state, "succeeded");
    });

    it("re-reads its key once when Paystack refuses it (a rotation), and never on a bad webhook signature", async function () {
        const reads: boolean[] = [];
        const rotated = new PaystackProvider({ baseUrl: sim.url, http }, async (fresh) => {
            reads.push(fresh);
            return { secretKey: fresh ? secretKey : "sk_test_revoked0000" };
        });
        const reference = newReference();
        const initiated = await rotated.initiate({
            reference,
            amount: order,
            payer: { email: "ada@example.com.ng" },
            customerId: "cust-1",
            description: "Order 1001",
        });
        assert.strictEqual(initiated.providerReference, reference);
        assert.deepStrictEqual(reads, [false, true]);
        reads.length = 0;
        const forged = { url: "/", headers: { "x-paystack-signature": "ab".repeat(64) }, rawBody: Buffer.from("{}") };
        await assert.rejects(rotated.parseWebhook(forged), WebhookRejected);
        assert.deepStrictEqual(reads, [false]);
    });

    it("refuses what it cannot send, before sending", async function () {
        const before = sim.requests.length;
        await assert.rejects(initiate("has space"), InvalidRequest);
        await assert.rejects(initiate(newReference(), { payer: {} }), /needs the payer's e-mail/);
        await assert.rejects(initiate(newReference(), { amount: { amountMinor: 0, currency: "NGN" } }), InvalidRequest);
        await assert.rejects(
            initiate(newReference(), { amount: { amountMinor: 10.5, currency: "NGN" } }),
            InvalidRequest,
        );
        assert.strictEqual(sim.requests.length, before);
        await assert.rejects(
            initiate(newReference(), { amount: { amountMinor: 100, currency: "EUR" } }),
            /Currency not supported by merchant/,
        );
    });
});
