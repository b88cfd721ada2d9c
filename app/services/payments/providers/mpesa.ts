// Mobile money through M-Pesa (Daraja) STK push: the customer approves a prompt on the phone.
//   GET  /oauth/v1/generate?grant_type=client_credentials   Basic consumer key:secret → bearer token
//   POST /mpesa/stkpush/v1/processrequest   Password = base64(Shortcode + Passkey + Timestamp),
//        Timestamp YYYYMMDDHHmmss (Kenyan time), whole shillings, PhoneNumber 2547…/2541…,
//        CallBackURL, AccountReference ≤ 12 characters → CheckoutRequestID
//   POST /mpesa/stkpushquery/v1/query       the truth: ResultCode 0 paid, 1032 cancelled, 1037 timeout
//   POST /mpesa/reversal/v1/request         refunds (TransactionReversal); the result is a callback
//
// Daraja signs nothing. Every URL given to it carries a token (HMAC-SHA256 of kind and reference,
// keyed with the callbackSecret), so a callback that reaches us came from someone who was given
// that URL; a payment callback is still only a hint, confirmed with stkpushquery. The push has no
// idempotency key, so it is never repeated after it may have arrived: a second push prompts the
// customer twice (see http.ts, "unsent-only").
//
// Refunds use the Reversal API rather than B2C: a reversal names the original receipt, returns the
// money from the same shortcode with no separate B2C float, and M-Pesa reverses a transaction once
// only, so a repeated reversal (a retry after a lost answer) cannot pay twice, where a repeated B2C
// payment would. A reversal returns the whole transaction: partial refunds are not offered.
import { z } from "zod";
import { InvalidRequest, ProviderRejected, WebhookRejected } from "./errors";
import {
    expectAnswer,
    ProviderHttp,
    summary,
    type HttpPolicy,
    type ProviderRequest,
    type ProviderResponse,
} from "./http";
import type { KeyReader, KeysOf } from "./secrets";
import { equalInConstantTime, hmacHex } from "./signature";
import type {
    AttemptRef,
    Initiated,
    InitiateRequest,
    PaymentProvider,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
    WebhookEvent,
    WebhookRequest,
} from "./types";
import { checkAmount, checkReference, parseEvent, REFERENCE } from "./wire";

export interface MpesaSettings {
    /** https://api.safaricom.co.ke, or a simulator. */
    baseUrl: string;
    http: HttpPolicy;
    /** BusinessShortCode: the paybill, or the till's store number. */
    shortcode: string;
    transactionType: "CustomerPayBillOnline" | "CustomerBuyGoodsOnline";
    /** Who receives the money: the paybill (= shortcode) or the till number. */
    partyB: string;
    /** The payments service's public route for M-Pesa callbacks (https); the adapter appends /<kind>/<reference>/<token>. */
    callbackBaseUrl: string;
}

export type CallbackKind = "stk" | "reversal" | "timeout";

/** Daraja's times are Kenyan (EAT, UTC+3, no daylight saving). */
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;
const CALLBACK_PATH = new RegExp(`/(stk|reversal|timeout)/(${REFERENCE.source.slice(1, -1)})/([0-9a-f]{64})/?$`);
/** Daraja's errorCode for "the push is still waiting for the customer" (HTTP 500 on the status query). */
const STILL_PROCESSING = "500.001.1001";
/** The tokens Daraja issues live 3599 s; a minute of margin. */
const TOKEN_MARGIN_MS = 60_000;

const ErrorAnswer = z.object({ errorCode: z.string(), errorMessage: z.string() });
const Token = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const Accepted = z.object({ ResponseCode: z.coerce.string(), CheckoutRequestID: z.string().min(1) });
const QueryAnswer = z.object({
    ResponseCode: z.coerce.string(),
    ResultCode: z.coerce.string(),
    ResultDesc: z.string(),
});
const ReversalAccepted = z.object({ ResponseCode: z.coerce.string(), ConversationID: z.string().min(1) });
const Item = z.object({ Name: z.string(), Value: z.union([z.string(), z.number()]).optional() });
const StkCallback = z.object({
    Body: z.object({
        stkCallback: z.object({
            CheckoutRequestID: z.string().min(1),
            ResultCode: z.coerce.number().int(),
            ResultDesc: z.string(),
            CallbackMetadata: z.object({ Item: z.array(Item) }).optional(),
        }),
    }),
});
const ResultCallback = z.object({
    Result: z.object({
        ResultCode: z.coerce.string(),
        ResultDesc: z.string(),
        ConversationID: z.string().min(1),
    }),
});

