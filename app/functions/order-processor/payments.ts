// The payments interface the order processor charges through. An adapter per provider; each
// must honour the idempotency key: the same key returns the first charge's result (never a
// second charge), whatever happened to the caller in between.

export interface ChargeRequest {
    idempotencyKey: string;
    amountMinor: number;
    currency: string;
    customerRef: string;
    paymentToken: string;
}

export type ChargeResult =
    { status: "succeeded"; chargeId: string } | { status: "declined"; chargeId: string; reason: string };

export interface PaymentProvider {
    readonly name: string;
    charge(request: ChargeRequest): Promise<ChargeResult>;
    /** Refunds the successful charge made with this key, if there is one; true if one was refunded. */
    refundByKey(idempotencyKey: string): Promise<boolean>;
}

/** The provider could not be reached or failed: retry later (the key makes the retry safe). */
export class PaymentUnavailable extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PaymentUnavailable";
    }
}

/** The key was used before with different parameters: a bug or a tampered message, not retryable. */
export class IdempotencyConflict extends Error {
    constructor(message: string) {
        super(message);
        this.name = "IdempotencyConflict";
    }
}
