import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, PolicyResource, ReportViolation, validateResourceOfType } from "@pulumi/policy";
import { Mandate, PolicyMetadata, resourcePolicy, stackPolicy } from "./define";
import { Network } from "./support/network";
import { ResourceType, StackIndex } from "./support/stack-index";
import { CLASSIC_LOAD_BALANCERS, LOAD_BALANCERS, SUBNETS } from "./support/type-groups";
import { list } from "./support/documents";
import { checkEach, knownOr, undecidedUntilKnown } from "./support/unknowns";
import { isSet } from "./support/values";

const MANDATE: Mandate = "multi-az";

const minimumZonesSchema = {
    minimumZones: {
        type: "integer",
        minimum: 1,
        maximum: 6,
        default: 2,
        description: "Fewest distinct availability zones",
    },
} as const;

interface ZoneConfig {
    minimumZones: number;
}

/** "a, b" or "none". */
const listOf = (items: Iterable<string>) => [...items].sort().join(", ") || "none";

/**
 * A stack policy that places the subnets an input of each resource refers to (the subnet ids its
 * value holds, resolved through its links to the stack's aws.ec2.Subnet resources and their zones)
 * and requires `minimumZones` distinct zones; `zoneProperties` name inputs that list zones
 * directly; `extra` adds a resource's own capacity rule.
 */
function spansZones<Extra extends Record<string, unknown> = Record<string, never>>(
    meta: Omit<PolicyMetadata, "mandate" | "enforcementLevel" | "configSchema"> & {
        types: ResourceType[];
        /** The inputs that carry subnet ids. */
        properties: string[];
        /** Inputs that carry zone names (an Auto Scaling group's availabilityZones). */
        zoneProperties?: string[];
        /** When the policy applies to a resource (default: always). */
        applies?: (resource: PolicyResource) => boolean;
        extraSchema?: Record<string, unknown>;
        extra?: (resource: PolicyResource, config: Extra, report: ReportViolation) => void;
    },
) {
    const { types, properties, zoneProperties, applies, extraSchema, extra, ...rest } = meta;
    return stackPolicy(
        {
            ...rest,
            mandate: MANDATE,
            enforcementLevel: "mandatory",
            configSchema: {
                properties: { ...minimumZonesSchema, ...(extraSchema ?? {}) } as PolicyConfigSchema["properties"],
            },
        },
        (args, report) => {
            const config = args.getConfig<ZoneConfig & Extra>();
            const index = StackIndex.of(args.resources);
            const network = Network.of(args.resources);
            checkEach(
                index.ofType(...types),
                (r) => r.urn,
                (resource) => {
                    if (applies && !applies(resource)) return;
                    extra?.(resource, config, (message) => report(message, resource.urn));
                    const zones = new Set<string>();
                    const unplaced: string[] = [];
                    const foreign: string[] = [];
                    let atMost: Set<string> | undefined;
                    for (const property of properties) {
                        const placement = network.placementOf(resource, property);
                        placement.zones.forEach((z) => zones.add(z));
                        unplaced.push(...placement.unplaced.map((s) => s.name));
                        foreign.push(...placement.foreign);
                        if (placement.atMost) atMost = new Set([...(atMost ?? []), ...placement.atMost]);
                    }
                    for (const property of zoneProperties ?? []) {
                        for (const zone of list(resource.props[property] as string[] | undefined)) zones.add(zone);
                    }
                    if (zones.size >= config.minimumZones) return;
                    if (atMost && new Set([...zones, ...atMost]).size >= config.minimumZones) {
                        undecidedUntilKnown(
                            `the subnet ids of its ${properties.join(", ")} are not known yet, so the zones they span cannot be counted`,
                        );
                    }
                    const parts = [
                        ...(zones.size > 0 ? [`subnets in ${zones.size} zone(s) (${listOf(zones)})`] : []),
                        ...(unplaced.length > 0 ? [`subnets without a fixed zone (${unplaced.join(", ")})`] : []),
                        ...(foreign.length > 0
                            ? [`subnets from outside this stack (${foreign.join(", ")}), whose zones it does not show`]
                            : []),
                    ];
                    report(
                        `spans ${parts.length > 0 ? parts.join(", plus ") : "no subnet of this stack"}; at least ${config.minimumZones} zones are required so that one zone's outage leaves it running.`,
                        resource.urn,
                    );
                },
            );
        },
    );
}

