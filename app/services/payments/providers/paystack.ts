// Cards through a Paystack-style hosted checkout: initialize → redirect → signed webhook → verify.
//   POST /transaction/initialize      our reference, amount in minor units → authorization_url
//   GET  /transaction/verify/:ref     the truth about a transaction: status, amount, currency
//   POST /refund, GET /refund(/:id)   full or partial refunds, asynchronous
//   webhook                           x-paystack-signature = hex HMAC-SHA512 of the raw body, keyed
//                                     with the secret key
// Paystack keys a transaction on our reference and refuses a second initialize with it
// ("Duplicate Transaction Reference"), so initialize is retried freely. Its refund call has no
// idempotency key: the adapter marks each refund with our reference in merchant_note and looks
// for it before every (re)try, so a refund whose answer was lost is found rather than repeated.
import { createHash } from "crypto";
import { z } from "zod";
import { DuplicateReference, InvalidRequest, OutcomeUnknown, ProviderRejected, WebhookRejected } from "./errors";
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
import { checkAmount, checkReference, parseEvent, readEvent } from "./wire";
import type {
    AttemptRef,
    Initiated,
    InitiateRequest,
    Money,
    PaymentProvider,
    PaymentStatus,
    RefundRequest,
    RefundState,
    RefundStatus,
    WebhookEvent,
    WebhookRequest,
} from "./types";

export interface PaystackSettings {
    /** https://api.paystack.co, or a simulator. */
    baseUrl: string;
    http: HttpPolicy;
}

export const PAYSTACK_SIGNATURE_HEADER = "x-paystack-signature";

const Envelope = z.object({ status: z.boolean(), message: z.string().optional(), data: z.unknown().optional() });
const Initialized = z.object({ authorization_url: z.url(), access_code: z.string(), reference: z.string() });
const Transaction = z.object({
    id: z.union([z.number(), z.string()]),
    status: z.string(),
    reference: z.string(),
    amount: z.coerce.number().int(),
    currency: z.string(),
    gateway_response: z.string().nullish(),
});
const Refund = z.object({
    id: z.union([z.number(), z.string()]),
    status: z.string(),
    amount: z.coerce.number().int(),
    currency: z.string(),
    merchant_note: z.string().nullish(),
});
const Event = z.object({ event: z.string(), data: z.record(z.string(), z.unknown()) });
const ChargeData = z.object({
    id: z.union([z.number(), z.string()]),
    reference: z.string(),
    amount: z.coerce.number().int(),
    currency: z.string(),
});
const RefundData = z.object({
    status: z.string(),
    transaction_reference: z.string(),
    amount: z.coerce.number().int(),
    currency: z.string(),
});

/** Look-then-create rounds of a refund whose answers keep getting lost. */
const MAX_REFUND_ROUNDS = 3;

/** Transaction statuses that may still turn into a payment. */
const STILL_OPEN = new Set(["abandoned", "ongoing", "pending", "processing", "queued", "send_otp", "send_birthday"]);

export class PaystackProvider implements PaymentProvider {
    readonly name = "paystack" as const;
    readonly capabilities = { partialRefunds: true, refundQuery: true, webhooks: true };
    private readonly http: ProviderHttp;

    constructor(
        settings: PaystackSettings,
        private readonly keys: KeyReader<KeysOf<"paystack">>,
    ) {
        this.http = new ProviderHttp("paystack", settings.baseUrl, settings.http);
    }

