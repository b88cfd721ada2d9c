import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { Identity, ResourceType, StackIndex, tokenOf } from "./stack-index";
import { SUBNETS, VPCS } from "./type-groups";
import { knownOr } from "./unknowns";

/**
 * Where a subnet's traffic can go, from the routes of its route table: `public` reaches an internet
 * gateway, `private` leaves the VPC some other way (NAT, egress-only gateway, VPN, peering, transit
 * gateway), `isolated` has only the VPC's local route (and gateway endpoints).
 */
export type SubnetTier = "public" | "private" | "isolated";

const RANK: Record<SubnetTier, number> = { isolated: 0, private: 1, public: 2 };

const PUBLIC_TARGETS: ResourceType[] = [aws.ec2.InternetGateway];
const PRIVATE_TARGETS: ResourceType[] = [
    aws.ec2.NatGateway,
    aws.ec2.EgressOnlyInternetGateway,
    aws.ec2.VpnGateway,
    aws.ec2.VpcPeeringConnection,
    aws.ec2transitgateway.TransitGateway,
    aws.ec2.NetworkInterface,
];
const ROUTE_TABLES: ResourceType[] = [aws.ec2.RouteTable, aws.ec2.DefaultRouteTable];
const SUBNET_TOKENS = new Set(SUBNETS.map(tokenOf));
export const isSubnet = (r: PolicyResource) => SUBNET_TOKENS.has(r.type);
/** What an EC2 subnet id looks like (the subnets of other stacks and of the default VPC). */
const SUBNET_ID = /^subnet-[0-9a-f]+$/;

/** A DefaultRouteTable names its VPC's main route table, an attribute of the VPC (in its outputs). */
const defaultRouteTableOf: Identity = (vpc) => {
    const ids = ["defaultRouteTableId", "mainRouteTableId"]
        .map((attribute) => knownOr(() => vpc.props[attribute], undefined))
        .filter((id): id is string => typeof id === "string");
    return ids.length > 0 ? ids : undefined;
};

export interface Placement {
    zones: Set<string>;
    unplaced: PolicyResource[];
    foreign: string[];
    atMost: Set<string> | undefined;
}

/** Route fields that send traffic out of the VPC other than to an internet gateway. */
const PRIVATE_ROUTE_FIELDS = [
    "natGatewayId",
    "egressOnlyGatewayId",
    "transitGatewayId",
    "vpcPeeringConnectionId",
    "networkInterfaceId",
    "carrierGatewayId",
    "coreNetworkArn",
    "localGatewayId",
];

/** Route fields that name where traffic goes. */
const ROUTE_TARGET_FIELDS = ["gatewayId", "vpcEndpointId", ...PRIVATE_ROUTE_FIELDS];

export class Network {
    private static readonly cache = new WeakMap<readonly PolicyResource[], Network>();
    private readonly tiers = new Map<string, SubnetTier>();

    private constructor(private readonly index: StackIndex) {}

    static of(resources: readonly PolicyResource[]): Network {
        let network = Network.cache.get(resources);
        if (!network) {
            network = new Network(StackIndex.of(resources));
            Network.cache.set(resources, network);
        }
        return network;
    }

    /** The zone a subnet is pinned to (name or id), or undefined when AWS chooses. */
    zoneOf(subnet: PolicyResource): string | undefined {
        return subnet.props.availabilityZone ?? subnet.props.availabilityZoneId ?? undefined;
    }

    /** The stack's subnets an input of `resource` refers to (stand-ins included while it is unknown). */
    subnetsOf(resource: PolicyResource, property: string): PolicyResource[] {
        return this.index.sources(resource, property, ...SUBNETS);
    }

    /**
     * Where the subnets an input refers to are, judged by the subnet ids its value holds: their
     * distinct zones, the stack's subnets among them whose zone AWS chooses, and the subnet ids that
     * are not the stack's (their zones are not known here). While part of the value is unknown (a
     * preview), `atMost` holds the zones of every subnet it came from: the most it can span.
     */
    placementOf(resource: PolicyResource, property: string): Placement {
        const refs = this.index.references(resource, property);
        const subnets = refs.known.filter(isSubnet);
        const placement: Placement = {
            zones: new Set(),
            unplaced: [],
            foreign: refs.values.filter(
                (v) => SUBNET_ID.test(v) && !subnets.some((s) => knownOr(() => s.props.id === v, false)),
            ),
            atMost: undefined,
        };
        for (const subnet of subnets) {
            const zone = this.zoneOf(subnet);
            if (zone) placement.zones.add(zone);
            else placement.unplaced.push(subnet);
        }
        if (refs.standIns) {
            placement.atMost = new Set(placement.zones);
            for (const subnet of refs.standIns.filter(isSubnet)) {
                const zone = knownOr(() => this.zoneOf(subnet), undefined);
                if (zone) placement.atMost.add(zone);
            }
        }
        return placement;
    }