export const lbMultiAz = spansZones({
    name: "lb-multi-az",
    description:
        "Load balancers (classic ones included) have subnets, or for a classic one in the default VPC availability zones, in several zones.",
    severity: "high",
    fsbp: ["ELB.10", "ELB.13"],
    remediation:
        "Pass one subnet per zone (the public subnets of every zone for an internet-facing load balancer, private ones for an internal one).",
    types: [...LOAD_BALANCERS, ...CLASSIC_LOAD_BALANCERS],
    properties: ["subnets", "subnetMappings"],
    zoneProperties: ["availabilityZones"],
});

export const autoscalingGroupMultiAz = spansZones({
    name: "autoscaling-group-multi-az",
    description:
        "Auto Scaling groups launch into subnets (or, in the default VPC, availability zones) of several zones and keep a minimum size that survives the loss of one instance.",
    severity: "high",
    fsbp: ["AutoScaling.2"],
    remediation:
        "Set vpcZoneIdentifiers to the private subnets of every zone and minSize to at least the minimum capacity.",
    types: [aws.autoscaling.Group],
    properties: ["vpcZoneIdentifiers"],
    zoneProperties: ["availabilityZones"],
    extraSchema: {
        minimumCapacity: { type: "integer", minimum: 1, default: 2, description: "Smallest allowed minSize" },
    },
    extra: (group, config: { minimumCapacity: number }, report) => {
        if (typeof group.props.minSize === "number" && group.props.minSize < config.minimumCapacity) {
            report(
                `minSize ${group.props.minSize} is below ${config.minimumCapacity}: a single instance failure takes the tier down.`,
            );
        }
    },
});

export const ecsServiceMultiAz = spansZones({
    name: "ecs-service-multi-az",
    description:
        "ECS services run tasks in subnets of several zones, with enough tasks to keep serving when one stops.",
    severity: "high",
    remediation:
        "Set networkConfiguration.subnets to the private subnets of every zone and desiredCount (the auto scaling minimum) to at least the minimum.",
    types: [aws.ecs.Service],
    properties: ["networkConfiguration"],
    applies: (service) => service.props.networkConfiguration !== undefined,
    extraSchema: {
        minimumTasks: { type: "integer", minimum: 1, default: 2, description: "Smallest allowed desiredCount" },
    },
    extra: (service, config: { minimumTasks: number }, report) => {
        if ((service.props.desiredCount ?? 0) < config.minimumTasks) {
            report(`desiredCount ${service.props.desiredCount ?? 0} is below ${config.minimumTasks}.`);
        }
    },
});

export const lambdaVpcMultiAz = spansZones({
    name: "lambda-vpc-multi-az",
    description: "Lambda functions attached to a VPC have subnets in several zones.",
    severity: "medium",
    fsbp: ["Lambda.5"],
    remediation: "Set vpcConfig.subnetIds to the private subnets of every zone.",
    types: [aws.lambda.Function],
    properties: ["vpcConfig"],
    // Subnet ids are unknown in a first preview; the links to the subnets are not.
    applies: (fn) =>
        fn.props.vpcConfig !== undefined && knownOr(() => (fn.props.vpcConfig.subnetIds ?? []).length > 0, true),
});

export const dataSubnetGroupsMultiAz = spansZones({
    name: "data-subnet-groups-multi-az",
    description:
        "RDS and ElastiCache subnet groups, and serverless caches' subnets, offer subnets in several zones, so that standbys and replicas can be placed apart.",
    severity: "high",
    remediation: "Build the subnet group (or a serverless cache's subnetIds) from the isolated subnets of every zone.",
    types: [aws.rds.SubnetGroup, aws.elasticache.SubnetGroup, aws.elasticache.ServerlessCache],
    properties: ["subnetIds"],
});

interface RdsConfig extends ZoneConfig {
    minimumInstances: number;
}

