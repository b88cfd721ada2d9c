import type { PlanGraph } from "../graph";
import { GraphLinks } from "../links";
import { readFlows, Flow } from "./flows";
import { Part, readParts } from "./parts";
import { readTopology, Tier } from "./topology";

/**
 * Where a node is drawn: a band around the region, the VPC itself (inside it, or on its border as
 * the internet gateway), or a subnet of a zone.
 */
export type Band = "edge" | "regional" | "operations";
export type Place = { band: Band } | { vpc: "inside" | "border" } | { zone: string; tier: Tier };

export interface DiagramNode {
    id: string;
    label: string;
    detail: string[];
    icon: string;
    /** The planned resources the node stands for. */
    urns: string[];
    place: Place;
}

/** "flow": requests or messages; "attach": protects or authorises, without a direction of traffic. */
export interface DiagramEdge {
    from: string;
    to: string;
    kind: "flow" | "attach";
}

export interface DiagramModel {
    project: string;
    stack: string;
    region: string;
    zones: string[];
    nodes: DiagramNode[];
    edges: DiagramEdge[];
}

/**
 * Reads the architecture from the plan: every part and the zone and subnet it lands in, found
 * through the graph's links, and the request flows between parts from their references.
 */
export function readArchitecture(graph: PlanGraph): DiagramModel {
    const links = new GraphLinks(graph);
    const topology = readTopology(links);
    const { parts, partOf, egress } = readParts(links, topology);
    const flows = readFlows(links, partOf);
    return draw(graph, topology.zones, parts, flows, egress);
}

/** Nodes and arrows: a part in several zones is a node per zone. */
function draw(
    graph: PlanGraph,
    zones: string[],
    parts: Map<string, Part>,
    flows: Flow[],
    egress: { zone: string; nat: string }[],
): DiagramModel {
    const nodes: DiagramNode[] = [];
    const zonal = new Map<string, Map<string, string>>();
    for (const part of parts.values()) {
        if (!("zones" in part.place)) {
            nodes.push({
                id: part.id,
                label: part.label,
                detail: part.detail,
                icon: part.icon,
                urns: part.urns,
                place: part.place,
            });
            continue;
        }
        const byZone = new Map<string, string>();
        for (const placed of part.place.zones) {
            if (byZone.has(placed.zone)) continue;
            const id = `${part.id}@${placed.zone}`;
            byZone.set(placed.zone, id);
            const detail = placed.detail ?? part.detail;
            nodes.push({
                id,
                label: part.label,
                detail,
                icon: part.icon,
                urns: placed.urns ?? part.urns,
                place: { zone: placed.zone, tier: placed.tier },
            });
        }
        zonal.set(part.id, byZone);
    }
    const edges: DiagramEdge[] = [];
    for (const flow of flows) {
        const from = zonal.get(flow.from);
        const to = zonal.get(flow.to);
        if (from && to) {
            // Between two multi-zone parts, traffic stays in its zone: one arrow per zone both are in.
            for (const [zone, id] of from)
                if (to.has(zone)) edges.push({ from: id, to: to.get(zone) as string, kind: flow.kind });
        } else if (from) for (const id of from.values()) edges.push({ from: id, to: flow.to, kind: flow.kind });
        else if (to) for (const id of to.values()) edges.push({ from: flow.from, to: id, kind: flow.kind });
        else edges.push(flow);
    }
    for (const { zone, nat } of egress) {
        const natNode = zonal.get(nat)?.values().next().value;
        if (natNode) edges.push({ from: subnetId(zone, "private"), to: natNode, kind: "flow" });
    }
    return {
        project: graph.project,
        stack: graph.stack,
        region: graph.region,
        zones,
        nodes,
        edges,
    };
}

/** The id of a subnet's box in the diagram. */
export function subnetId(zone: string, tier: Tier): string {
    return `subnet:${zone}:${tier}`;
}
