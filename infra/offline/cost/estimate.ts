import type { PlanGraph, PlanResource } from "../graph";
import { GraphLinks } from "../links";
import { Charge, Outcome, RuleContext } from "./model";
import { PriceBook } from "./price-book";
import { FREE_TYPES, PRICING_RULES } from "./rules";
import type { UsageProfile } from "./usage";

/** One priced line: what a resource is billed for in a month. */
export interface CostItem {
    urn: string;
    name: string;
    type: string;
    /** The top-level component it belongs to, as "name (type)". */
    component: string;
    region: string;
    description: string;
    basis: "fixed" | "usage";
    quantity: number;
    unit: string;
    priceKey: string;
    unitPriceUsd: number;
    monthlyUsd: number;
    /** The price file's source id for the unit price. */
    source: string;
}

/** A resource, or part of one, the estimate could not price: listed, never counted as zero. */
export interface UnpricedItem {
    urn: string;
    name: string;
    type: string;
    component: string;
    reason: string;
}

export interface CostGroup {
    name: string;
    totalUsd: number;
    fixedUsd: number;
    usageUsd: number;
}

/** The monthly estimate of one plan; `--cost --json` writes it as the graph's `cost`. */
export interface CostEstimate {
    stack: string;
    region: string;
    currency: "USD";
    hoursPerMonth: number;
    priceFile: { version: string; compiledOn: string };
    usage: UsageProfile;
    totalUsd: number;
    fixedUsd: number;
    usageUsd: number;
    byComponent: CostGroup[];
    byType: CostGroup[];
    items: CostItem[];
    unpriced: UnpricedItem[];
    /** Resources that cost nothing in their configuration. */
    freeResources: number;
}

/** Prices every resource of the plan from its rule, the usage profile and the price book. */
export function estimateCost(
    graph: PlanGraph,
    usage: UsageProfile,
    prices: PriceBook = PriceBook.load(),
): CostEstimate {
    const links = new GraphLinks(graph);
    const ctx: RuleContext = {
        links,
        usage,
        prices,
        hours: prices.hoursPerMonth,
        count: (type) => links.ofType(type).length,
    };
    const items: CostItem[] = [];
    const unpriced: UnpricedItem[] = [];
    let freeResources = 0;

    for (const resource of graph.resources) {
        if (!resource.custom) continue;
        const where = placeOf(resource, links);
        const rule = PRICING_RULES[resource.type];
        if (!rule) {
            if (FREE_TYPES[resource.type] !== undefined) freeResources++;
            else unpriced.push({ ...where, reason: `no pricing rule for ${resource.type}` });
            continue;
        }
        const outcomes: Outcome[] = rule(resource, ctx);
        if (outcomes.every((o) => "free" in o)) freeResources++;
        for (const outcome of outcomes) {
            if ("unpriced" in outcome) unpriced.push({ ...where, reason: outcome.unpriced });
            else if ("priceKey" in outcome) {
                const item = price(resource, outcome, where, prices);
                if ("reason" in item) unpriced.push(item);
                else items.push(item);
            }
        }
    }

    const sum = (list: CostItem[]) => list.reduce((total, i) => total + i.monthlyUsd, 0);
    return {
        stack: graph.stack,
        region: graph.region,
        currency: "USD",
        hoursPerMonth: prices.hoursPerMonth,
        priceFile: { version: prices.file.version, compiledOn: prices.file.compiledOn },
        usage,
        totalUsd: sum(items),
        fixedUsd: sum(items.filter((i) => i.basis === "fixed")),
        usageUsd: sum(items.filter((i) => i.basis === "usage")),
        byComponent: groupBy(items, (i) => i.component),
        byType: groupBy(items, (i) => i.type),
        items,
        unpriced,
        freeResources,
    };
}

function placeOf(resource: PlanResource, links: GraphLinks): Omit<UnpricedItem, "reason"> {
    const top = links.topLevel(resource);
    return {
        urn: resource.urn,
        name: resource.name,
        type: resource.type,
        component: top === resource ? "(stack)" : `${top.name} (${top.type})`,
    };
}

function price(
    resource: PlanResource,
    charge: Charge,
    where: Omit<UnpricedItem, "reason">,
    prices: PriceBook,
): CostItem | UnpricedItem {
    const found = prices.find(charge.priceKey, resource.region);
    if (!found)
        return { ...where, reason: `${charge.description}: no price for ${charge.priceKey} in ${resource.region}` };
    return {
        ...where,
        region: resource.region,
        description: charge.description,
        basis: charge.basis,
        quantity: charge.quantity,
        unit: found.unit,
        priceKey: charge.priceKey,
        unitPriceUsd: found.usd,
        monthlyUsd: charge.quantity * found.usd,
        source: found.source,
    };
}

function groupBy(items: CostItem[], key: (item: CostItem) => string): CostGroup[] {
    const groups = new Map<string, CostGroup>();
    for (const item of items) {
        const name = key(item);
        const group = groups.get(name) ?? { name, totalUsd: 0, fixedUsd: 0, usageUsd: 0 };
        group.totalUsd += item.monthlyUsd;
        if (item.basis === "fixed") group.fixedUsd += item.monthlyUsd;
        else group.usageUsd += item.monthlyUsd;
        groups.set(name, group);
    }
    return [...groups.values()].sort((a, b) => b.totalUsd - a.totalUsd || a.name.localeCompare(b.name));
}