export const rdsMultiAz = stackPolicy(
    {
        name: "rds-multi-az",
        description:
            "Aurora clusters have at least two instances (linked by their `clusterIdentifier` input), each pinned to a distinct zone that the cluster's subnet group covers; standalone RDS instances are Multi-AZ.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: MANDATE,
        fsbp: ["RDS.5", "RDS.15"],
        remediation:
            "Add a reader aws.rds.ClusterInstance per extra zone with availabilityZone set to a zone of the subnet group (writer and readers in different zones); set multiAz: true on standalone instances.",
        configSchema: {
            properties: {
                ...minimumZonesSchema,
                minimumInstances: {
                    type: "integer",
                    minimum: 1,
                    default: 2,
                    description: "Fewest instances per Aurora cluster (writer + readers)",
                },
            },
        },
    },
    (args, report) => {
        const config = args.getConfig<RdsConfig>();
        const index = StackIndex.of(args.resources);
        const network = Network.of(args.resources);
        checkEach(
            index.ofType(aws.rds.Cluster),
            (r) => r.urn,
            (cluster) => {
                if (!String(cluster.props.engine).startsWith("aurora")) return;
                const instances = index.referrers(cluster, [aws.rds.ClusterInstance], "clusterIdentifier");
                if (instances.length < config.minimumInstances) {
                    report(
                        `has ${instances.length} instance(s); at least ${config.minimumInstances} are required so that a reader can take over from the writer.`,
                        cluster.urn,
                    );
                }
                const pinned = instances.filter((i) => typeof i.props.availabilityZone === "string");
                const unpinned = instances.filter((i) => !pinned.includes(i)).map((i) => i.name);
                const zones = new Set(pinned.map((i) => i.props.availabilityZone as string));
                // With fewer instances than zones the count above already explains the shortfall.
                if (instances.length >= config.minimumZones && zones.size < config.minimumZones) {
                    report(
                        `instances are pinned to ${zones.size} distinct zone(s) (${listOf(zones)})` +
                            (unpinned.length > 0
                                ? `; ${unpinned.join(", ")} let RDS choose, which may put them in the same zone`
                                : "") +
                            ".",
                        cluster.urn,
                    );
                }
                const groupZones = new Set(
                    index
                        .sources(cluster, "dbSubnetGroupName", aws.rds.SubnetGroup)
                        .flatMap((g) => [...network.placementOf(g, "subnetIds").zones]),
                );
                if (groupZones.size > 0) {
                    for (const instance of pinned) {
                        if (!groupZones.has(instance.props.availabilityZone)) {
                            report(
                                `instance ${instance.name} is pinned to ${instance.props.availabilityZone}, a zone the subnet group does not cover (${listOf(groupZones)}): RDS rejects it.`,
                                cluster.urn,
                            );
                        }
                    }
                }
            },
        );
        checkEach(
            index.ofType(aws.rds.Instance),
            (r) => r.urn,
            (instance) => {
                if (instance.props.multiAz !== true)
                    report("multiAz is not true: the instance has no standby in another zone.", instance.urn);
            },
        );
    },
);

interface CacheConfig {
    minimumNodes: number;
}

