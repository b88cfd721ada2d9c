import * as assert from "assert";
import { randomBytes } from "crypto";
import { MpesaSimulator } from "../../../../app/simulators/payments/mpesa";
import { PaystackSimulator } from "../../../../app/simulators/payments/paystack";
import { WebhookReceiver } from "../../services/payments/providers/support/receiver";

describe("payment simulators: customer pages, Daraja's checks and the control API (HTTP)", function () {
    const secretKey = `sk_test_${randomBytes(8).toString("hex")}`;
    const mpesaKeys = {
        consumerKey: "ck",
        consumerSecret: "cs",
        shortcode: "174379",
        passkey: "passkey",
        initiatorName: "shopapi",
        securityCredential: "cred",
    };
    const receiver = new WebhookReceiver();
    let paystack: PaystackSimulator;
    let mpesa: MpesaSimulator;

    const paystackApi = (path: string, init: RequestInit = {}) =>
        fetch(`${paystack.url}${path}`, {
            ...init,
            headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json", ...init.headers },
        });
    const initialize = async (body: Record<string, unknown>) =>
        (await (
            await paystackApi("/transaction/initialize", { method: "POST", body: JSON.stringify(body) })
        ).json()) as {
            data: { authorization_url: string; reference: string };
        };
    const darajaToken = async () => {
        const basic = Buffer.from("ck:cs").toString("base64");
        const response = await fetch(`${mpesa.url}/oauth/v1/generate?grant_type=client_credentials`, {
            headers: { authorization: `Basic ${basic}` },
        });
        return ((await response.json()) as { access_token: string }).access_token;
    };
    /** Kenyan time, YYYYMMDDHHmmss, `shiftHours` off. */
    const timestamp = (shiftHours = 3) =>
        new Date(Date.now() + shiftHours * 3_600_000).toISOString().replace(/\D/g, "").slice(0, 14);
    const push = async (token: string, overrides: Record<string, unknown> = {}) => {
        const ts = timestamp();
        const response = await fetch(`${mpesa.url}/mpesa/stkpush/v1/processrequest`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({
                BusinessShortCode: "174379",
                Password: Buffer.from(`174379passkey${ts}`).toString("base64"),
                Timestamp: ts,
                TransactionType: "CustomerPayBillOnline",
                Amount: 250,
                PartyA: "254700000001",
                PartyB: "174379",
                PhoneNumber: "254700000001",
                CallBackURL: `${receiverUrl}/cb`,
                AccountReference: "<i>Ord</i>",
                TransactionDesc: "Order",
                ...overrides,
            }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    let receiverUrl = "";

    before(async function () {
        receiverUrl = await receiver.start();
        paystack = new PaystackSimulator({ secretKey, webhookUrl: `${receiverUrl}/ps` });
        mpesa = new MpesaSimulator(mpesaKeys);
        await paystack.start();
        await mpesa.start();
    });

    beforeEach(function () {
        receiver.clear();
    });

    after(async function () {
        await paystack?.stop();
        await mpesa?.stop();
        await receiver.stop();
    });

    it("serves a checkout page that escapes what it shows and takes one answer only", async function () {
        const { data } = await initialize({
            email: '"<script>alert(1)</script>"@example.com',
            amount: 250_000,
            currency: "ZAR",
            reference: "ord-page-1",
            callback_url: "https://shop.example/return",
        });
        const html = await (await fetch(data.authorization_url)).text();
        assert.ok(!html.includes("<script>alert(1)</script>"));
        assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert.match(html, /R\s?2,500\.00/);
        assert.match(html, /id="approve"/);
        const approve = () => fetch(`${data.authorization_url}/approve`, { method: "POST", redirect: "manual" });
        assert.strictEqual(
            (await approve()).headers.get("location"),
            "https://shop.example/return?trxref=ord-page-1&reference=ord-page-1",
        );
        await approve(); // a second click pays nothing more
        await paystack.settled();
        assert.strictEqual(receiver.received.filter((r) => r.url === "/ps").length, 1);
        const after = await (await fetch(data.authorization_url)).text();
        assert.match(after, /Payment success/);
        assert.ok(!after.includes('id="approve"'));
        assert.strictEqual((await fetch(`${paystack.url}/checkout/nosuchcode`)).status, 404);
        assert.strictEqual(
            (
                await paystackApi("/transaction/verify/ord-page-1", {
                    headers: { authorization: "Bearer sk_test_wrong" },
                })
            ).status,
            401,
        );
    });

    it("checks an STK push as Daraja does: token, Password, Kenyan-time Timestamp, fields", async function () {
        const token = await darajaToken();
        const refusals = [
            await push("not-a-token"),
            await push(token, { Password: Buffer.from("174379wrong").toString("base64") }),
            await push(token, { Timestamp: timestamp(0) }), // UTC is three hours off
            await push(token, { AccountReference: "ORDER-1234567" }),
            await push(token, { Amount: 10.5 }),
            await push(token, { PhoneNumber: "0700000001", PartyA: "0700000001" }),
        ].map(({ status, body }) => [status, body.errorCode, body.errorMessage]);
        assert.deepStrictEqual(refusals.slice(1), [
            [400, "400.002.02", "Bad Request - Invalid Password"],
            [400, "400.002.02", "Bad Request - Invalid Timestamp"],
            [400, "400.002.02", "Bad Request - Invalid AccountReference"],
            [400, "400.002.02", "Bad Request - Invalid Amount"],
            [400, "400.002.02", "Bad Request - Invalid PhoneNumber"],
        ]);
        assert.deepStrictEqual(refusals[0].slice(0, 2), [401, "401.002.01"]);
        assert.strictEqual(mpesa.ledger().pushes.length, 0);
    });

    it("shows the phone's open prompts, escaped, with Pay and Cancel; a press sends the callback", async function () {
        const token = await darajaToken();
        const { body } = await push(token, { PhoneNumber: "254700000002", PartyA: "254700000002" });
        const html = await (await fetch(`${mpesa.url}/phone/254700000002`)).text();
        assert.ok(html.includes("account &lt;i&gt;Ord&lt;/i&gt;"));
        assert.match(html, /KES\s250\.00/);
        const cancel = await fetch(`${mpesa.url}/stk/${body.CheckoutRequestID}/cancel`, {
            method: "POST",
            redirect: "manual",
        });
        assert.strictEqual(cancel.status, 303);
        assert.match(await (await fetch(`${mpesa.url}/phone/254700000002`)).text(), /id="no-prompt"/);
        const [callback] = await receiver.waitFor(1);
        assert.strictEqual(JSON.parse(callback.rawBody.toString()).Body.stkCallback.ResultCode, 1032);
    });

    it("takes faults and shows its ledger over HTTP, for runs that cannot call it in-process", async function () {
        const control = (path: string, method: string, body?: unknown) =>
            fetch(`${paystack.url}/_sim${path}`, {
                method,
                body: body === undefined ? undefined : JSON.stringify(body),
            });
        await control("/faults", "POST", { request: { route: "verify", fault: { kind: "error", status: 503 } } });
        const refused = await paystackApi("/transaction/verify/ord-page-1");
        assert.deepStrictEqual([refused.status, ((await refused.json()) as { status: boolean }).status], [503, false]);
        assert.strictEqual((await paystackApi("/transaction/verify/ord-page-1")).status, 200);

        await control("/faults", "POST", { request: { route: "verify", fault: { kind: "slow", delayMs: 250 } } });
        const started = Date.now();
        assert.strictEqual((await paystackApi("/transaction/verify/ord-page-1")).status, 200);
        assert.ok(Date.now() - started >= 250);

        await control("/faults", "POST", { event: { fault: { hold: true }, times: 2 } });
        for (const reference of ["ord-held-1", "ord-held-2"]) {
            await initialize({ email: "a@example.com", amount: 100, currency: "ZAR", reference });
            paystack.pay(reference, "approve");
        }
        await paystack.settled();
        assert.strictEqual(receiver.received.length, 0);
        assert.deepStrictEqual(await (await control("/held/release", "POST", { order: "reverse" })).json(), {
            released: 2,
        });
        const delivered = await receiver.waitFor(2);
        assert.deepStrictEqual(
            delivered.map((r) => JSON.parse(r.rawBody.toString()).data.reference),
            ["ord-held-2", "ord-held-1"],
        );

        await control("/faults", "POST", { request: { route: "verify", fault: { kind: "error", status: 500 } } });
        await control("/faults", "DELETE");
        assert.strictEqual((await paystackApi("/transaction/verify/ord-page-1")).status, 200);
        const ledger = (await (await control("/ledger", "GET")).json()) as {
            transactions: { reference: string; status: string }[];
            requests: { route: string }[];
        };
        assert.deepStrictEqual(
            ledger.transactions.map((t) => [t.reference, t.status]),
            [
                ["ord-page-1", "success"],
                ["ord-held-1", "success"],
                ["ord-held-2", "success"],
            ],
        );
        assert.ok(ledger.requests.some((r) => r.route === "verify"));
    });

    it("cuts a request in progress when stopped, and comes back on the same port with its ledger", async function () {
        paystack.faults.request("verify", { kind: "stall", phase: "before" });
        const url = paystack.url;
        const cut = paystackApi("/transaction/verify/ord-page-1").then(
            () => "answered",
            (error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.message,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        await paystack.stop();
        assert.strictEqual(await cut, "UND_ERR_SOCKET");
        assert.strictEqual(await paystack.start(), url);
        assert.strictEqual((await paystackApi("/transaction/verify/ord-page-1")).status, 200);
    });
});
