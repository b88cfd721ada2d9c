import { writeFileSync } from "fs";
import type { PlanGraph } from "../graph";
import { readStackConfig } from "../stack-files";
import { costDiffMarkdown, costMarkdown, diffCosts, readPlanCost, renderCostDiff } from "./diff";
import { CostEstimate, estimateCost } from "./estimate";
import { PriceBook } from "./price-book";
import { renderCost } from "./report";
import { readUsageProfile, UsageProfile } from "./usage";

export interface CostOptions {
    stack: string;
    costDiff?: string;
    costMarkdown?: string;
}

/** The plan's cost work for one run: the inputs read and checked up front, the estimate made once. */
export class Costing {
    private readonly estimates = new WeakMap<PlanGraph, CostEstimate>();

    constructor(
        private readonly usage: UsageProfile,
        private readonly prices: PriceBook,
        private readonly base: CostEstimate | undefined,
        private readonly markdownFile: string | undefined,
    ) {}

    estimate(graph: PlanGraph): CostEstimate {
        let estimate = this.estimates.get(graph);
        if (!estimate) {
            estimate = estimateCost(graph, this.usage, this.prices);
            this.estimates.set(graph, estimate);
        }
        return estimate;
    }

    /** The printed cost section (and the Markdown file, when asked for). */
    report(graph: PlanGraph): string {
        const estimate = this.estimate(graph);
        const diff = this.base && diffCosts(this.base, estimate);
        if (this.markdownFile)
            writeFileSync(this.markdownFile, `${diff ? costDiffMarkdown(diff) : costMarkdown(estimate)}\n`);
        const sections = [renderCost(estimate, graph, this.prices.file)];
        if (diff) sections.push(renderCostDiff(diff));
        return sections.join("\n\n");
    }
}

/**
 * Reads what the cost needs before the program runs, so that a bad usage profile or base plan
 * fails before anything is evaluated or written.
 */
export function prepareCost(projectDir: string, options: CostOptions): Costing {
    const usage = readUsageProfile(readStackConfig(projectDir, options.stack));
    const base = options.costDiff ? readPlanCost(options.costDiff) : undefined;
    return new Costing(usage, PriceBook.load(), base, options.costMarkdown);
}