export const elasticacheMultiAz = resourcePolicy(
    {
        name: "elasticache-multi-az",
        description:
            "ElastiCache replication groups are Multi-AZ with automatic failover and at least two nodes per shard; a standalone cache cluster, which cannot fail over, spreads at least as many Memcached nodes across zones (a Redis or Valkey one cannot).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: MANDATE,
        fsbp: ["ElastiCache.3"],
        remediation:
            'Set multiAzEnabled: true, automaticFailoverEnabled: true and numCacheClusters >= 2 (replicasPerNodeGroup >= 1 in cluster mode); give a Memcached cluster azMode "cross-az" and numCacheNodes >= 2; make a standalone Redis or Valkey cluster a replication group.',
        configSchema: {
            properties: {
                minimumNodes: {
                    type: "integer",
                    minimum: 1,
                    default: 2,
                    description: "Fewest nodes per shard (primary + replicas)",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, report) => {
            const { minimumNodes } = args.getConfig<CacheConfig>();
            const clustered =
                group.numNodeGroups !== undefined ||
                group.replicasPerNodeGroup !== undefined ||
                (group.nodeGroupConfigurations ?? []).length > 0;
            const nodesPerShard = clustered ? (group.replicasPerNodeGroup ?? 0) + 1 : (group.numCacheClusters ?? 1);
            if (nodesPerShard < minimumNodes)
                report(`has ${nodesPerShard} node(s) per shard; at least ${minimumNodes} are required.`);
            if (group.automaticFailoverEnabled !== true)
                report("automaticFailoverEnabled is not true: losing the primary loses writes until it is replaced.");
            if (group.multiAzEnabled !== true)
                report("multiAzEnabled is not true: replicas may share the primary's zone.");
            const azs = group.preferredCacheClusterAzs ?? [];
            if (azs.length > 1 && new Set(azs).size < Math.min(azs.length, 2))
                report(`preferredCacheClusterAzs put every node in ${azs[0]}.`);
        }),
        // A member of a replication group is placed by the group.
        validateResourceOfType(aws.elasticache.Cluster, (cluster, args, report) => {
            if (isSet(cluster.replicationGroupId)) return;
            const { minimumNodes } = args.getConfig<CacheConfig>();
            if (cluster.engine !== "memcached") {
                report(
                    `is a standalone ${cluster.engine ?? "cache"} cluster: a single node with no replica to fail over to.`,
                );
                return;
            }
            if ((cluster.numCacheNodes ?? 1) < minimumNodes)
                report(`has ${cluster.numCacheNodes ?? 1} node(s); at least ${minimumNodes} are required.`);
            if (cluster.azMode !== "cross-az")
                report(`azMode is ${cluster.azMode ?? "single-az (the default)"}: every node is in one zone.`);
        }),
    ],
);

export const efsMultiAz = stackPolicy(
    {
        name: "efs-multi-az",
        description:
            "EFS file systems are regional (not One Zone) and have mount targets (linked by their `fileSystemId` input) in several zones, one per zone (EFS rejects a second mount target in a zone).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: MANDATE,
        remediation:
            "Leave availabilityZoneName unset and add one aws.efs.MountTarget per zone, each in that zone's subnet.",
        configSchema: { properties: { ...minimumZonesSchema } },
    },
    (args, report) => {
        const { minimumZones } = args.getConfig<ZoneConfig>();
        const index = StackIndex.of(args.resources);
        const network = Network.of(args.resources);
        checkEach(
            index.ofType(aws.efs.FileSystem),
            (r) => r.urn,
            (fs) => {
                if (isSet(fs.props.availabilityZoneName)) {
                    report(
                        `is a One Zone file system in ${fs.props.availabilityZoneName}: its data lives in a single zone.`,
                        fs.urn,
                    );
                }
                const byZone = new Map<string, string[]>();
                for (const target of index.referrers(fs, [aws.efs.MountTarget], "fileSystemId")) {
                    for (const zone of network.placementOf(target, "subnetId").zones)
                        byZone.set(zone, [...(byZone.get(zone) ?? []), target.name]);
                }
                if (byZone.size < minimumZones)
                    report(
                        `has mount targets in ${byZone.size} zone(s) (${listOf(byZone.keys())}); at least ${minimumZones} are required.`,
                        fs.urn,
                    );
                for (const [zone, targets] of byZone) {
                    if (targets.length > 1)
                        report(
                            `has ${targets.length} mount targets in ${zone} (${targets.join(", ")}): EFS allows one per zone.`,
                            fs.urn,
                        );
                }
            },
        );
    },
);

export const natGatewayPerAz = stackPolicy(
    {
        name: "nat-gateway-per-az",
        description:
            "Every private subnet reaches the internet through a NAT gateway in its own zone (or a regional NAT gateway), so that one zone's outage does not cut the others' egress.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: MANDATE,
        remediation:
            "Create a NAT gateway in a public subnet of every zone that has private subnets and route each zone's private route table to its own zone's NAT gateway.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        const network = Network.of(args.resources);
        checkEach(
            index.ofType(...SUBNETS),
            (r) => r.urn,
            (subnet) => {
                const nats = network.natGatewaysOf(subnet);
                if (nats.length === 0 || nats.some((n) => n.props.availabilityMode === "regional")) return;
                const zone = network.zoneOf(subnet);
                const natZones = new Set(nats.flatMap((n) => [...network.placementOf(n, "subnetId").zones]));
                if (!zone || !natZones.has(zone)) {
                    report(
                        `private subnet in ${zone ?? "a zone AWS chooses"} sends its egress to a NAT gateway in ${listOf(natZones)}: that zone's outage cuts this one's internet access.`,
                        subnet.urn,
                    );
                }
            },
        );
    },
);

export const multiAzPolicies = [
    rdsMultiAz,
    elasticacheMultiAz,
    efsMultiAz,
    autoscalingGroupMultiAz,
    lbMultiAz,
    ecsServiceMultiAz,
    lambdaVpcMultiAz,
    dataSubnetGroupsMultiAz,
    natGatewayPerAz,
];