/** Why a push did not complete, by stkpushquery ResultCode. */
const FAILURES: Record<string, string> = {
    "1": "insufficient funds",
    "1032": "cancelled by the customer",
    "1037": "the phone could not be reached in time",
    "2001": "wrong PIN",
};
/** M-Pesa reverses a transaction once: "already reversed" means the money went back. */
const ALREADY_REVERSED = "R000001";

export class MpesaProvider implements PaymentProvider {
    readonly name = "mpesa" as const;
    readonly capabilities = { partialRefunds: false, refundQuery: false, webhooks: true };
    private readonly http: ProviderHttp;
    private token?: { value: string; expiresAt: number };
    private tokenRequest?: Promise<string>;

    constructor(
        private readonly settings: MpesaSettings,
        private readonly keys: KeyReader<KeysOf<"mpesa">>,
    ) {
        this.http = new ProviderHttp("mpesa", settings.baseUrl, settings.http);
    }

    async initiate(request: InitiateRequest): Promise<Initiated> {
        checkReference(this.name, request.reference);
        const shillings = this.wholeShillings(request.amount);
        const phone = safaricomNumber(request.payer.phone ?? "");
        if (!phone)
            throw new InvalidRequest(
                this.name,
                `"${request.payer.phone ?? ""}" is not a Safaricom number (2547…, 2541…)`,
            );
        const keys = await this.keys(false);
        const { status, body } = await this.call({
            operation: "STK push",
            method: "POST",
            path: "/mpesa/stkpush/v1/processrequest",
            json: {
                ...this.stkCredentials(keys.passkey),
                TransactionType: this.settings.transactionType,
                Amount: shillings,
                PartyA: phone,
                PartyB: this.settings.partyB,
                PhoneNumber: phone,
                CallBackURL: this.callbackUrl("stk", request.reference, keys.callbackSecret),
                AccountReference: request.description.slice(0, 12),
                TransactionDesc: request.description.slice(0, 13),
            },
            // No idempotency key at Daraja: never repeat a push that may have arrived.
            retry: "unsent-only",
            // "Unable to lock subscriber": another prompt is open on the phone; nothing was sent.
            isAnswer: (status, body) => status === 500 && errorCode(body) === STILL_PROCESSING,
        });
        const accepted = Accepted.safeParse(body);
        if (status !== 200 || !accepted.success || accepted.data.ResponseCode !== "0")
            throw this.rejected("STK push", status, body);
        return {
            providerReference: accepted.data.CheckoutRequestID,
            next: { type: "approve_on_phone", phone },
            state: "pending",
        };
    }

    async query(attempt: AttemptRef): Promise<PaymentStatus> {
        const { passkey } = await this.keys(false);
        const { status, body } = await this.call({
            operation: "STK push query",
            method: "POST",
            path: "/mpesa/stkpushquery/v1/query",
            json: {
                ...this.stkCredentials(passkey),
                CheckoutRequestID: attempt.providerReference,
            },
            retry: "always",
            isAnswer: (status, body) => status === 500 && errorCode(body) === STILL_PROCESSING,
        });
        if (status === 500) return { state: "pending" };
        if (status === 400 && /CheckoutRequestID/i.test(summary(body))) return { state: "not_found" };
        if (status !== 200) throw this.rejected("STK push query", status, body);
        const answer = expectAnswer(this.name, "STK push query", QueryAnswer, body);
        if (answer.ResultCode === "0") return { state: "succeeded" };
        return { state: "failed", failureReason: FAILURES[answer.ResultCode] ?? answer.ResultDesc };
    }

