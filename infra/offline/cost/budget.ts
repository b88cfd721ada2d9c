import type { PlanGraph } from "../graph";
import { estimateCost, CostEstimate } from "./estimate";
import { PriceBook } from "./price-book";
import { USAGE_DEFAULTS } from "./usage";

/** The stack setting the budget's limit comes from (the README names it the same way). */
export const BUDGET_KEY = "observability.budget.monthlyLimitUsd";
const BUDGET_TYPE = "aws:budgets/budget:Budget";

export interface BudgetLimit {
    name: string;
    limitUsd: number;
}

/** The monthly USD limits of the plan's cost budgets, as recorded in the graph. */
export function budgetLimits(graph: PlanGraph): BudgetLimit[] {
    return graph.resources
        .filter((r) => r.type === BUDGET_TYPE && r.inputs.timeUnit === "MONTHLY" && r.inputs.limitUnit === "USD")
        .map((r) => ({ name: r.name, limitUsd: Number(r.inputs.limitAmount) }))
        .filter((b) => Number.isFinite(b.limitUsd));
}

/** A budget below the plan's fixed monthly cost: a configuration error, whatever the traffic. */
export class BudgetError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BudgetError";
    }
}

/**
 * Fails when a cost budget's limit is below what the plan costs by the hour alone. Fixed costs do
 * not depend on the usage profile, so any profile will do; the caller's estimate is used when given.
 */
export function checkBudget(graph: PlanGraph, estimate?: CostEstimate): void {
    const limits = budgetLimits(graph);
    if (limits.length === 0) return;
    const fixedUsd = (estimate ?? estimateCost(graph, USAGE_DEFAULTS.dev, PriceBook.load())).fixedUsd;
    const low = limits.filter((b) => b.limitUsd < fixedUsd);
    if (low.length === 0) return;
    const needed = Math.ceil(fixedUsd / 50) * 50;
    throw new BudgetError(
        `Invalid configuration for stack "${graph.stack}":\n` +
            low
                .map(
                    (b) =>
                        `  - ${graph.project}:${BUDGET_KEY} = ${b.limitUsd}: below the stack's fixed monthly cost of ` +
                        `${usd(fixedUsd)} (NAT gateways, load balancers, databases, tasks and the rest billed by the hour; ` +
                        `npm run plan -- --stack ${graph.stack} --cost lists them), so the budget would alarm every month. ` +
                        `Fix: raise it to at least ${needed} (pulumi config set --path '${BUDGET_KEY}' ${needed}), ` +
                        `or remove fixed costs (e.g. network.natStrategy single, fewer database.readers)`,
                )
                .join("\n"),
    );
}

export function usd(amount: number): string {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
