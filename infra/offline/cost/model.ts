import type { PlanResource } from "../graph";
import type { GraphLinks } from "../links";
import type { PriceBook } from "./price-book";
import type { UsageProfile } from "./usage";

/** One thing a resource is billed for in a month: a quantity in the unit of a catalogue price. */
export interface Charge {
    description: string;
    /** "fixed": billed by the hour whatever the traffic; "usage": from the usage profile. */
    basis: "fixed" | "usage";
    quantity: number;
    priceKey: string;
}

/** A resource (or part of one) the estimate cannot price, and why. */
export interface Unpriced {
    unpriced: string;
}

/** A resource that costs nothing in its configuration, and why. */
export interface NoCharge {
    free: string;
}

export type Outcome = Charge | Unpriced | NoCharge;

export interface RuleContext {
    links: GraphLinks;
    usage: UsageProfile;
    prices: PriceBook;
    hours: number;
    /** Resources of `type` in the plan: what usage shared evenly among them is divided by. */
    count(type: string): number;
}

/** Prices one resource of a type from its inputs, its links in the graph and the usage profile. */
export type PricingRule = (resource: PlanResource, ctx: RuleContext) => Outcome[];

export const fixed = (description: string, quantity: number, priceKey: string): Charge => ({
    description,
    basis: "fixed",
    quantity,
    priceKey,
});

export const usage = (description: string, quantity: number, priceKey: string): Charge => ({
    description,
    basis: "usage",
    quantity,
    priceKey,
});
