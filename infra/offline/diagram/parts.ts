import type { PlanResource } from "../graph";
import type { GraphLinks } from "../links";
import type { Band } from "./model";
import { T } from "./resource-types";
import { natOf, subnetsOf, Tier, Topology } from "./topology";

/** A part of the architecture before it is drawn: outside the VPC, or in one or more zones. */
export interface Part {
    id: string;
    label: string;
    detail: string[];
    icon: string;
    urns: string[];
    place: { band: Band } | { vpc: "inside" | "border" } | { zones: ZonePlacement[] };
}

export interface ZonePlacement {
    zone: string;
    tier: Tier;
    /** Per-zone detail (e.g. which services, or writer/reader). */
    detail?: string[];
    urns?: string[];
}

/** The parts of the architecture, which part each drawn resource belongs to, and each private subnet's NAT gateway. */
export interface Parts {
    parts: Map<string, Part>;
    partOf: Map<string, string>;
    /** Egress from a private subnet (by zone) to a NAT gateway part. */
    egress: { zone: string; nat: string }[];
}

const urnsOf = (resources: PlanResource[]) => resources.map((r) => r.urn);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const shortName = (resource: PlanResource, prefix: string) =>
    resource.name.startsWith(`${prefix}-`) ? resource.name.slice(prefix.length + 1) : resource.name;

/** Reads every part of the architecture and the zones and subnets it lands in, through the graph's links. */
export function readParts(links: GraphLinks, topology: Topology): Parts {
    const reader = new PartsReader(links, topology);
    reader.addEdgeParts();
    reader.addRegionalParts();
    reader.addOperationsParts();
    reader.addNetworkParts();
    reader.addComputeParts();
    reader.addDataParts();
    return { parts: reader.parts, partOf: reader.partOf, egress: reader.egress };
}

class PartsReader {
    readonly parts = new Map<string, Part>();
    /** The part each drawn resource belongs to. */
    readonly partOf = new Map<string, string>();
    readonly egress: { zone: string; nat: string }[] = [];

    constructor(
        private readonly links: GraphLinks,
        private readonly topology: Topology,
    ) {}

    private add(part: Part): void {
        if (part.urns.length === 0 && part.id !== "users") return;
        this.parts.set(part.id, part);
        for (const urn of part.urns) this.partOf.set(urn, part.id);
        if ("zones" in part.place)
            for (const z of part.place.zones) for (const urn of z.urns ?? []) this.partOf.set(urn, part.id);
    }

    private of(type: string): PlanResource[] {
        return this.links.ofType(type);
    }

    addEdgeParts(): void {
        this.add({
            id: "users",
            label: "Customers",
            detail: ["browsers and apps", "in Africa"],
            icon: "users",
            urns: [],
            place: { band: "edge" },
        });
        const zones = this.of(T.zone);
        const records = this.of(T.record);
        const checks = this.of(T.healthCheck);
        this.add({
            id: "route53",
            label: "Route 53",
            detail: [
                zones.length > 0 ? "hosted zone" : "existing hosted zone",
                `${plural(records.length, "record")}, ${plural(checks.length, "health check")}`,
            ],
            icon: "route53",
            urns: urnsOf([...zones, ...records, ...checks]),
            place: { band: "edge" },
        });
        for (const distribution of this.of(T.distribution)) {
            const functions = this.of(T.cfFunction);
            this.add({
                id: `cdn:${distribution.urn}`,
                label: "CloudFront",
                detail: [String(distribution.inputs.priceClass ?? "all edges"), plural(functions.length, "function")],
                icon: "cloudfront",
                urns: urnsOf([distribution, ...functions]),
                place: { band: "edge" },
            });
        }
        for (const acl of this.of(T.acl)) {
            const rules = ((acl.inputs.rules ?? []) as unknown[]).length;
            const atEdge = acl.inputs.scope === "CLOUDFRONT";
            this.add({
                id: `waf:${acl.urn}`,
                label: atEdge ? "WAF (CloudFront)" : "WAF (regional)",
                detail: [plural(rules, "rule"), acl.region],
                icon: "waf",
                urns: urnsOf([acl, ...this.links.dependents(acl, T.aclAssociation, "webAclArn")]),
                place: { band: atEdge ? "edge" : "regional" },
            });
        }
    }

