import { readFileSync } from "fs";
import { usd } from "./budget";
import type { CostEstimate, CostGroup } from "./estimate";
import { NOT_ESTIMATED } from "./report";

export interface GroupChange {
    name: string;
    baseUsd: number;
    headUsd: number;
    deltaUsd: number;
}

/** How a change moves a stack's monthly estimate: in total, per component and per resource type. */
export interface CostDiff {
    stack: string;
    region: string;
    baseUsd: number;
    headUsd: number;
    deltaUsd: number;
    byComponent: GroupChange[];
    byType: GroupChange[];
}

/** A base plan that cannot be compared. */
export class CostDiffError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CostDiffError";
    }
}

/** Changes smaller than half a cent are noise from rounding, not changes. */
const EPSILON = 0.005;

/** The cost breakdown of a plan written with `--cost --json <file>`. */
export function readPlanCost(file: string): CostEstimate {
    let plan: { cost?: CostEstimate };
    try {
        plan = JSON.parse(readFileSync(file, "utf8")) as { cost?: CostEstimate };
    } catch (err) {
        throw new CostDiffError(`Cannot read the base plan ${file}: ${(err as Error).message}`);
    }
    if (!plan.cost || typeof plan.cost.totalUsd !== "number")
        throw new CostDiffError(
            `The base plan ${file} has no cost breakdown: write it with npm run plan -- --stack <stack> --cost --json ${file}`,
        );
    return plan.cost;
}

export function diffCosts(base: CostEstimate, head: CostEstimate): CostDiff {
    return {
        stack: head.stack,
        region: head.region,
        baseUsd: base.totalUsd,
        headUsd: head.totalUsd,
        deltaUsd: head.totalUsd - base.totalUsd,
        byComponent: changes(base.byComponent, head.byComponent),
        byType: changes(base.byType, head.byType),
    };
}

function changes(base: CostGroup[], head: CostGroup[]): GroupChange[] {
    const names = [...new Set([...base, ...head].map((g) => g.name))];
    const total = (groups: CostGroup[], name: string) => groups.find((g) => g.name === name)?.totalUsd ?? 0;
    return names
        .map((name) => {
            const baseUsd = total(base, name);
            const headUsd = total(head, name);
            return { name, baseUsd, headUsd, deltaUsd: headUsd - baseUsd };
        })
        .filter((c) => Math.abs(c.deltaUsd) >= EPSILON)
        .sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd) || a.name.localeCompare(b.name));
}

export function signedUsd(amount: number): string {
    if (Math.abs(amount) < EPSILON) return usd(0);
    return `${amount > 0 ? "+" : "−"}${usd(Math.abs(amount))}`;
}

function percent(diff: CostDiff): string {
    return diff.baseUsd > 0
        ? ` (${diff.deltaUsd >= 0 ? "+" : "−"}${Math.abs((diff.deltaUsd / diff.baseUsd) * 100).toFixed(1)} %)`
        : "";
}

/** The `--cost-diff` section of the plan's output. */
export function renderCostDiff(diff: CostDiff): string {
    const lines = [
        `Monthly cost change of ${diff.stack} (${diff.region}): ${signedUsd(diff.deltaUsd)}${percent(diff)}, ` +
            `from ${usd(diff.baseUsd)} to ${usd(diff.headUsd)}`,
    ];
    for (const [title, list] of [
        ["Per component:", diff.byComponent],
        ["Per resource type:", diff.byType],
    ] as const) {
        if (list.length === 0) continue;
        const width = Math.max(...list.map((c) => c.name.length));
        lines.push(
            "",
            title,
            ...list.map(
                (c) =>
                    `  ${c.name.padEnd(width)}  ${signedUsd(c.deltaUsd).padStart(12)}  (${usd(c.baseUsd)} → ${usd(c.headUsd)})`,
            ),
        );
    }
    if (diff.byComponent.length === 0) lines.push("No change.");
    return lines.join("\n");
}

/** The cost difference as Markdown, for the pull request comment. */
export function costDiffMarkdown(diff: CostDiff): string {
    const change =
        Math.abs(diff.deltaUsd) < EPSILON ? "no change" : `${signedUsd(diff.deltaUsd)}${percent(diff)} a month`;
    const lines = [
        `#### ${diff.stack} (${diff.region}): ${change}`,
        "",
        `${usd(diff.baseUsd)} on the base branch → **${usd(diff.headUsd)}** with this change.`,
    ];
    if (diff.byComponent.length > 0) lines.push("", ...markdownTable("Component", diff.byComponent));
    if (diff.byType.length > 0)
        lines.push(
            "",
            "<details><summary>Per resource type</summary>",
            "",
            ...markdownTable("Resource type", diff.byType),
            "",
            "</details>",
        );
    return lines.join("\n");
}

/** A stack's estimate as Markdown, when there is no base to compare with. */
export function costMarkdown(estimate: CostEstimate): string {
    return [
        `#### ${estimate.stack} (${estimate.region}): ${usd(estimate.totalUsd)} a month`,
        "",
        `${usd(estimate.fixedUsd)} fixed, ${usd(estimate.usageUsd)} from the usage profile; no base plan to compare with.`,
        "",
        "| Component | Monthly |",
        "| --- | ---: |",
        ...estimate.byComponent.map((g) => `| ${g.name} | ${usd(g.totalUsd)} |`),
        "",
        `<sub>${NOT_ESTIMATED}</sub>`,
    ].join("\n");
}

function markdownTable(title: string, list: GroupChange[]): string[] {
    return [
        `| ${title} | Base | This change | Difference |`,
        "| --- | ---: | ---: | ---: |",
        ...list.map((c) => `| ${c.name} | ${usd(c.baseUsd)} | ${usd(c.headUsd)} | ${signedUsd(c.deltaUsd)} |`),
    ];
}
