// An M-Pesa (Daraja) STK push, over HTTP on loopback, speaking Daraja's wire format:
//   GET  /oauth/v1/generate?grant_type=client_credentials   Basic consumer key:secret → access_token
//   POST /mpesa/stkpush/v1/processrequest   checks Password = base64(Shortcode + Passkey + Timestamp),
//        the Timestamp (Kenyan time, within the hour), whole-shilling Amount, PhoneNumber 2547…/2541…,
//        AccountReference ≤ 12 → CheckoutRequestID; one open prompt per phone
//   POST /mpesa/stkpushquery/v1/query       500 "being processed" until the customer acts, then
//        ResultCode 0, 1032 (cancelled), 1037 (timeout), 1 (insufficient funds), 2001 (wrong PIN)
//   POST /mpesa/reversal/v1/request         TransactionReversal of a receipt, once; result to ResultURL
//   GET  /phone/:msisdn                     the phone: open prompts with Pay / Cancel buttons
// Callbacks are unsigned, as Daraja's are: {"Body": {"stkCallback": …}} to the push's CallBackURL,
// {"Result": …} to a reversal's ResultURL.
import { randomBytes } from "crypto";
import { darajaTimestamp } from "../../services/payments/providers/mpesa";
import type { DeliveryOptions } from "./deliveries";
import type { EventFault } from "./faults";
import { button, escapeHtml, money, page } from "./pages";
import { parseJson, ProviderSimulator, type Route, type SimRequest, type SimResponse } from "./server";

export interface MpesaSimulatorOptions {
    consumerKey: string;
    consumerSecret: string;
    shortcode: string;
    passkey: string;
    initiatorName: string;
    securityCredential: string;
    tokenTtlSeconds?: number;
    /** An unanswered prompt times out (ResultCode 1037) after this long. */
    promptTimeoutMs?: number;
    delivery?: Partial<DeliveryOptions>;
}

export type PromptOutcome = "pay" | "cancel" | "timeout" | "insufficient_funds" | "wrong_pin";

export interface StkPush {
    checkoutRequestId: string;
    merchantRequestId: string;
    phone: string;
    /** Whole shillings. */
    amount: number;
    accountReference: string;
    description: string;
    callbackUrl: string;
    status: "pending" | "paid" | "failed";
    resultCode: number | null;
    resultDesc: string | null;
    receipt: string | null;
    createdAt: string;
    completedAt: string | null;
}

export interface Reversal {
    conversationId: string;
    originatorConversationId: string;
    transactionId: string;
    amount: number;
    resultCode: string;
    resultDesc: string;
    resultUrl: string;
    createdAt: string;
}

const OUTCOMES: Record<PromptOutcome, { code: number; desc: string }> = {
    pay: { code: 0, desc: "The service request is processed successfully." },
    cancel: { code: 1032, desc: "Request cancelled by user" },
    timeout: { code: 1037, desc: "DS timeout user cannot be reached" },
    insufficient_funds: { code: 1, desc: "The balance is insufficient for the transaction." },
    wrong_pin: { code: 2001, desc: "The initiator information is invalid." },
};
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;
const TIMESTAMP_SLACK_MS = 60 * 60 * 1000;

export class MpesaSimulator extends ProviderSimulator {
    private readonly tokens = new Map<string, number>();
    private readonly pushes = new Map<string, StkPush>();
    private readonly reversals: Reversal[] = [];
    private readonly timers = new Set<NodeJS.Timeout>();

    constructor(private readonly options: MpesaSimulatorOptions) {
        super(options.delivery);
    }

    ledger() {
        return {
            pushes: [...this.pushes.values()].map((push) => ({ ...push })),
            reversals: this.reversals.map((reversal) => ({ ...reversal })),
            deliveries: this.deliveries,
            requests: this.requests,
        };
    }

    push(checkoutRequestId: string): StkPush | undefined {
        return this.pushes.get(checkoutRequestId);
    }

    /** The open prompts on a phone, oldest first. */
    prompts(phone: string): StkPush[] {
        return [...this.pushes.values()].filter((p) => p.phone === phone && p.status === "pending");
    }