    async refund(request: RefundRequest): Promise<RefundStatus> {
        checkReference(this.name, request.refundReference);
        const shillings = this.wholeShillings(request.amount);
        if (request.amount.amountMinor !== request.payment.amount.amountMinor)
            throw new InvalidRequest(
                this.name,
                "M-Pesa reverses a whole transaction; a partial refund needs another way (B2C) and is not offered",
            );
        const keys = await this.keys(false);
        const { status, body } = await this.call({
            operation: "reversal",
            method: "POST",
            path: "/mpesa/reversal/v1/request",
            json: {
                Initiator: keys.initiatorName,
                SecurityCredential: keys.securityCredential,
                CommandID: "TransactionReversal",
                TransactionID: request.payment.transactionId,
                Amount: shillings,
                ReceiverParty: this.settings.shortcode,
                RecieverIdentifierType: "11", // sic: Daraja's spelling; 11 = organisation shortcode
                ResultURL: this.callbackUrl("reversal", request.refundReference, keys.callbackSecret),
                QueueTimeOutURL: this.callbackUrl("timeout", request.refundReference, keys.callbackSecret),
                Remarks: (request.reason ?? "Refund").slice(0, 100),
                Occasion: request.refundReference.slice(0, 100),
            },
            // M-Pesa reverses a transaction once only: repeating the request cannot pay twice.
            retry: "always",
        });
        const accepted = ReversalAccepted.safeParse(body);
        if (status !== 200 || !accepted.success || accepted.data.ResponseCode !== "0")
            throw this.rejected("reversal", status, body);
        return { state: "pending", providerRefundId: accepted.data.ConversationID, amount: request.amount };
    }

    async queryRefund(): Promise<RefundStatus> {
        throw new InvalidRequest(
            this.name,
            "Daraja cannot be asked about a reversal synchronously; its result arrives at the ResultURL callback",
        );
    }

    async parseWebhook(request: WebhookRequest): Promise<WebhookEvent> {
        const match = CALLBACK_PATH.exec(new URL(request.url, "http://callback").pathname);
        if (!match) throw new WebhookRejected(this.name, "unauthenticated", "not a callback URL this adapter issued");
        const [, kind, reference, token] = match as unknown as [string, CallbackKind, string, string];
        const { callbackSecret } = await this.keys(false);
        if (!equalInConstantTime(callbackToken(callbackSecret, kind, reference), token))
            throw new WebhookRejected(this.name, "unauthenticated", "the callback URL's token does not match");
        const base = { provider: this.name, verifiedBy: "url_token" as const };

        if (kind === "stk") {
            const callback = parseEvent(this.name, request.rawBody, StkCallback).Body.stkCallback;
            const items = new Map((callback.CallbackMetadata?.Item ?? []).map((item) => [item.Name, item.Value]));
            const amount = items.get("Amount");
            const receipt = items.get("MpesaReceiptNumber");
            const paid = callback.ResultCode === 0;
            return {
                ...base,
                kind: "payment",
                eventId: `stk:${callback.CheckoutRequestID}`,
                reference,
                providerReference: callback.CheckoutRequestID,
                claim: {
                    state: paid ? "succeeded" : "failed",
                    amount:
                        amount === undefined
                            ? undefined
                            : { amountMinor: Math.round(Number(amount) * 100), currency: "KES" },
                    transactionId: receipt === undefined ? undefined : String(receipt),
                    reason: paid ? undefined : (FAILURES[String(callback.ResultCode)] ?? callback.ResultDesc),
                },
            };
        }
        const result = parseEvent(this.name, request.rawBody, ResultCallback).Result;
        const reversed = kind === "reversal" && (result.ResultCode === "0" || result.ResultCode === ALREADY_REVERSED);
        return {
            ...base,
            kind: "refund",
            eventId: `${kind}:${result.ConversationID}`,
            refundReference: reference,
            claim: {
                state: reversed ? "succeeded" : "failed",
                reason:
                    kind === "timeout"
                        ? "the reversal timed out in M-Pesa's queue; it can be requested again"
                        : result.ResultDesc,
            },
        };
    }

