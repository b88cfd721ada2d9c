import { PlanGraph, PlanResource } from "./graph";

/** The readable report of an offline plan: resources per component and per type, and the outputs. */
export function renderSummary(graph: PlanGraph): string {
    const lines: string[] = [];
    const custom = graph.resources.filter((r) => r.custom);
    lines.push(
        `Offline plan of ${graph.project}/${graph.stack} (${graph.region}): ${custom.length} resources, ` +
            `${graph.resources.length - custom.length} components; no AWS account or network used.`,
    );

    lines.push("", "Resources per component:");
    lines.push(...table([...countBy(custom, (r) => topComponent(graph, r))].sort(byName)));

    lines.push("", "Resources per type:");
    lines.push(...table([...countBy(custom, (r) => r.type)].sort(byName)));

    lines.push("", "Stack outputs:");
    const outputs = Object.entries(graph.outputs).sort(([a], [b]) => a.localeCompare(b));
    lines.push(...table(outputs.map(([k, v]) => [k, showOutput(v)])));
    return lines.join("\n");
}

/** The child of the stack root that the resource sits under, as "name (type)". */
function topComponent(graph: PlanGraph, resource: PlanResource): string {
    const byUrn = componentIndex(graph);
    let node: PlanResource | undefined = resource;
    while (node?.parent) {
        const parent = byUrn.get(node.parent);
        if (!parent || parent.type === "pulumi:pulumi:Stack") break;
        node = parent;
    }
    return node === resource ? "(stack)" : `${node?.name} (${node?.type})`;
}

const indexes = new WeakMap<PlanGraph, Map<string, PlanResource>>();
function componentIndex(graph: PlanGraph): Map<string, PlanResource> {
    let index = indexes.get(graph);
    if (!index) {
        index = new Map(graph.resources.map((r) => [r.urn, r]));
        indexes.set(graph, index);
    }
    return index;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, string> {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return new Map([...counts].map(([k, n]) => [k, String(n)]));
}

function byName([a]: [string, string], [b]: [string, string]): number {
    return a.localeCompare(b);
}

function table(rows: [string, string][]): string[] {
    const width = Math.max(0, ...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

function showOutput(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