    /** What the customer does with the prompt (or the network, for a timeout); sends the callback. */
    respond(checkoutRequestId: string, outcome: PromptOutcome): void {
        const push = this.pushes.get(checkoutRequestId);
        if (!push) throw new Error(`no STK push ${checkoutRequestId}`);
        if (push.status !== "pending") throw new Error(`STK push ${checkoutRequestId} is already ${push.status}`);
        const { code, desc } = OUTCOMES[outcome];
        Object.assign(push, {
            status: code === 0 ? "paid" : "failed",
            resultCode: code,
            resultDesc: desc,
            receipt: code === 0 ? receiptNumber() : null,
            completedAt: new Date().toISOString(),
        });
        const fault = this.faults.takeEvent();
        const metadata =
            code === 0
                ? {
                      CallbackMetadata: {
                          Item: [
                              {
                                  Name: "Amount",
                                  Value: fault.amountMinor === undefined ? push.amount : fault.amountMinor / 100,
                              },
                              { Name: "MpesaReceiptNumber", Value: push.receipt },
                              { Name: "Balance" },
                              { Name: "TransactionDate", Value: Number(darajaTimestamp(new Date())) },
                              { Name: "PhoneNumber", Value: Number(push.phone) },
                          ],
                      },
                  }
                : {};
        const body = {
            Body: {
                stkCallback: {
                    MerchantRequestID: push.merchantRequestId,
                    CheckoutRequestID: push.checkoutRequestId,
                    ResultCode: code,
                    ResultDesc: desc,
                    ...metadata,
                },
            },
        };
        this.send("stk callback", push.callbackUrl, body, fault);
    }

    /** Invalidates every token, as if they had expired. */
    expireTokens(): void {
        this.tokens.clear();
    }

    /** POSTs any body to any URL, as Daraja would (callbacks for pushes it never made). */
    emit(event: string, url: string, body: unknown): void {
        this.send(event, url, body, this.faults.takeEvent());
    }

    override async stop(): Promise<void> {
        for (const timer of this.timers) clearTimeout(timer);
        this.timers.clear();
        await super.stop();
    }

    protected errorAnswer(status: number) {
        return { requestId: requestId(), errorCode: `${status}.000.0000`, errorMessage: `Simulated error ${status}` };
    }

    protected routes(): Route[] {
        return [
            { name: "token", method: "GET", pattern: /^\/oauth\/v1\/generate$/, handle: (r) => this.token(r) },
            {
                name: "stkpush",
                method: "POST",
                pattern: /^\/mpesa\/stkpush\/v1\/processrequest$/,
                handle: (r) => this.stkPush(r),
            },
            {
                name: "stkquery",
                method: "POST",
                pattern: /^\/mpesa\/stkpushquery\/v1\/query$/,
                handle: (r) => this.stkQuery(r),
            },
            {
                name: "reversal",
                method: "POST",
                pattern: /^\/mpesa\/reversal\/v1\/request$/,
                handle: (r) => this.reversal(r),
            },
            { name: "phone", method: "GET", pattern: /^\/phone\/(\d+)$/, handle: (r) => this.phonePage(r) },
            {
                name: "phone-action",
                method: "POST",
                pattern: /^\/stk\/([A-Za-z0-9_]+)\/(pay|cancel)$/,
                handle: (r) => this.phoneAction(r),
            },
        ];
    }

    private token(request: SimRequest): SimResponse {
        if (request.query.get("grant_type") !== "client_credentials")
            return daraja(400, "400.008.02", "Invalid grant type passed");
        // Computed here rather than with the adapter's stkPassword: the simulator checks the adapter.
        const expected = Buffer.from(`${this.options.consumerKey}:${this.options.consumerSecret}`).toString("base64");
        if (request.headers.authorization !== `Basic ${expected}`)
            return daraja(400, "400.008.01", "Invalid Authentication passed");
        const token = randomBytes(14).toString("base64url");
        const ttl = this.options.tokenTtlSeconds ?? 3599;
        this.tokens.set(token, Date.now() + ttl * 1000);
        return { status: 200, json: { access_token: token, expires_in: String(ttl) } };
    }