    addRegionalParts(): void {
        for (const pool of this.of(T.userPool))
            this.add({
                id: `cognito:${pool.urn}`,
                label: "Cognito",
                detail: ["user pool", `${String(pool.inputs.userPoolTier ?? "ESSENTIALS").toLowerCase()} plan`],
                icon: "cognito",
                urns: [pool.urn],
                place: { band: "regional" },
            });
        for (const api of this.of(T.api)) {
            const routes = this.links.dependents(api, T.route, "apiId");
            const parts = [T.integration, T.authorizer, T.apiMapping, "aws:apigatewayv2/stage:Stage"].flatMap((t) =>
                this.links.dependents(api, t, "apiId"),
            );
            this.add({
                id: `api:${api.urn}`,
                label: "API Gateway",
                detail: [`${String(api.inputs.protocolType)} API`, plural(routes.length, "route")],
                icon: "apigateway",
                urns: urnsOf([api, ...routes, ...parts, ...this.of(T.domainName)]),
                place: { band: "regional" },
            });
        }
        const served = this.of(T.bucket).filter((b) => this.links.dependents(b, T.distribution, "origins").length > 0);
        for (const bucket of served)
            this.add({
                id: `s3:${bucket.urn}`,
                label: "S3",
                detail: ["static assets", "and uploads"],
                icon: "s3",
                urns: [bucket.urn],
                place: { band: "regional" },
            });
        for (const queue of this.of(T.queue)) {
            const dlq = this.links.source(queue, "redrivePolicy", T.queue);
            if (!dlq) continue;
            this.add({
                id: `sqs:${queue.urn}`,
                label: "SQS",
                detail: [shortName(queue, "queues"), "with its DLQ"],
                icon: "sqs",
                urns: [queue.urn, dlq.urn],
                place: { band: "regional" },
            });
        }
        for (const fn of this.of(T.fn).filter((f) => !f.inputs.vpcConfig))
            this.add({
                id: `fn:${fn.urn}`,
                label: "Lambda",
                detail: [shortName(fn, "functions"), `${String(fn.inputs.memorySize ?? 128)} MB`],
                icon: "lambda",
                urns: [fn.urn],
                place: { band: "regional" },
            });
        this.group("scheduler", "EventBridge", "scheduler", T.schedule, "schedule", "regional");
        this.group("ecr", "ECR", "ecr", T.repository, "repository", "regional", "repositories");
        this.group("secrets", "Secrets Manager", "secrets", T.secret, "secret", "regional");
    }

    addOperationsParts(): void {
        const detectors = this.of(T.detector);
        const features = this.of(T.detectorFeature);
        this.add({
            id: "guardduty",
            label: "GuardDuty",
            detail: ["threat detection", plural(features.length, "protection plan")],
            icon: "guardduty",
            urns: urnsOf([...detectors, ...features]),
            place: { band: "operations" },
        });
        const trails = this.of(T.trail);
        const trailBuckets = trails.flatMap((t) => this.links.sources(t, "s3BucketName", T.bucket));
        this.add({
            id: "cloudtrail",
            label: "CloudTrail",
            detail: ["audit trail", trails.some((t) => t.inputs.isMultiRegionTrail) ? "all regions" : "this region"],
            icon: "cloudtrail",
            urns: urnsOf([...trails, ...trailBuckets]),
            place: { band: "operations" },
        });
        const alarms = this.of(T.alarm);
        const groups = this.of(T.logGroup);
        this.add({
            id: "cloudwatch",
            label: "CloudWatch",
            detail: [
                `${plural(alarms.length, "alarm")}, ${plural(this.of(T.dashboard).length, "dashboard")}`,
                `${plural(groups.length, "log group")}, flow logs`,
            ],
            icon: "cloudwatch",
            urns: urnsOf([...alarms, ...this.of(T.dashboard), ...groups, ...this.of(T.flowLog)]),
            place: { band: "operations" },
        });
        const keys = this.of(T.key);
        this.add({
            id: "kms",
            label: "KMS",
            detail: [plural(keys.length, "key"), `in ${[...new Set(keys.map((k) => k.region))].sort().join(", ")}`],
            icon: "kms",
            urns: urnsOf(keys),
            place: { band: "operations" },
        });
        this.group("sns", "SNS", "sns", T.topic, "alert topic", "operations");
        this.group("budgets", "Budgets", "budgets", T.budget, "cost budget", "operations");
        const logBuckets = this.of(T.bucket).filter((b) => !this.partOf.has(b.urn));
        this.add({
            id: "s3-logs",
            label: "S3",
            detail: ["access logs", plural(logBuckets.length, "bucket")],
            icon: "s3",
            urns: urnsOf(logBuckets),
            place: { band: "operations" },
        });
    }

    /** Every resource of a type as one node with a count. */
    private group(
        id: string,
        label: string,
        icon: string,
        type: string,
        noun: string,
        band: Band,
        nouns = `${noun}s`,
    ): void {
        const resources = this.of(type);
        this.add({
            id,
            label,
            detail: [`${resources.length} ${resources.length === 1 ? noun : nouns}`],
            icon,
            urns: urnsOf(resources),
            place: { band },
        });
    }

