import { budgetLimits, BUDGET_KEY, usd } from "./budget";
import type { CostEstimate, CostGroup } from "./estimate";
import type { PlanGraph } from "../graph";
import type { PriceFile } from "./price-book";
import type { UsageProfile } from "./usage";

/** What the estimate leaves out, said once wherever it is shown. */
export const NOT_ESTIMATED =
    "Not estimated: data transfer between zones and to the internet (NAT egress), KMS, S3 and Secrets Manager " +
    "API requests, Container Insights and application metrics, support plans and taxes. Free tiers are not " +
    "deducted (they are per account, shared by every stack in it). On-Demand list prices.";

/** The `--cost` section of the plan's output. */
export function renderCost(estimate: CostEstimate, graph: PlanGraph, prices: PriceFile): string {
    const lines = [
        `Monthly cost estimate of ${graph.project}/${estimate.stack} (${estimate.region}): ${usd(estimate.totalUsd)}`,
        `  fixed, billed by the hour whatever the traffic: ${usd(estimate.fixedUsd)}`,
        `  usage, from the usage profile (cost.usage):     ${usd(estimate.usageUsd)}`,
        "",
        "Per component:",
        ...groupTable(estimate.byComponent),
        "",
        "Per resource type:",
        ...groupTable(estimate.byType),
    ];
    if (estimate.unpriced.length > 0) {
        lines.push("", `Unpriced, not in the total (${estimate.unpriced.length}):`);
        for (const u of estimate.unpriced) lines.push(`  ${u.name} (${u.type}): ${u.reason}`);
    }
    lines.push(
        "",
        `${estimate.freeResources} resources cost nothing by themselves (IAM, security groups, routes, listeners, ...).`,
        "",
        `Usage profile: ${describeUsage(estimate.usage)}`,
        "",
        describePrices(prices),
        NOT_ESTIMATED,
    );
    for (const budget of budgetLimits(graph)) {
        const share = (estimate.totalUsd / budget.limitUsd) * 100;
        lines.push(
            `Budget ${BUDGET_KEY}: ${usd(budget.limitUsd)}; the estimate is ${share.toFixed(0)} % of it` +
                (share > 80 ? " (above the 80 % forecast alert: raise it or expect alerts)" : ""),
        );
    }
    return lines.join("\n");
}

export function describeUsage(profile: UsageProfile): string {
    const { storage, ...rest } = profile;
    const fields = Object.entries(rest).map(([k, v]) => `${k} ${formatNumber(v)}`);
    const stored = Object.entries(storage).map(([k, v]) => `storage.${k} ${formatNumber(v)}`);
    return [...fields, ...stored].join(", ");
}

export function describePrices(prices: PriceFile): string {
    const entries = Object.values(prices.prices).flatMap((section) => Object.values(section));
    const unverified = entries.filter((e) => !prices.sources[e.source]?.verified).length;
    return (
        `Prices: infra/offline/cost/prices.json ${prices.version} (compiled ${prices.compiledOn}); ` +
        `${unverified} of ${entries.length} prices not verified against AWS's price list: ` +
        "refresh with npm run prices:refresh where the network reaches AWS."
    );
}

function groupTable(groups: CostGroup[]): string[] {
    const width = Math.max(0, ...groups.map((g) => g.name.length));
    const head = `  ${"".padEnd(width)}  ${"total".padStart(11)}  ${"fixed".padStart(11)}  ${"usage".padStart(11)}`;
    return [
        head,
        ...groups.map(
            (g) => `  ${g.name.padEnd(width)}  ${money(g.totalUsd)}  ${money(g.fixedUsd)}  ${money(g.usageUsd)}`,
        ),
    ];
}

function money(amount: number): string {
    return usd(amount).padStart(11);
}

function formatNumber(value: number): string {
    return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}
