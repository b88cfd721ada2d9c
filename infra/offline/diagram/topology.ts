import type { PlanResource } from "../graph";
import type { GraphLinks } from "../links";

export const SUBNET = "aws:ec2/subnet:Subnet";
export type Tier = "public" | "private" | "isolated";
export const TIERS: readonly Tier[] = ["public", "private", "isolated"];

export interface Subnet {
    resource: PlanResource;
    zone: string;
    tier: Tier;
}

/** The VPC as the graph lays it out: its zones in order and the tier and zone of each subnet. */
export interface Topology {
    zones: string[];
    subnets: Map<string, Subnet>;
    /** The subnet of a tier in a zone. */
    subnetIn(zone: string, tier: Tier): Subnet | undefined;
}

/**
 * A subnet's tier comes from the routes of its route table, as the policy pack reads them:
 * a route to an internet gateway makes it public, to a NAT gateway (or other egress) private,
 * none isolated.
 */
export function readTopology(links: GraphLinks): Topology {
    const subnets = new Map<string, Subnet>();
    for (const subnet of links.ofType(SUBNET)) {
        const zone = String(subnet.inputs.availabilityZone);
        subnets.set(subnet.urn, { resource: subnet, zone, tier: tierOf(subnet, links) });
    }
    const zones = [...new Set([...subnets.values()].map((s) => s.zone))].sort();
    return {
        zones,
        subnets,
        subnetIn: (zone, tier) => [...subnets.values()].find((s) => s.zone === zone && s.tier === tier),
    };
}

function tierOf(subnet: PlanResource, links: GraphLinks): Tier {
    const association = links.dependents(subnet, "aws:ec2/routeTableAssociation:RouteTableAssociation", "subnetId")[0];
    const table = association && links.source(association, "routeTableId", "aws:ec2/routeTable:RouteTable");
    const targets = table ? links.sources(table, "routes").map((r) => r.type) : [];
    if (targets.includes("aws:ec2/internetGateway:InternetGateway")) return "public";
    return targets.length > 0 ? "private" : "isolated";
}

/** The route table's NAT gateway that a subnet sends its egress to, if any. */
export function natOf(subnet: PlanResource, links: GraphLinks): PlanResource | undefined {
    const association = links.dependents(subnet, "aws:ec2/routeTableAssociation:RouteTableAssociation", "subnetId")[0];
    const table = association && links.source(association, "routeTableId", "aws:ec2/routeTable:RouteTable");
    return table && links.source(table, "routes", "aws:ec2/natGateway:NatGateway");
}

/** The subnets (known to the topology) that an input of `resource` came from. */
export function subnetsOf(resource: PlanResource, property: string, links: GraphLinks, topology: Topology): Subnet[] {
    return links
        .sources(resource, property, SUBNET)
        .map((s) => topology.subnets.get(s.urn))
        .filter((s): s is Subnet => s !== undefined);
}