    async initiate(request: InitiateRequest): Promise<Initiated> {
        checkReference(this.name, request.reference);
        if (!request.payer.email) throw new InvalidRequest(this.name, "a card checkout needs the payer's e-mail");
        checkAmount(this.name, request.amount);
        const { status, body } = await this.call({
            operation: "initialize transaction",
            method: "POST",
            path: "/transaction/initialize",
            json: {
                email: request.payer.email,
                amount: String(request.amount.amountMinor),
                currency: request.amount.currency,
                reference: request.reference,
                callback_url: request.returnUrl,
                metadata: JSON.stringify({ customerId: request.customerId, description: request.description }),
            },
            // Paystack keys the transaction on the reference: a repeat creates nothing new.
            retry: "always",
        });
        const answer = this.envelope("initialize transaction", status, body);
        if (!answer.ok) {
            if (/duplicate transaction reference/i.test(answer.message))
                throw new DuplicateReference(this.name, `reference ${request.reference} is already in use`);
            throw this.rejected("initialize transaction", status, body);
        }
        const data = expectAnswer(this.name, "initialize transaction", Initialized, answer.data);
        return {
            providerReference: data.reference,
            next: { type: "redirect", url: data.authorization_url },
            state: "pending",
        };
    }

    async query(attempt: AttemptRef): Promise<PaymentStatus> {
        const { status, body } = await this.call({
            operation: "verify transaction",
            method: "GET",
            path: `/transaction/verify/${encodeURIComponent(attempt.providerReference)}`,
            retry: "always",
        });
        const answer = this.envelope("verify transaction", status, body);
        if (!answer.ok) {
            if (status === 404 || /not found/i.test(answer.message)) return { state: "not_found" };
            throw this.rejected("verify transaction", status, body);
        }
        const tx = expectAnswer(this.name, "verify transaction", Transaction, answer.data);
        const paid: Money = { amountMinor: tx.amount, currency: tx.currency };
        // "reversed": it was paid, then refunded; the refunds are tracked on their own.
        if (tx.status === "success" || tx.status === "reversed")
            return { state: "succeeded", amount: paid, transactionId: String(tx.id) };
        if (STILL_OPEN.has(tx.status)) return { state: "pending", amount: paid };
        return { state: "failed", amount: paid, failureReason: tx.gateway_response || tx.status };
    }

    async refund(request: RefundRequest): Promise<RefundStatus> {
        checkAmount(this.name, request.amount);
        const note = refundNote(request.refundReference);
        // Look first, then create: a refund this reference made before (its answer lost, or the
        // caller crashed) is returned instead of being made twice.
        for (let attempt = 1; ; attempt++) {
            const earlier = await this.findRefund(request.payment.transactionId, note);
            if (earlier) return toRefundStatus(earlier);
            try {
                const { status, body } = await this.call({
                    operation: "create refund",
                    method: "POST",
                    path: "/refund",
                    json: {
                        transaction: request.payment.transactionId,
                        amount: request.amount.amountMinor,
                        currency: request.amount.currency,
                        merchant_note: note,
                        customer_note: request.reason,
                    },
                    retry: "unsent-only",
                });
                const answer = this.envelope("create refund", status, body);
                if (!answer.ok) throw this.rejected("create refund", status, body);
                return toRefundStatus(expectAnswer(this.name, "create refund", Refund, answer.data));
            } catch (error) {
                // The refund may or may not exist now: the next round looks before it tries again.
                if (!(error instanceof OutcomeUnknown) || attempt >= MAX_REFUND_ROUNDS) throw error;
            }
        }
    }

    async queryRefund(request: RefundRequest & { providerRefundId: string }): Promise<RefundStatus> {
        const { status, body } = await this.call({
            operation: "fetch refund",
            method: "GET",
            path: `/refund/${encodeURIComponent(request.providerRefundId)}`,
            retry: "always",
        });
        const answer = this.envelope("fetch refund", status, body);
        if (!answer.ok) throw this.rejected("fetch refund", status, body);
        return toRefundStatus(expectAnswer(this.name, "fetch refund", Refund, answer.data));
    }

