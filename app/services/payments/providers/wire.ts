// Checks shared by the adapters: our requests before they leave, and events as they arrive.
import type { z } from "zod";
import { InvalidRequest, WebhookRejected } from "./errors";
import type { Money, ProviderName } from "./types";

/** What a reference may hold: Paystack's rule, and safe in a callback URL's path. */
export const REFERENCE = /^[A-Za-z0-9.=-]{1,100}$/;

export function checkReference(provider: ProviderName, reference: string): void {
    if (!REFERENCE.test(reference))
        throw new InvalidRequest(provider, `reference "${reference}" is not 1-100 of A-Z a-z 0-9 . = -`);
}

export function checkAmount(provider: ProviderName, amount: Money): void {
    if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0)
        throw new InvalidRequest(
            provider,
            `amount ${amount.amountMinor} is not a positive whole number of minor units`,
        );
    if (!/^[A-Z]{3}$/.test(amount.currency))
        throw new InvalidRequest(provider, `currency "${amount.currency}" is not an ISO 4217 code`);
}

/** The webhook's body as JSON of the expected shape, or WebhookRejected("malformed"). */
export function parseEvent<T>(provider: ProviderName, raw: Buffer, schema: z.ZodType<T>): T {
    let json: unknown;
    try {
        json = JSON.parse(raw.toString("utf8"));
    } catch {
        throw new WebhookRejected(provider, "malformed", "the body is not JSON");
    }
    return readEvent(provider, schema, json);
}

export function readEvent<T>(provider: ProviderName, schema: z.ZodType<T>, value: unknown): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(body)").join(", ");
        throw new WebhookRejected(provider, "malformed", `unexpected event shape at ${fields}`);
    }
    return parsed.data;
}