    /** The URL Daraja calls back, with the token that authenticates the callback. */
    callbackUrl(kind: CallbackKind, reference: string, callbackSecret: string): string {
        const base = this.settings.callbackBaseUrl.replace(/\/+$/, "");
        return `${base}/${kind}/${encodeURIComponent(reference)}/${callbackToken(callbackSecret, kind, reference)}`;
    }

    /** What authenticates an STK push or query: the Password is made afresh for each Timestamp. */
    private stkCredentials(passkey: string) {
        const timestamp = darajaTimestamp(new Date());
        return {
            BusinessShortCode: this.settings.shortcode,
            Password: stkPassword(this.settings.shortcode, passkey, timestamp),
            Timestamp: timestamp,
        };
    }

    private wholeShillings(amount: { amountMinor: number; currency: string }): number {
        checkAmount(this.name, amount);
        if (amount.currency !== "KES") throw new InvalidRequest(this.name, `M-Pesa takes KES, not ${amount.currency}`);
        if (amount.amountMinor % 100 !== 0)
            throw new InvalidRequest(this.name, `M-Pesa takes whole shillings; ${amount.amountMinor} cents is not`);
        return amount.amountMinor / 100;
    }

    /** Sends with a bearer token; a 401 (token expired or revoked early) gets a new one and tries once more. */
    private async call(request: ProviderRequest): Promise<ProviderResponse> {
        let response: ProviderResponse | undefined;
        for (const fresh of [false, true]) {
            const token = await this.accessToken(fresh);
            // Refused at the gateway, so repeating it is safe even for a push.
            response = await this.http.send({ ...request, headers: { authorization: `Bearer ${token}` } });
            if (response.status !== 401) break;
        }
        return response!;
    }

    private accessToken(fresh: boolean): Promise<string> {
        if (!fresh && this.token && this.token.expiresAt > Date.now()) return Promise.resolve(this.token.value);
        // One token request at a time: concurrent payments share it.
        this.tokenRequest ??= this.fetchToken().finally(() => (this.tokenRequest = undefined));
        return this.tokenRequest;
    }

    private async fetchToken(): Promise<string> {
        let response: ProviderResponse | undefined;
        // Refused credentials may have been rotated: read the secret again once.
        for (const fresh of [false, true]) {
            const { consumerKey, consumerSecret } = await this.keys(fresh);
            response = await this.http.send({
                operation: "OAuth token",
                method: "GET",
                path: "/oauth/v1/generate?grant_type=client_credentials",
                headers: {
                    authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString("base64")}`,
                },
                retry: "always",
            });
            if (response.status === 200) {
                const token = expectAnswer(this.name, "OAuth token", Token, response.body);
                this.token = {
                    value: token.access_token,
                    expiresAt: Date.now() + Math.max(0, token.expires_in * 1000 - TOKEN_MARGIN_MS),
                };
                return token.access_token;
            }
            if (response.status !== 400 && response.status !== 401) break;
        }
        throw this.rejected("OAuth token (consumer key and secret)", response!.status, response!.body);
    }

    private rejected(operation: string, status: number, body: unknown): ProviderRejected {
        return new ProviderRejected(
            this.name,
            `${operation} refused (HTTP ${status}): ${summary(body)}`,
            errorCode(body),
        );
    }
}

export function callbackToken(callbackSecret: string, kind: CallbackKind, reference: string): string {
    return hmacHex("sha256", callbackSecret, `${kind}:${reference}`);
}

/** YYYYMMDDHHmmss in Kenyan time. */
export function darajaTimestamp(at: Date): string {
    return new Date(at.getTime() + EAT_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 14);
}

export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
    return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString("base64");
}

/** A Kenyan Safaricom number as 2547XXXXXXXX / 2541XXXXXXXX, from +254…, 254… or 07…/01…; else undefined. */
export function safaricomNumber(phone: string): string | undefined {
    const digits = phone.replace(/[\s()-]/g, "").replace(/^\+/, "");
    const national = digits.startsWith("254") ? digits.slice(3) : digits.replace(/^0/, "");
    return /^[17]\d{8}$/.test(national) ? `254${national}` : undefined;
}

function errorCode(body: unknown): string | undefined {
    const parsed = ErrorAnswer.safeParse(body);
    return parsed.success ? parsed.data.errorCode : undefined;
}