    async parseWebhook(request: WebhookRequest): Promise<WebhookEvent> {
        const signature = request.headers[PAYSTACK_SIGNATURE_HEADER];
        if (typeof signature !== "string" || signature === "")
            throw new WebhookRejected(this.name, "unauthenticated", `no ${PAYSTACK_SIGNATURE_HEADER} header`);
        // No re-read of the key on a mismatch: forged requests must not make us call Secrets
        // Manager. After a key rotation Paystack's retries are accepted once the cache renews.
        const { secretKey } = await this.keys(false);
        if (!equalInConstantTime(hmacHex("sha512", secretKey, request.rawBody), signature.trim().toLowerCase()))
            throw new WebhookRejected(this.name, "unauthenticated", "the signature does not match the body");

        const event = parseEvent(this.name, request.rawBody, Event);
        const base = { provider: this.name, verifiedBy: "signature" as const };
        // Paystack's events carry no event id; a redelivery repeats the same bytes.
        const bodyId = `${event.event}:${createHash("sha256").update(request.rawBody).digest("hex").slice(0, 32)}`;
        if (event.event === "charge.success") {
            const data = readEvent(this.name, ChargeData, event.data);
            return {
                ...base,
                kind: "payment",
                eventId: `charge.success:${data.id}`,
                reference: data.reference,
                providerReference: data.reference,
                claim: {
                    state: "succeeded",
                    amount: { amountMinor: data.amount, currency: data.currency },
                    transactionId: String(data.id),
                },
            };
        }
        if (event.event.startsWith("refund.")) {
            const data = readEvent(this.name, RefundData, event.data);
            return {
                ...base,
                kind: "refund",
                eventId: bodyId,
                paymentReference: data.transaction_reference,
                claim: {
                    state: refundState(data.status),
                    amount: { amountMinor: data.amount, currency: data.currency },
                },
            };
        }
        return { ...base, kind: "ignored", eventId: bodyId, type: event.event };
    }

    private async findRefund(transactionId: string, note: string): Promise<z.infer<typeof Refund> | undefined> {
        const { status, body } = await this.call({
            operation: "list refunds",
            method: "GET",
            path: `/refund?transaction=${encodeURIComponent(transactionId)}&perPage=100`,
            retry: "always",
        });
        const answer = this.envelope("list refunds", status, body);
        if (!answer.ok) throw this.rejected("list refunds", status, body);
        const refunds = expectAnswer(this.name, "list refunds", z.array(Refund), answer.data);
        return refunds.find((refund) => refund.merchant_note === note);
    }

    /** Sends with the secret key; a 401 re-reads the key (it may have been rotated) and tries once more. */
    private async call(request: ProviderRequest): Promise<ProviderResponse> {
        let response: ProviderResponse | undefined;
        for (const fresh of [false, true]) {
            const { secretKey } = await this.keys(fresh);
            response = await this.http.send({ ...request, headers: { authorization: `Bearer ${secretKey}` } });
            if (response.status !== 401) break;
        }
        return response!;
    }

    /** Paystack answers {status, message, data}: an HTTP 200 with status true is the only success. */
    private envelope(
        operation: string,
        status: number,
        body: unknown,
    ): { ok: true; data: unknown } | { ok: false; message: string } {
        if (status === 200) {
            const answer = expectAnswer(this.name, operation, Envelope, body);
            return answer.status ? { ok: true, data: answer.data } : { ok: false, message: answer.message ?? "" };
        }
        const parsed = Envelope.safeParse(body);
        return { ok: false, message: parsed.success ? (parsed.data.message ?? "") : summary(body) };
    }

    private rejected(operation: string, status: number, body: unknown): ProviderRejected {
        const code = (body as { code?: unknown } | undefined)?.code;
        return new ProviderRejected(
            this.name,
            `${operation} refused (HTTP ${status}): ${summary(body)}`,
            typeof code === "string" ? code : undefined,
        );
    }
}

/** Marks a refund as ours, under our reference. */
export const refundNote = (refundReference: string): string => `shop refund ${refundReference}`;

function toRefundStatus(refund: z.infer<typeof Refund>): RefundStatus {
    return {
        state: refundState(refund.status),
        providerRefundId: String(refund.id),
        amount: { amountMinor: refund.amount, currency: refund.currency },
        failureReason: refund.status === "failed" ? "the refund failed at Paystack" : undefined,
    };
}

function refundState(status: string): RefundState {
    if (status === "processed") return "succeeded";
    if (status === "failed") return "failed";
    return "pending"; // pending, processing, needs-attention
}