    tierOf(subnet: PolicyResource): SubnetTier {
        let tier = this.tiers.get(subnet.urn);
        if (!tier) {
            const tables = this.routeTablesOf(subnet);
            // The default VPC's main route table, when the stack does not manage it, sends all
            // traffic to the default VPC's internet gateway.
            tier =
                tables.length === 0 && this.inDefaultVpc(subnet)
                    ? "public"
                    : tables
                          .map((t) => this.tableTier(t))
                          .reduce<SubnetTier>((a, b) => (RANK[b] > RANK[a] ? b : a), "isolated");
            this.tiers.set(subnet.urn, tier);
        }
        return tier;
    }

    private inDefaultVpc(subnet: PolicyResource): boolean {
        return (
            subnet.type === tokenOf(aws.ec2.DefaultSubnet) ||
            this.index.sources(subnet, "vpcId", aws.ec2.DefaultVpc).length > 0
        );
    }

    /** The NAT gateways a subnet's route tables send traffic to. */
    natGatewaysOf(subnet: PolicyResource): PolicyResource[] {
        return this.routeTablesOf(subnet).flatMap((t) =>
            this.routeTargets(t).filter((r) => r.type === tokenOf(aws.ec2.NatGateway)),
        );
    }

    /**
     * The route tables of a subnet: its explicit association, else the main route table of its
     * VPC (the stack's MainRouteTableAssociation or DefaultRouteTable; a new VPC's main table has
     * only the local route).
     */
    private routeTablesOf(subnet: PolicyResource): PolicyResource[] {
        const associated = this.index
            .referrers(subnet, [aws.ec2.RouteTableAssociation], "subnetId")
            .flatMap((a) => this.index.sources(a, "routeTableId", ...ROUTE_TABLES));
        if (associated.length > 0) return associated;
        return this.index
            .sources(subnet, "vpcId", ...VPCS)
            .flatMap((vpc) => [
                ...this.index
                    .referrers(vpc, [aws.ec2.MainRouteTableAssociation], "vpcId")
                    .flatMap((m) => this.index.sources(m, "routeTableId", ...ROUTE_TABLES)),
                ...this.index
                    .ofType(aws.ec2.DefaultRouteTable)
                    .filter((t) => this.index.refersTo(t, "defaultRouteTableId", vpc, defaultRouteTableOf)),
            ]);
    }

    /** The gateways a table's inline routes and separate Route resources point at. */
    private routeTargets(table: PolicyResource): PolicyResource[] {
        const routes = this.index.referrers(table, [aws.ec2.Route], "routeTableId");
        return [
            ...this.index.sources(table, "routes"),
            ...routes.flatMap((r) => ROUTE_TARGET_FIELDS.flatMap((f) => this.index.sources(r, f))),
        ];
    }

    private tableTier(table: PolicyResource): SubnetTier {
        const targets = this.routeTargets(table);
        const is = (types: ResourceType[]) => targets.some((t) => types.some((type) => t.type === tokenOf(type)));
        if (is(PUBLIC_TARGETS)) return "public";
        const byLinks: SubnetTier = is(PRIVATE_TARGETS) ? "private" : "isolated";
        // Targets outside the stack (an imported gateway's id) are known only by value. During a
        // preview a value may be unknown: the links above then stand for it; without any link the
        // unknown value propagates, so the policy reports the subnet as unverifiable.
        const read = () =>
            [
                ...((table.props.routes ?? []) as Record<string, unknown>[]),
                ...this.index
                    .referrers(table, [aws.ec2.Route], "routeTableId")
                    .map((r) => r.props as Record<string, unknown>),
            ]
                .map(routeTierByValue)
                .reduce<SubnetTier>((a, b) => (RANK[b] > RANK[a] ? b : a), "isolated");
        const byValues = byLinks === "isolated" ? read() : knownOr(read, byLinks);
        return RANK[byValues] > RANK[byLinks] ? byValues : byLinks;
    }
}

function routeTierByValue(route: Record<string, unknown>): SubnetTier {
    const gateway = route.gatewayId;
    if (typeof gateway === "string" && gateway.startsWith("igw-")) return "public";
    if (typeof gateway === "string" && gateway.startsWith("vgw-")) return "private";
    return PRIVATE_ROUTE_FIELDS.some((f) => typeof route[f] === "string" && route[f] !== "") ? "private" : "isolated";
}
