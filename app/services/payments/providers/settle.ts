// Decides an attempt from what the provider answered (query), never from a webhook alone: a
// claim only adds a check. A payment that succeeded for another amount or currency than the
// order's is neither paid nor failed: money moved, and a person decides (needs_review).
import type { Money, PaymentClaim, PaymentStatus } from "./types";

export type Verdict =
    | { outcome: "paid"; transactionId?: string }
    | { outcome: "pending" }
    | { outcome: "failed"; reason: string }
    | { outcome: "needs_review"; reason: string }
    /** The provider has no such transaction: a forged or foreign reference. */
    | { outcome: "unknown_reference" };

export function settle(expected: Money, status: PaymentStatus, claim?: PaymentClaim): Verdict {
    switch (status.state) {
        case "not_found":
            return { outcome: "unknown_reference" };
        case "pending":
            return { outcome: "pending" };
        case "failed":
            return { outcome: "failed", reason: status.failureReason ?? "failed at the provider" };
        case "succeeded":
            break;
    }
    const reports: [string, Money | undefined][] = [
        ["the provider", status.amount],
        ["the webhook", claim?.amount],
    ];
    for (const [source, amount] of reports) {
        if (amount && !sameMoney(amount, expected))
            return {
                outcome: "needs_review",
                reason: `${source} reports ${formatMoney(amount)} paid; the order is ${formatMoney(expected)}`,
            };
    }
    return { outcome: "paid", transactionId: status.transactionId ?? claim?.transactionId };
}

export function sameMoney(a: Money, b: Money): boolean {
    return a.amountMinor === b.amountMinor && a.currency.toUpperCase() === b.currency.toUpperCase();
}

export function formatMoney(money: Money): string {
    return `${money.amountMinor} ${money.currency} (minor units)`;
}