    addNetworkParts(): void {
        this.add({
            id: "igw",
            label: "Internet gateway",
            detail: [],
            icon: "igw",
            urns: urnsOf(this.of(T.igw)),
            place: { vpc: "border" },
        });
        const gateways = this.of(T.endpoint).filter((e) => e.inputs.vpcEndpointType !== "Interface");
        this.add({
            id: "gateway-endpoints",
            label: "Gateway endpoint",
            detail: gateways.map((e) => String(e.inputs.serviceName).split(".").pop() ?? ""),
            icon: "endpoints",
            urns: urnsOf(gateways),
            place: { vpc: "inside" },
        });
        for (const nat of this.of(T.nat)) {
            const [subnet] = subnetsOf(nat, "subnetId", this.links, this.topology);
            if (subnet)
                this.add({
                    id: `nat:${nat.urn}`,
                    label: "NAT gateway",
                    detail: [],
                    icon: "nat",
                    urns: [nat.urn],
                    place: { zones: [{ zone: subnet.zone, tier: subnet.tier }] },
                });
        }
        for (const subnet of this.topology.subnets.values()) {
            const nat = natOf(subnet.resource, this.links);
            if (nat && subnet.tier === "private") this.egress.push({ zone: subnet.zone, nat: `nat:${nat.urn}` });
        }
        const interfaces = this.of(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
        if (interfaces.length > 0) {
            const zones = new Map<string, ZonePlacement>();
            for (const endpoint of interfaces)
                for (const subnet of subnetsOf(endpoint, "subnetIds", this.links, this.topology)) {
                    const placed = zones.get(subnet.zone) ?? { zone: subnet.zone, tier: subnet.tier, urns: [] };
                    placed.urns?.push(endpoint.urn);
                    zones.set(subnet.zone, placed);
                }
            const names = interfaces.map((e) => String(e.inputs.serviceName).split(".").slice(3).join("."));
            this.add({
                id: "interface-endpoints",
                label: "VPC endpoints",
                detail: [plural(interfaces.length, "interface"), wrap(names.join(", "), 22)[0]],
                icon: "endpoints",
                urns: urnsOf(interfaces),
                place: { zones: [...zones.values()] },
            });
        }
        for (const link of this.of(T.vpcLink))
            this.add({
                id: `vpclink:${link.urn}`,
                label: "VPC link",
                detail: ["API Gateway ENI"],
                icon: "vpclink",
                urns: [link.urn],
                place: { zones: this.zonesOf(subnetsOf(link, "subnetIds", this.links, this.topology)) },
            });
    }

    addComputeParts(): void {
        for (const lb of this.of(T.lb)) {
            const listeners = this.links.dependents(lb, T.listener, "loadBalancerArn");
            const rules = listeners.flatMap((l) => this.links.dependents(l, T.listenerRule, "listenerArn"));
            this.add({
                id: `lb:${lb.urn}`,
                label: lb.inputs.internal === true ? "ALB (internal)" : "ALB (internet-facing)",
                detail: [lb.name],
                icon: "alb",
                urns: urnsOf([lb, ...listeners, ...rules]),
                place: { zones: this.zonesOf(subnetsOf(lb, "subnets", this.links, this.topology)) },
            });
        }
        for (const group of this.of(T.asg)) {
            const template = this.links.source(group, "launchTemplate", T.launchTemplate);
            this.add({
                id: `asg:${group.urn}`,
                label: "EC2 Auto Scaling",
                detail: [
                    `web servers, ${String(template?.inputs.instanceType ?? "")}`,
                    `min ${String(group.inputs.minSize)}, max ${String(group.inputs.maxSize)}`,
                ],
                icon: "autoscaling",
                urns: urnsOf(
                    template
                        ? [group, template, ...this.links.sources(template, "networkInterfaces", T.securityGroup)]
                        : [group],
                ),
                place: { zones: this.zonesOf(subnetsOf(group, "vpcZoneIdentifiers", this.links, this.topology)) },
            });
        }
        for (const cluster of this.of(T.cluster)) {
            const services = this.links.dependents(cluster, T.service, "cluster");
            const zones = new Map<string, ZonePlacement>();
            for (const service of services)
                for (const subnet of subnetsOf(service, "networkConfiguration", this.links, this.topology)) {
                    const placed = zones.get(subnet.zone) ?? {
                        zone: subnet.zone,
                        tier: subnet.tier,
                        urns: [],
                        detail: [],
                    };
                    // A workload's node stands for its security group too.
                    placed.urns?.push(
                        service.urn,
                        ...urnsOf(this.links.sources(service, "networkConfiguration", T.securityGroup)),
                    );
                    zones.set(subnet.zone, placed);
                }
            for (const placed of zones.values())
                placed.detail = wrap(
                    services
                        .filter((s) => placed.urns?.includes(s.urn))
                        .map((s) => shortName(s, "services").replace(/-service$/, ""))
                        .join(", "),
                    24,
                );
            this.add({
                id: `ecs:${cluster.urn}`,
                label: "ECS Fargate",
                detail: [],
                icon: "fargate",
                urns: urnsOf([cluster, ...services]),
                place: { zones: [...zones.values()] },
            });
        }
        const vpcFunctions = this.of(T.fn).filter((f) => f.inputs.vpcConfig);
        if (vpcFunctions.length > 0) {
            const zones = new Map<string, ZonePlacement>();
            for (const fn of vpcFunctions)
                for (const subnet of subnetsOf(fn, "vpcConfig", this.links, this.topology)) {
                    const placed = zones.get(subnet.zone) ?? { zone: subnet.zone, tier: subnet.tier, urns: [] };
                    placed.urns?.push(fn.urn, ...urnsOf(this.links.sources(fn, "vpcConfig", T.securityGroup)));
                    zones.set(subnet.zone, placed);
                }
            this.add({
                id: "vpc-functions",
                label: "Lambda in the VPC",
                detail: wrap(vpcFunctions.map((f) => shortName(f, "functions")).join(", "), 24),
                icon: "lambda",
                urns: urnsOf(vpcFunctions),
                place: { zones: [...zones.values()] },
            });
        }
    }

    addDataParts(): void {
        for (const cluster of this.of(T.rdsCluster)) {
            const instances = this.links.dependents(cluster, T.rdsInstance, "clusterIdentifier");
            const subnetGroup = this.links.source(cluster, "dbSubnetGroupName", T.rdsSubnetGroup);
            const subnets = subnetGroup ? subnetsOf(subnetGroup, "subnetIds", this.links, this.topology) : [];
            for (const instance of instances) {
                // The writer is the instance the others wait for: created first, it takes the writer role.
                const isWriter = !instances.some((other) => instance.dependencies.includes(other.urn));
                const zone = String(instance.inputs.availabilityZone);
                const subnet = subnets.find((s) => s.zone === zone);
                const instanceClass = String(instance.inputs.instanceClass);
                this.add({
                    id: `aurora:${instance.urn}`,
                    label: isWriter ? "Aurora writer" : "Aurora reader",
                    detail: [instanceClass === "db.serverless" ? "Serverless v2" : instanceClass],
                    icon: "aurora",
                    urns: isWriter ? [instance.urn, cluster.urn] : [instance.urn],
                    place: subnet ? { zones: [{ zone, tier: subnet.tier }] } : { vpc: "inside" },
                });
            }
        }
        for (const group of this.of(T.cacheGroup)) {
            const subnetGroup = this.links.source(group, "subnetGroupName", T.cacheSubnetGroup);
            const subnets = subnetGroup ? subnetsOf(subnetGroup, "subnetIds", this.links, this.topology) : [];
            const zones = ((group.inputs.preferredCacheClusterAzs ?? []) as string[]).slice(
                0,
                Number(group.inputs.numCacheClusters ?? 1),
            );
            const placements = zones
                .map((zone, i): ZonePlacement | undefined => {
                    const subnet = subnets.find((s) => s.zone === zone);
                    return (
                        subnet && {
                            zone,
                            tier: subnet.tier,
                            detail: [i === 0 ? "primary" : "replica", String(group.inputs.nodeType)],
                        }
                    );
                })
                .filter((p): p is ZonePlacement => p !== undefined);
            this.add({
                id: `cache:${group.urn}`,
                label: `ElastiCache ${String(group.inputs.engine ?? "")}`.trim(),
                detail: placements.length ? [] : ["zones chosen by ElastiCache"],
                icon: "elasticache",
                urns: [group.urn],
                place: placements.length ? { zones: placements } : { vpc: "inside" },
            });
        }
        for (const fileSystem of this.of(T.fileSystem)) {
            const targets = this.links.dependents(fileSystem, T.mountTarget, "fileSystemId");
            const zones = targets.flatMap((t) =>
                subnetsOf(t, "subnetId", this.links, this.topology).map((s) => ({
                    zone: s.zone,
                    tier: s.tier,
                    urns: [t.urn, fileSystem.urn],
                    detail: ["mount target"],
                })),
            );
            this.add({
                id: `efs:${fileSystem.urn}`,
                label: "EFS",
                detail: [],
                icon: "efs",
                urns: [fileSystem.urn],
                place: { zones },
            });
        }
    }

    private zonesOf(subnets: { zone: string; tier: Tier }[]): ZonePlacement[] {
        return subnets.map((s) => ({ zone: s.zone, tier: s.tier }));
    }
}

/** Splits text into lines of at most `width` characters at commas and spaces. */
function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
    return lines;
}
