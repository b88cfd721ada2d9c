// The one interface every payment provider adapter implements (see README.md). Amounts are
// integers in the currency's minor unit; nothing here knows about HTTP frameworks, databases of
// payment attempts or queues: the payments service owns those and calls an adapter.

export const PROVIDER_NAMES = ["paystack", "mpesa", "sandbox"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** An amount in the currency's minor unit (cents, kobo) with its ISO 4217 code. */
export interface Money {
    amountMinor: number;
    currency: string;
}

/** Who pays: each provider needs one of these (Paystack the e-mail, M-Pesa the phone, the sandbox a test token). */
export interface Payer {
    email?: string;
    /** In international form; M-Pesa accepts Safaricom numbers (2547…, 2541…). */
    phone?: string;
    /** The sandbox's test card token (tok_sandbox_…). */
    token?: string;
}

export interface InitiateRequest {
    /**
     * The attempt's reference, ours: unique per attempt, the same on every retry of it. The
     * providers key the transaction on it (Paystack's `reference`). Letters, digits, `-`, `.`, `=`.
     */
    reference: string;
    amount: Money;
    payer: Payer;
    /** The shop's customer id, recorded with the transaction. */
    customerId: string;
    /** What the customer sees, e.g. the order number (M-Pesa shows its first 12 characters). */
    description: string;
    /** Where the provider's hosted page sends the browser back (card checkout). */
    returnUrl?: string;
}

/** What the customer does next. */
export type NextStep =
    /** Send the browser to the provider's hosted checkout page. */
    | { type: "redirect"; url: string }
    /** A prompt was pushed to the phone: the customer approves it there. */
    | { type: "approve_on_phone"; phone: string }
    /** Nothing: settled at once (the sandbox). */
    | { type: "none" };

export type PaymentState = "pending" | "succeeded" | "failed";

export interface Initiated {
    /** The provider's key for this transaction: Paystack's reference (ours), M-Pesa's CheckoutRequestID. */
    providerReference: string;
    next: NextStep;
    /** `pending` for every asynchronous provider; the sandbox settles at once. */
    state: PaymentState;
    failureReason?: string;
}

/** An attempt as the payments service stored it when it was initiated. */
export interface AttemptRef {
    reference: string;
    providerReference: string;
}

export interface PaymentStatus {
    /** `not_found`: the provider has no such transaction (an unknown or forged reference). */
    state: PaymentState | "not_found";
    /**
     * The amount the provider says it collected, when it says (Paystack, the sandbox). M-Pesa's
     * status query does not: the amount of a push is fixed when it is made.
     */
    amount?: Money;
    /** The provider's id of the completed transaction (Paystack's id, M-Pesa's receipt): refunds name it. */
    transactionId?: string;
    /** Why it failed: declined, cancelled by the customer, timed out… */
    failureReason?: string;
}

export interface RefundRequest {
    /** Ours: unique per refund, the same on every retry of it. */
    refundReference: string;
    /** The payment refunded: its reference, provider's transaction id and what was paid. */
    payment: AttemptRef & { transactionId: string; amount: Money };
    /** What to give back; at most what was paid less earlier refunds. */
    amount: Money;
    reason?: string;
}

export type RefundState = "pending" | "succeeded" | "failed";

export interface RefundStatus {
    state: RefundState;
    /** The provider's id of the refund (Paystack's refund id, M-Pesa's ConversationID). */
    providerRefundId: string;
    amount: Money;
    failureReason?: string;
}

/** A webhook or callback as the payments service's public route received it. */
export interface WebhookRequest {
    /** Path and query as requested (M-Pesa's callbacks are authenticated by a token in the path). */
    url: string;
    headers: Readonly<Record<string, string | string[] | undefined>>;
    /** The body's bytes exactly as received: signatures are computed over them, never over re-serialised JSON. */
    rawBody: Buffer;
}

interface EventBase {
    provider: ProviderName;
    /** Unique per event at the provider, the same on every redelivery: store events under (provider, eventId). */
    eventId: string;
    /** How the adapter knows the event is the provider's. */
    verifiedBy: "signature" | "url_token";
}

/** What an event says happened. A claim, not a fact: see README.md, "Never trust a callback". */
export interface PaymentClaim {
    state: PaymentState;
    amount?: Money;
    transactionId?: string;
    reason?: string;
}

export type WebhookEvent =
    | (EventBase & { kind: "payment"; reference: string; providerReference: string; claim: PaymentClaim })
    | (EventBase & {
          kind: "refund";
          /** The refunded payment's reference (Paystack), or the refund's own reference (M-Pesa). */
          paymentReference?: string;
          refundReference?: string;
          claim: { state: RefundState; amount?: Money; reason?: string };
      })
    /** An event of a type the shop does not act on (subscriptions, transfers…): acknowledge it. */
    | (EventBase & { kind: "ignored"; type: string });

export interface ProviderCapabilities {
    /** Refunds of part of a payment. */
    partialRefunds: boolean;
    /** queryRefund can ask the provider (else the refund's outcome arrives only as a callback). */
    refundQuery: boolean;
    /** The provider sends webhooks or callbacks. */
    webhooks: boolean;
}

export interface PaymentProvider {
    readonly name: ProviderName;
    readonly capabilities: ProviderCapabilities;
    /** Starts a payment. Safe to call again with the same reference after a failure (see README.md). */
    initiate(request: InitiateRequest): Promise<Initiated>;
    /** Asks the provider what happened to an attempt: the only source of truth for its outcome. */
    query(attempt: AttemptRef): Promise<PaymentStatus>;
    /** Gives money back; idempotent by refundReference. */
    refund(request: RefundRequest): Promise<RefundStatus>;
    /** Asks the provider about a refund this adapter made (see capabilities.refundQuery). */
    queryRefund(request: RefundRequest & { providerRefundId: string }): Promise<RefundStatus>;
    /** Authenticates and reads a webhook; throws WebhookRejected for anything not the provider's. */
    parseWebhook(request: WebhookRequest): Promise<WebhookEvent>;
}