    private stkPush(request: SimRequest): SimResponse {
        const denied = this.authorize(request);
        if (denied) return denied;
        const body = (parseJson(request.rawBody) ?? {}) as Record<string, unknown>;
        const invalid = this.checkPassword(body) ?? checkPush(body, this.options.shortcode);
        if (invalid) return daraja(400, "400.002.02", `Bad Request - Invalid ${invalid}`);
        const phone = String(body.PhoneNumber);
        if (this.prompts(phone).length > 0)
            return daraja(
                500,
                "500.001.1001",
                "Unable to lock subscriber, a transaction is already in process for the current subscriber",
            );
        const push: StkPush = {
            checkoutRequestId: `ws_CO_${darajaTimestamp(new Date())}${randomBytes(5).toString("hex")}`,
            merchantRequestId: `${randomBytes(3).toString("hex")}-${randomBytes(4).toString("hex")}-1`,
            phone,
            amount: Number(body.Amount),
            accountReference: String(body.AccountReference),
            description: String(body.TransactionDesc),
            callbackUrl: String(body.CallBackURL),
            status: "pending",
            resultCode: null,
            resultDesc: null,
            receipt: null,
            createdAt: new Date().toISOString(),
            completedAt: null,
        };
        this.pushes.set(push.checkoutRequestId, push);
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            if (push.status === "pending") this.respond(push.checkoutRequestId, "timeout");
        }, this.options.promptTimeoutMs ?? 60_000);
        timer.unref();
        this.timers.add(timer);
        return {
            status: 200,
            json: {
                MerchantRequestID: push.merchantRequestId,
                CheckoutRequestID: push.checkoutRequestId,
                ResponseCode: "0",
                ResponseDescription: "Success. Request accepted for processing",
                CustomerMessage: "Success. Request accepted for processing",
            },
        };
    }

    private stkQuery(request: SimRequest): SimResponse {
        const denied = this.authorize(request);
        if (denied) return denied;
        const body = (parseJson(request.rawBody) ?? {}) as Record<string, unknown>;
        const invalid = this.checkPassword(body);
        if (invalid) return daraja(400, "400.002.02", `Bad Request - Invalid ${invalid}`);
        const push = this.pushes.get(String(body.CheckoutRequestID));
        if (!push) return daraja(400, "400.002.02", "Bad Request - Invalid CheckoutRequestID");
        if (push.status === "pending") return daraja(500, "500.001.1001", "The transaction is being processed");
        return {
            status: 200,
            json: {
                ResponseCode: "0",
                ResponseDescription: "The service request has been accepted successsfully",
                MerchantRequestID: push.merchantRequestId,
                CheckoutRequestID: push.checkoutRequestId,
                ResultCode: String(push.resultCode),
                ResultDesc: push.resultDesc,
            },
        };
    }

    private reversal(request: SimRequest): SimResponse {
        const denied = this.authorize(request);
        if (denied) return denied;
        const body = (parseJson(request.rawBody) ?? {}) as Record<string, unknown>;
        const missing = [
            "Initiator",
            "SecurityCredential",
            "CommandID",
            "TransactionID",
            "Amount",
            "ReceiverParty",
            "RecieverIdentifierType",
            "ResultURL",
            "QueueTimeOutURL",
            "Remarks",
        ].find((field) => body[field] === undefined || body[field] === "");
        if (missing) return daraja(400, "400.002.02", `Bad Request - Invalid ${missing}`);
        if (body.CommandID !== "TransactionReversal")
            return daraja(400, "400.002.02", "Bad Request - Invalid CommandID");
        if (!URL.canParse(String(body.ResultURL))) return daraja(400, "400.002.02", "Bad Request - Invalid ResultURL");
        const paid = [...this.pushes.values()].find((p) => p.receipt === body.TransactionID);
        if (paid && Number(body.Amount) !== paid.amount)
            return daraja(400, "400.002.02", "Bad Request - Invalid Amount");
        // The outcome, as the result callback tells it.
        const [resultCode, resultDesc] =
            body.Initiator !== this.options.initiatorName || body.SecurityCredential !== this.options.securityCredential
                ? ["2001", "The initiator information is invalid."]
                : !paid
                  ? ["R000002", "The OriginalTransactionID is invalid."]
                  : this.reversals.some((r) => r.transactionId === paid.receipt && r.resultCode === "0")
                    ? ["R000001", "The transaction has already been reversed."]
                    : ["0", "The service request is processed successfully."];
        const reversal: Reversal = {
            conversationId: `AG_${darajaTimestamp(new Date())}_${randomBytes(8).toString("hex")}`,
            originatorConversationId: `${randomBytes(3).toString("hex")}-${randomBytes(4).toString("hex")}-1`,
            transactionId: String(body.TransactionID),
            amount: Number(body.Amount),
            resultCode,
            resultDesc,
            resultUrl: String(body.ResultURL),
            createdAt: new Date().toISOString(),
        };
        this.reversals.push(reversal);
        const result = {
            Result: {
                ResultType: 0,
                ResultCode: resultCode === "0" ? 0 : resultCode,
                ResultDesc: resultDesc,
                OriginatorConversationID: reversal.originatorConversationId,
                ConversationID: reversal.conversationId,
                TransactionID: receiptNumber(),
                ResultParameters: {
                    ResultParameter: [
                        { Key: "Amount", Value: reversal.amount },
                        { Key: "OriginalTransactionID", Value: reversal.transactionId },
                        { Key: "TransCompletedTime", Value: Number(darajaTimestamp(new Date())) },
                    ],
                },
                ReferenceData: { ReferenceItem: { Key: "QueueTimeoutURL", Value: String(body.QueueTimeOutURL) } },
            },
        };
        setImmediate(() => this.send("reversal result", reversal.resultUrl, result, this.faults.takeEvent()));
        return {
            status: 200,
            json: {
                OriginatorConversationID: reversal.originatorConversationId,
                ConversationID: reversal.conversationId,
                ResponseCode: "0",
                ResponseDescription: "Accept the service request successfully.",
            },
        };
    }

    private phonePage(request: SimRequest): SimResponse {
        const phone = request.params[0];
        const prompts = this.prompts(phone)
            .map(
                (push) =>
                    `<section><p class="amount">${escapeHtml(money(push.amount * 100, "KES"))}</p>` +
                    `<p>Pay to ${escapeHtml(this.options.shortcode)}, account ${escapeHtml(push.accountReference)}</p>` +
                    button(`/stk/${push.checkoutRequestId}/pay`, "Enter PIN and pay", `pay-${push.checkoutRequestId}`) +
                    button(`/stk/${push.checkoutRequestId}/cancel`, "Cancel", `cancel-${push.checkoutRequestId}`) +
                    "</section>",
            )
            .join("");
        const body = prompts || `<p id="no-prompt">No M-Pesa prompt is waiting on this phone.</p>`;
        return { status: 200, html: page(`M-Pesa ${phone}`, `<h1>Phone ${escapeHtml(phone)}</h1>${body}`) };
    }

    private phoneAction(request: SimRequest): SimResponse {
        const push = this.pushes.get(request.params[0]);
        if (!push) return { status: 404, html: page("Not found", "<h1>No such prompt</h1>") };
        if (push.status === "pending")
            this.respond(push.checkoutRequestId, request.params[1] === "pay" ? "pay" : "cancel");
        return { status: 303, location: `/phone/${push.phone}` };
    }

    private authorize(request: SimRequest): SimResponse | undefined {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
        const expiresAt = this.tokens.get(token);
        if (expiresAt !== undefined && expiresAt > Date.now()) return undefined;
        return daraja(401, "401.002.01", `Error Occurred - Invalid Access Token - ${token}`);
    }

    /** The field a Password or Timestamp problem is reported under, or undefined. */
    private checkPassword(body: Record<string, unknown>): string | undefined {
        if (body.BusinessShortCode !== this.options.shortcode) return "BusinessShortCode";
        const timestamp = String(body.Timestamp ?? "");
        const at = parseDarajaTime(timestamp);
        if (at === undefined || Math.abs(at - Date.now()) > TIMESTAMP_SLACK_MS) return "Timestamp";
        // Computed here rather than with the adapter's stkPassword: the simulator checks the adapter.
        const expected = Buffer.from(`${this.options.shortcode}${this.options.passkey}${timestamp}`).toString("base64");
        return body.Password === expected ? undefined : "Password";
    }

    private send(event: string, url: string, body: unknown, fault: EventFault): void {
        // A forged callback arrives without the token of the URL the merchant gave.
        const target = fault.forge ? url.replace(/[^/]+$/, randomBytes(32).toString("hex")) : url;
        this.deliverer.send(event, target, JSON.stringify(body), {}, fault);
    }
}

