import { addressesNeeded, BlockRequest, Cidr, formatCidr, isPrivateRange, packBlocks, parseCidr } from "./cidr";
import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

export const SUBNET_LAYERS = ["public", "private", "isolated"] as const;
export type SubnetLayer = (typeof SUBNET_LAYERS)[number];

export const NAT_STRATEGIES = ["one-per-az", "single"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** One subnet of the layout: a layer in a zone, with its CIDR block. */
export interface SubnetPlan {
    layer: SubnetLayer;
    zone: string;
    cidr: string;
}

export interface NetworkConfig {
    vpcCidr: string;
    natStrategy: NatStrategy;
    /** Interface endpoints (ECR, CloudWatch Logs, Secrets Manager, SQS, STS) in the private subnets. */
    interfaceEndpoints: boolean;
    /** Every subnet, per layer in the order of the configured zones. */
    subnets: SubnetPlan[];
}

const DEFAULT_PREFIX: Record<SubnetLayer, number> = { public: 24, private: 20, isolated: 24 };

export function readNetworkConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): NetworkConfig {
    r.section("network", ["vpcCidr", "natStrategy", "interfaceEndpoints", "subnetPrefixLengths"], { required: true });
    r.section("network.subnetPrefixLengths", SUBNET_LAYERS);

    const vpcCidr = r.string("network.vpcCidr", { example: "10.20.0.0/16" });
    const natStrategy = r.oneOf("network.natStrategy", NAT_STRATEGIES, { default: "one-per-az" });
    minimums.require(
        "network.natStrategy",
        natStrategy,
        natStrategy === "one-per-az",
        "a NAT gateway in every zone (one-per-az), so that losing a zone does not cut the others off",
        "set it to one-per-az",
    );
    const interfaceEndpoints = r.boolean("network.interfaceEndpoints", { default: stack.isProduction });

    const prefixes = Object.fromEntries(
        SUBNET_LAYERS.map((layer) => [
            layer,
            r.integer(`network.subnetPrefixLengths.${layer}`, { min: 16, max: 28, default: DEFAULT_PREFIX[layer] }),
        ]),
    ) as Record<SubnetLayer, number>;

    return { vpcCidr, natStrategy, interfaceEndpoints, subnets: layOutSubnets(r, vpcCidr, stack, prefixes) };
}

/**
 * Reserves a block for every zone of the region in every layer (so adding a zone later never
 * renumbers existing subnets) and returns the subnets of the configured zones.
 */
function layOutSubnets(
    r: ConfigReader,
    vpcCidrText: string,
    stack: StackConfig,
    prefixes: Record<SubnetLayer, number>,
): SubnetPlan[] {
    const vpc = parseCidr(vpcCidrText);
    if (typeof vpc === "string") {
        if (vpcCidrText)
            r.problem(
                "network.vpcCidr",
                vpcCidrText,
                vpc,
                r.fixWith("network.vpcCidr", "set a private IPv4 block between /16 and /28", "10.20.0.0/16"),
            );
        return [];
    }
    if (vpc.prefix < 16 || vpc.prefix > 28) {
        r.problem(
            "network.vpcCidr",
            vpcCidrText,
            "AWS allows VPC blocks from /16 to /28",
            r.fixWith("network.vpcCidr", "use a /16 to /28 block", "10.20.0.0/16"),
        );
        return [];
    }
    if (!isPrivateRange(vpc)) {
        r.problem(
            "network.vpcCidr",
            vpcCidrText,
            "is not a private range (RFC 1918 or 100.64.0.0/10)",
            r.fixWith(
                "network.vpcCidr",
                "use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
                "10.20.0.0/16",
            ),
        );
        return [];
    }
    const requests: BlockRequest<string>[] = SUBNET_LAYERS.flatMap((layer) =>
        stack.regionZones.map((zone) => ({ key: `${layer}/${zone}`, prefix: prefixes[layer] })),
    );
    const placed = packBlocks(vpc, requests);
    if (!placed) {
        const sizes = SUBNET_LAYERS.map((layer) => `${layer} /${prefixes[layer]}`).join(", ");
        r.problem(
            "network.vpcCidr",
            vpcCidrText,
            `cannot hold ${stack.regionZones.length} zone slots of ${stack.region} × (${sizes}): ${addressesNeeded(requests)} addresses needed, the block has ${2 ** (32 - vpc.prefix)}`,
            "use a larger block (e.g. a /16) or longer network.subnetPrefixLengths",
        );
        return [];
    }
    // Zones outside the region were reported already; they get no subnet.
    return SUBNET_LAYERS.flatMap((layer) =>
        stack.availabilityZones
            .filter((zone) => placed.has(`${layer}/${zone}`))
            .map((zone) => ({ layer, zone, cidr: formatCidr(placed.get(`${layer}/${zone}`) as Cidr) })),
    );
}
