import * as assert from "assert";
import {
    InvalidRequest,
    OutcomeUnknown,
    ProviderRejected,
    WebhookRejected,
} from "../../../../../app/services/payments/providers/errors";
import { darajaTimestamp, MpesaProvider, safaricomNumber } from "../../../../../app/services/payments/providers/mpesa";
import { settle } from "../../../../../app/services/payments/providers/settle";
import type { InitiateRequest, WebhookEvent } from "../../../../../app/services/payments/providers/types";
import { simulatedCredentials } from "../../../../../app/simulators/payments/credentials";
import { MpesaSimulator } from "../../../../../app/simulators/payments/mpesa";
import { WebhookReceiver, type Received } from "./support/receiver";

type PaymentEvent = Extract<WebhookEvent, { kind: "payment" }>;
type RefundEvent = Extract<WebhookEvent, { kind: "refund" }>;

describe("M-Pesa adapter against the Daraja simulator (HTTP on loopback)", function () {
    const keys = simulatedCredentials().mpesa;
    const shortcode = "174379";
    const http = { timeoutMs: 400, maxAttempts: 3, backoffMs: 10 };
    const order = { amountMinor: 150_000, currency: "KES" }; // KES 1,500
    const receiver = new WebhookReceiver();
    let sim: MpesaSimulator;
    let mpesa: MpesaProvider;
    let phones = 0;
    let receiverUrl = "";

    /** A fresh phone per payment: Daraja allows one open prompt per phone. */
    const newPhone = () => `+254 712 ${String(100_000 + ++phones).slice(-6)}`;
    const adapter = (backoffMs = http.backoffMs) =>
        new MpesaProvider(
            {
                baseUrl: sim.url,
                http: { ...http, backoffMs },
                shortcode,
                transactionType: "CustomerPayBillOnline",
                partyB: shortcode,
                callbackBaseUrl: `${receiverUrl}/payments/webhooks/mpesa`,
            },
            async () => keys,
        );
    const initiate = (reference: string, overrides: Partial<InitiateRequest> = {}) =>
        mpesa.initiate({
            reference,
            amount: order,
            payer: { phone: newPhone() },
            customerId: "cust-ke-1",
            description: "Order 20001 at the shop",
            ...overrides,
        });
    const parse = (received: Received) => mpesa.parseWebhook(received);
    const requestsTo = (route: string) => sim.requests.filter((r) => r.route === route).length;
    const paidPush = async (reference: string) => {
        const { providerReference } = await initiate(reference);
        sim.respond(providerReference, "pay");
        const [callback] = await receiver.waitFor(receiver.received.length + 1);
        return { providerReference, event: (await parse(callback)) as PaymentEvent };
    };

    before(async function () {
        receiverUrl = await receiver.start();
        sim = new MpesaSimulator({ ...keys, shortcode, delivery: { retryDelayMs: 50 } });
        await sim.start();
        mpesa = adapter();
    });

    beforeEach(function () {
        receiver.clear();
        sim.faults.clear();
    });

    after(async function () {
        await sim?.stop();
        await receiver.stop();
    });

    it("pushes a prompt the customer pays on the phone; the callback is a hint confirmed with stkpushquery", async function () {
        const phone = newPhone();
        const initiated = await initiate("ord-ke-1", { payer: { phone } });
        assert.deepStrictEqual(initiated.next, { type: "approve_on_phone", phone: safaricomNumber(phone) });
        const push = sim.push(initiated.providerReference)!;
        // What Daraja was sent (the simulator checked the Password and the Kenyan-time Timestamp).
        assert.deepStrictEqual(
            [push.phone, push.amount, push.accountReference, push.description],
            [safaricomNumber(phone), 1500, "Order 20001 ", "Order 20001 a"],
        );
        assert.strictEqual(push.callbackUrl.startsWith(`${receiverUrl}/payments/webhooks/mpesa/stk/ord-ke-1/`), true);
        assert.deepStrictEqual(
            await mpesa.query({ reference: "ord-ke-1", providerReference: push.checkoutRequestId }),
            {
                state: "pending",
            },
        );

        // The customer's phone, as a page: the prompt, then Pay.
        const html = await (await fetch(`${sim.url}/phone/${push.phone}`)).text();
        assert.match(html, /KES\s1,500\.00/);
        const pressed = await fetch(`${sim.url}/stk/${push.checkoutRequestId}/pay`, {
            method: "POST",
            redirect: "manual",
        });
        assert.deepStrictEqual([pressed.status, pressed.headers.get("location")], [303, `/phone/${push.phone}`]);

        const [callback] = await receiver.waitFor(1);
        const event = (await parse(callback)) as PaymentEvent;
        assert.deepStrictEqual(
            { ...event, eventId: undefined },
            {
                provider: "mpesa",
                verifiedBy: "url_token",
                kind: "payment",
                eventId: undefined,
                reference: "ord-ke-1",
                providerReference: push.checkoutRequestId,
                claim: {
                    state: "succeeded",
                    amount: order,
                    transactionId: sim.push(push.checkoutRequestId)!.receipt!,
                    reason: undefined,
                },
            },
        );
        assert.strictEqual(event.eventId, `stk:${push.checkoutRequestId}`);
        const status = await mpesa.query({ reference: event.reference, providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), {
            outcome: "paid",
            transactionId: event.claim.transactionId,
        });
    });

    it("reports a cancelled prompt (1032), a timed-out one (1037), insufficient funds and a wrong PIN as failed", async function () {
        const outcomes = ["cancel", "timeout", "insufficient_funds", "wrong_pin"] as const;
        const reasons = [];
        for (const [i, outcome] of outcomes.entries()) {
            const { providerReference } = await initiate(`ord-fail-${i}`);
            sim.respond(providerReference, outcome);
            const callback = (await receiver.waitFor(i + 1))[i];
            const event = (await parse(callback)) as PaymentEvent;
            assert.strictEqual(event.claim.state, "failed");
            const status = await mpesa.query({ reference: event.reference, providerReference });
            reasons.push(settle(order, status, event.claim));
        }
        assert.deepStrictEqual(reasons, [
            { outcome: "failed", reason: "cancelled by the customer" },
            { outcome: "failed", reason: "the phone could not be reached in time" },
            { outcome: "failed", reason: "insufficient funds" },
            { outcome: "failed", reason: "wrong PIN" },
        ]);
    });

    it("times a prompt out on its own when nobody answers", async function () {
        const patient = new MpesaSimulator({ ...keys, shortcode, promptTimeoutMs: 200 });
        await patient.start();
        try {
            const provider = new MpesaProvider(
                {
                    baseUrl: patient.url,
                    http,
                    shortcode,
                    transactionType: "CustomerPayBillOnline",
                    partyB: shortcode,
                    callbackBaseUrl: `${receiverUrl}/m`,
                },
                async () => keys,
            );
            const { providerReference } = await provider.initiate({
                reference: "ord-ignored",
                amount: order,
                payer: { phone: "0712000001" },
                customerId: "c",
                description: "Order",
            });
            const [callback] = await receiver.waitFor(1);
            assert.strictEqual(
                ((await provider.parseWebhook(callback)) as PaymentEvent).claim.reason,
                "the phone could not be reached in time",
            );
            const status = await provider.query({ reference: "ord-ignored", providerReference });
            assert.deepStrictEqual(status, {
                state: "failed",
                failureReason: "the phone could not be reached in time",
            });
        } finally {
            await patient.stop();
        }
    });

    it("treats a callback only as a hint: a forged one is rejected, a success claimed for an open prompt stays pending", async function () {
        sim.faults.event({ forge: true });
        const { providerReference } = await initiate("ord-forged");
        sim.respond(providerReference, "pay");
        const [forged] = await receiver.waitFor(1);
        await assert.rejects(parse(forged), (error: WebhookRejected) => error.reason === "unauthenticated");
        await assert.rejects(
            parse({ ...forged, url: "/payments/webhooks/mpesa/stk/ord-forged" }),
            /not a callback URL this adapter issued/,
        );

        // Someone who learnt a real callback URL claims success while the prompt is still open.
        const open = await initiate("ord-open");
        sim.emit("fake callback", mpesa.callbackUrl("stk", "ord-open", keys.callbackSecret), {
            Body: {
                stkCallback: {
                    MerchantRequestID: "x",
                    CheckoutRequestID: open.providerReference,
                    ResultCode: 0,
                    ResultDesc: "ok",
                },
            },
        });
        const [, claim] = await receiver.waitFor(2);
        const event = (await parse(claim)) as PaymentEvent;
        assert.strictEqual(event.claim.state, "succeeded");
        const status = await mpesa.query({ reference: "ord-open", providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), { outcome: "pending" });
        sim.respond(open.providerReference, "cancel");
    });

    it("detects a wrong amount: a callback claiming another amount than the push goes to needs_review", async function () {
        sim.faults.event({ amountMinor: 100 });
        const { event } = await paidPush("ord-amount");
        const status = await mpesa.query({ reference: event.reference, providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), {
            outcome: "needs_review",
            reason: "the webhook reports 100 KES (minor units) paid; the order is 150000 KES (minor units)",
        });
    });

    it("recognises duplicate callbacks by their event id; late and out-of-order ones still land on their attempt", async function () {
        sim.faults.event({ duplicates: 1 });
        const { event } = await paidPush("ord-dup");
        const [, twin] = await receiver.waitFor(2);
        assert.strictEqual((await parse(twin)).eventId, event.eventId);

        receiver.clear();
        sim.faults.event({ hold: true }, 2);
        const first = await initiate("ord-first");
        const second = await initiate("ord-second");
        sim.respond(first.providerReference, "pay");
        sim.respond(second.providerReference, "cancel");
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.strictEqual(receiver.received.length, 0, "held: not delivered yet");
        sim.releaseHeld("reverse");
        const events = (await Promise.all((await receiver.waitFor(2)).map(parse))) as PaymentEvent[];
        assert.deepStrictEqual(
            events.map((e) => [e.reference, e.providerReference, e.claim.state]),
            [
                ["ord-second", second.providerReference, "failed"],
                ["ord-first", first.providerReference, "succeeded"],
            ],
        );
    });

    it("settles a callback for a push Daraja never made as an unknown reference", async function () {
        sim.emit("stray callback", mpesa.callbackUrl("stk", "ord-stray", keys.callbackSecret), {
            Body: {
                stkCallback: {
                    MerchantRequestID: "m",
                    CheckoutRequestID: "ws_CO_000000000000000",
                    ResultCode: 0,
                    ResultDesc: "ok",
                },
            },
        });
        const [callback] = await receiver.waitFor(1);
        const event = (await parse(callback)) as PaymentEvent;
        const status = await mpesa.query({ reference: event.reference, providerReference: event.providerReference });
        assert.deepStrictEqual(settle(order, status, event.claim), { outcome: "unknown_reference" });
    });

    it("never repeats a push that may have reached Daraja: the outcome is unknown and the phone has one prompt", async function () {
        const before = requestsTo("stkpush");
        sim.faults.request("stkpush", { kind: "stall", phase: "after" });
        const phone = newPhone();
        await assert.rejects(initiate("ord-lost-answer", { payer: { phone } }), OutcomeUnknown);
        sim.faults.request("stkpush", { kind: "error", status: 503 });
        await assert.rejects(initiate("ord-503"), OutcomeUnknown);
        assert.strictEqual(requestsTo("stkpush") - before, 2, "one try each");
        const [prompt] = sim.prompts(safaricomNumber(phone)!);
        assert.strictEqual(sim.prompts(safaricomNumber(phone)!).length, 1);

        // The customer pays the prompt whose answer was lost: the callback URL names our
        // reference and brings the CheckoutRequestID, so the attempt is settled after all.
        sim.respond(prompt.checkoutRequestId, "pay");
        const [callback] = await receiver.waitFor(1);
        const event = (await parse(callback)) as PaymentEvent;
        assert.deepStrictEqual(
            [event.reference, event.providerReference],
            ["ord-lost-answer", prompt.checkoutRequestId],
        );
        const status = await mpesa.query({ reference: event.reference, providerReference: event.providerReference });
        assert.strictEqual(settle(order, status, event.claim).outcome, "paid");
    });

    it("repeats a push only when it certainly did not arrive: refused with 429, or nothing listening", async function () {
        const before = requestsTo("stkpush");
        sim.faults.request("stkpush", { kind: "error", status: 429 });
        const throttled = await initiate("ord-429");
        assert.strictEqual(requestsTo("stkpush") - before, 2);

        // Tries 50-100 ms apart, so the simulator is back for the second one.
        const patient = adapter(100);
        await patient.query({ reference: "warm", providerReference: "ws_CO_warm" }); // a token in hand
        await sim.stop();
        const restarted = new Promise((resolve) => setTimeout(resolve, 20)).then(() => sim.start());
        const refused = await patient.initiate({
            reference: "ord-refused",
            amount: order,
            payer: { phone: newPhone() },
            customerId: "c",
            description: "Order",
        });
        await restarted;
        assert.strictEqual(requestsTo("stkpush") - before, 3, "the refused tries never reached it");
        for (const { providerReference } of [throttled, refused]) sim.respond(providerReference, "cancel");
    });

    it("reads Daraja's 'still being processed' as pending, not as a failure to retry; retries a query that timed out", async function () {
        const { providerReference } = await initiate("ord-wait");
        const before = requestsTo("stkquery");
        assert.deepStrictEqual(await mpesa.query({ reference: "ord-wait", providerReference }), { state: "pending" });
        assert.strictEqual(requestsTo("stkquery") - before, 1);
        sim.faults.request("stkquery", { kind: "stall", phase: "before" });
        assert.deepStrictEqual(await mpesa.query({ reference: "ord-wait", providerReference }), { state: "pending" });
        assert.strictEqual(requestsTo("stkquery") - before, 3);
        sim.respond(providerReference, "cancel");
    });

    it("refuses a second prompt on a phone that has one open, as Daraja does", async function () {
        const phone = newPhone();
        const first = await initiate("ord-busy-1", { payer: { phone } });
        await assert.rejects(initiate("ord-busy-2", { payer: { phone } }), (error: ProviderRejected) => {
            assert.ok(error instanceof ProviderRejected);
            assert.strictEqual(error.code, "500.001.1001");
            return true;
        });
        sim.respond(first.providerReference, "cancel");
    });

    it("fetches one token for concurrent calls, and replaces one Daraja no longer takes", async function () {
        const provider = adapter();
        const before = requestsTo("token");
        const pushes = await Promise.all(
            [1, 2, 3].map((i) =>
                provider.initiate({
                    reference: `ord-token-${i}`,
                    amount: order,
                    payer: { phone: newPhone() },
                    customerId: "c",
                    description: "Order",
                }),
            ),
        );
        assert.strictEqual(requestsTo("token") - before, 1);
        sim.expireTokens();
        assert.deepStrictEqual(
            await provider.query({ reference: "ord-token-1", providerReference: pushes[0].providerReference }),
            { state: "pending" },
        );
        assert.strictEqual(requestsTo("token") - before, 2);
        for (const push of pushes) sim.respond(push.providerReference, "cancel");

        const wrongKeys = new MpesaProvider(
            {
                baseUrl: sim.url,
                http,
                shortcode,
                transactionType: "CustomerPayBillOnline",
                partyB: shortcode,
                callbackBaseUrl: receiverUrl,
            },
            async () => ({ ...keys, consumerSecret: "wrong" }),
        );
        await assert.rejects(
            wrongKeys.query({ reference: "r", providerReference: "p" }),
            /OAuth token \(consumer key and secret\) refused \(HTTP 400\)/,
        );
    });

    it("refunds by reversing the whole transaction; the result callback decides, and a repeated reversal pays nothing twice", async function () {
        const { event } = await paidPush("ord-refund");
        const request = {
            refundReference: "rf-ke-1",
            payment: {
                reference: "ord-refund",
                providerReference: event.providerReference,
                transactionId: event.claim.transactionId!,
                amount: order,
            },
            amount: order,
            reason: "Order cancelled",
        };
        const refund = await mpesa.refund(request);
        assert.strictEqual(refund.state, "pending");
        const [, result] = await receiver.waitFor(2);
        assert.match(result.url, /^\/payments\/webhooks\/mpesa\/reversal\/rf-ke-1\/[0-9a-f]{64}$/);
        const reversed = (await parse(result)) as RefundEvent;
        assert.deepStrictEqual(
            [reversed.kind, reversed.refundReference, reversed.claim.state, reversed.eventId],
            ["refund", "rf-ke-1", "succeeded", `reversal:${refund.providerRefundId}`],
        );

        // The same refund again (its answer lost, say): M-Pesa reverses once; "already reversed" is reversed.
        await mpesa.refund(request);
        const [, , repeat] = await receiver.waitFor(3);
        const again = (await parse(repeat)) as RefundEvent;
        assert.deepStrictEqual(
            [again.claim.state, again.claim.reason],
            ["succeeded", "The transaction has already been reversed."],
        );
        assert.deepStrictEqual(
            sim.ledger().reversals.map((r) => r.resultCode),
            ["0", "R000001"],
        );

        // A receipt M-Pesa does not know.
        await mpesa.refund({
            ...request,
            refundReference: "rf-ke-2",
            payment: { ...request.payment, transactionId: "NOSUCHRCPT" },
        });
        const [, , , unknown] = await receiver.waitFor(4);
        assert.strictEqual(((await parse(unknown)) as RefundEvent).claim.state, "failed");
    });

    it("reads a reversal's queue timeout as a failed refund that can be asked again", async function () {
        sim.emit("queue timeout", mpesa.callbackUrl("timeout", "rf-slow", keys.callbackSecret), {
            Result: {
                ResultType: 1,
                ResultCode: 1,
                ResultDesc: "The request timed out in the queue",
                ConversationID: "AG_1",
            },
        });
        const [callback] = await receiver.waitFor(1);
        const event = (await parse(callback)) as RefundEvent;
        assert.deepStrictEqual([event.refundReference, event.claim.state], ["rf-slow", "failed"]);
        assert.match(event.claim.reason!, /timed out in M-Pesa's queue/);
    });

    it("refuses what Daraja cannot take, before sending: other currencies, cents, other networks, partial refunds", async function () {
        const before = sim.requests.length;
        await assert.rejects(
            initiate("r1", { amount: { amountMinor: 150_000, currency: "UGX" } }),
            /M-Pesa takes KES, not UGX/,
        );
        await assert.rejects(initiate("r2", { amount: { amountMinor: 150_050, currency: "KES" } }), /whole shillings/);
        await assert.rejects(initiate("r3", { payer: { phone: "+256 772 123456" } }), /not a Safaricom number/);
        await assert.rejects(initiate("r4", { payer: {} }), InvalidRequest);
        const payment = { reference: "p", providerReference: "p", transactionId: "RCPT", amount: order };
        await assert.rejects(
            mpesa.refund({ refundReference: "rf", payment, amount: { amountMinor: 50_000, currency: "KES" } }),
            /reverses a whole transaction/,
        );
        await assert.rejects(mpesa.queryRefund(), /cannot be asked about a reversal/);
        assert.strictEqual(sim.requests.length, before);
    });

    it("formats what Daraja expects: Kenyan time, Safaricom numbers", function () {
        assert.strictEqual(darajaTimestamp(new Date("2026-12-31T22:30:05Z")), "20270101013005");
        assert.deepStrictEqual(
            ["+254712345678", "254 712 345 678", "0712345678", "0110345678", "712345678", "+256712345678", "07123"].map(
                safaricomNumber,
            ),
            ["254712345678", "254712345678", "254712345678", "254110345678", "254712345678", undefined, undefined],
        );
    });
});