/** The first field of an STK push request that Daraja would refuse, or undefined. */
function checkPush(body: Record<string, unknown>, shortcode: string): string | undefined {
    const phone = String(body.PhoneNumber ?? "");
    const amount = Number(body.Amount);
    if (body.TransactionType !== "CustomerPayBillOnline" && body.TransactionType !== "CustomerBuyGoodsOnline")
        return "TransactionType";
    if (!Number.isSafeInteger(amount) || amount < 1) return "Amount";
    if (!/^254[17]\d{8}$/.test(phone)) return "PhoneNumber";
    if (String(body.PartyA) !== phone) return "PartyA";
    if (body.TransactionType === "CustomerPayBillOnline" && body.PartyB !== shortcode) return "PartyB";
    if (!URL.canParse(String(body.CallBackURL ?? ""))) return "CallBackURL";
    const account = String(body.AccountReference ?? "");
    if (account.length < 1 || account.length > 12) return "AccountReference";
    const description = String(body.TransactionDesc ?? "");
    if (description.length < 1 || description.length > 13) return "TransactionDesc";
    return undefined;
}

function daraja(status: number, errorCode: string, errorMessage: string): SimResponse {
    return { status, json: { requestId: requestId(), errorCode, errorMessage } };
}

function requestId(): string {
    return `${randomBytes(2).toString("hex")}-${randomBytes(4).toString("hex")}-1`;
}

function parseDarajaTime(timestamp: string): number | undefined {
    const parts = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(timestamp);
    if (!parts) return undefined;
    const [, y, mo, d, h, mi, s] = parts.map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s) - EAT_OFFSET_MS;
}

/** Like NLJ7RT61SV. */
function receiptNumber(): string {
    return randomBytes(8).toString("hex").toUpperCase().slice(0, 10);
}
