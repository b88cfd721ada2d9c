/** What a test reads back from a drawn diagram: its nodes, arrows and boxes with their data attributes. */
export interface DrawnNode {
    id: string;
    label: string;
    zone?: string;
    tier?: string;
    band?: string;
    urns: string[];
}

export interface DrawnDiagram {
    zones: string[];
    nodes: DrawnNode[];
    edges: { from: string; to: string; kind: string }[];
    groups: { id: string; kind: string }[];
}

const attributes = (tag: string) =>
    Object.fromEntries(
        [...tag.matchAll(/ data-([a-z]+)="([^"]*)"/g)].map((m) => [
            m[1],
            m[2].replace(/&quot;/g, '"').replace(/&amp;/g, "&"),
        ]),
    );

export function readDrawing(svg: string): DrawnDiagram {
    const root = attributes(/<svg[^>]*>/.exec(svg)?.[0] ?? "");
    return {
        zones: (root.zones ?? "").split(" ").filter(Boolean),
        nodes: [...svg.matchAll(/<g class="node"[^>]*>/g)].map(([tag]) => {
            const a = attributes(tag);
            return {
                id: a.id,
                label: a.label,
                zone: a.zone,
                tier: a.tier,
                band: a.band,
                urns: a.urns.split(" ").filter(Boolean),
            };
        }),
        edges: [...svg.matchAll(/<path class="edge"[^>]*>/g)].map(([tag]) => {
            const a = attributes(tag);
            return { from: a.from, to: a.to, kind: a.kind };
        }),
        groups: [...svg.matchAll(/<g class="group"[^>]*>/g)].map(([tag]) => {
            const a = attributes(tag);
            return { id: a.id, kind: a.kind };
        }),
    };
}
