// Which provider takes a payment, by the customer's market (ISO 3166 country), the order's
// currency and the method the customer chose. The first route of an enabled provider that takes
// all three wins. A Paystack integration belongs to one country and settles that country's
// currency (and USD where Paystack offers it); the table lists what Paystack takes per country.
import type { ProviderName } from "./types";

export const PAYMENT_METHODS = ["card", "mobile_money"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Route {
    method: PaymentMethod;
    provider: ProviderName;
    /** Market → the currencies taken there; "any" takes every market and currency. */
    accepts: Readonly<Record<string, readonly string[]>> | "any";
}

export const ROUTES: readonly Route[] = [
    { method: "mobile_money", provider: "mpesa", accepts: { KE: ["KES"] } },
    {
        method: "card",
        provider: "paystack",
        accepts: { NG: ["NGN", "USD"], GH: ["GHS", "USD"], KE: ["KES", "USD"], ZA: ["ZAR"], CI: ["XOF"] },
    },
    // Stacks without a provider account (the sandbox is never enabled with live keys).
    { method: "card", provider: "sandbox", accepts: "any" },
];

export interface PaymentChoice {
    market: string;
    currency: string;
    method: PaymentMethod;
}

export class NoProvider extends Error {
    constructor(choice: PaymentChoice, enabled: readonly ProviderName[]) {
        super(
            `no enabled payment provider takes ${choice.method} in ${choice.market} (${choice.currency}); ` +
                `enabled: ${enabled.join(", ") || "none"}`,
        );
        this.name = "NoProvider";
    }
}

export function chooseProvider(
    choice: PaymentChoice,
    enabled: readonly ProviderName[],
    routes: readonly Route[] = ROUTES,
): ProviderName {
    const market = choice.market.toUpperCase();
    const currency = choice.currency.toUpperCase();
    const route = routes.find(
        (r) =>
            r.method === choice.method &&
            enabled.includes(r.provider) &&
            (r.accepts === "any" || (r.accepts[market] ?? []).includes(currency)),
    );
    if (!route) throw new NoProvider(choice, enabled);
    return route.provider;
}
