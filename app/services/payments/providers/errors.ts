// What an adapter throws. The payments service decides from the class alone what to do: retry
// later, give up on the attempt, start a new attempt, or refuse a webhook.
import type { ProviderName } from "./types";

export class PaymentProviderError extends Error {
    constructor(
        readonly provider: ProviderName,
        message: string,
    ) {
        super(`${provider}: ${message}`);
        this.name = new.target.name;
    }
}

/**
 * The provider could not be reached or failed (timeouts, 5xx, 429) on every try, and nothing was
 * decided: retry later with the same reference.
 */
export class ProviderUnavailable extends PaymentProviderError {}

/**
 * A request that is not safe to repeat may have reached the provider, and its answer was lost
 * (M-Pesa's STK push has no idempotency key: a second push would prompt the customer twice).
 * The attempt's outcome is unknown until a callback or the reconciliation sweep tells.
 */
export class OutcomeUnknown extends PaymentProviderError {}

/** The provider refused the request (validation, authentication, a business rule): repeating it cannot help. */
export class ProviderRejected extends PaymentProviderError {
    constructor(
        provider: ProviderName,
        message: string,
        readonly code?: string,
    ) {
        super(provider, message);
    }
}

/**
 * The provider already has a transaction under this reference: an earlier try of this initiate got
 * through and its answer was lost. Nobody holds that transaction's checkout link, so no money can
 * move on it: start a new attempt with a new reference.
 */
export class DuplicateReference extends ProviderRejected {}

/** The same reference was used before for a different amount or currency: a bug or tampering, never retried. */
export class ReferenceConflict extends ProviderRejected {}

/** The request cannot go to this provider as it is (a partial M-Pesa refund, a non-Safaricom phone); nothing was sent. */
export class InvalidRequest extends PaymentProviderError {}

/** Not the provider's webhook (bad or missing signature or token), or malformed: answer 401/400 and store nothing. */
export class WebhookRejected extends PaymentProviderError {
    constructor(
        provider: ProviderName,
        readonly reason: "unauthenticated" | "malformed",
        message: string,
    ) {
        super(provider, message);
    }
}
