import type { PlanGraph, PlanResource } from "../graph";
import { GraphLinks } from "../links";
import { natOf, readTopology, subnetsOf, Tier, Topology } from "./topology";

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

/** A part of the architecture before it is drawn: outside the VPC, or in one or more zones. */
interface Part {
    id: string;
    label: string;
    detail: string[];
    icon: string;
    urns: string[];
    place: { band: Band } | { vpc: "inside" | "border" } | { zones: ZonePlacement[] };
}

interface ZonePlacement {
    zone: string;
    tier: Tier;
    /** Per-zone detail (e.g. which services, or writer/reader). */
    detail?: string[];
    urns?: string[];
}

const T = {
    zone: "aws:route53/zone:Zone",
    record: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    distribution: "aws:cloudfront/distribution:Distribution",
    cfFunction: "aws:cloudfront/function:Function",
    acl: "aws:wafv2/webAcl:WebAcl",
    aclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    userPool: "aws:cognito/userPool:UserPool",
    bucket: "aws:s3/bucket:Bucket",
    api: "aws:apigatewayv2/api:Api",
    route: "aws:apigatewayv2/route:Route",
    integration: "aws:apigatewayv2/integration:Integration",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    apiMapping: "aws:apigatewayv2/apiMapping:ApiMapping",
    domainName: "aws:apigatewayv2/domainName:DomainName",
    vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
    queue: "aws:sqs/queue:Queue",
    fn: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    notification: "aws:s3/bucketNotification:BucketNotification",
    schedule: "aws:scheduler/schedule:Schedule",
    repository: "aws:ecr/repository:Repository",
    secret: "aws:secretsmanager/secret:Secret",
    detector: "aws:guardduty/detector:Detector",
    detectorFeature: "aws:guardduty/detectorFeature:DetectorFeature",
    trail: "aws:cloudtrail/trail:Trail",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    key: "aws:kms/key:Key",
    topic: "aws:sns/topic:Topic",
    budget: "aws:budgets/budget:Budget",
    igw: "aws:ec2/internetGateway:InternetGateway",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    nat: "aws:ec2/natGateway:NatGateway",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    asg: "aws:autoscaling/group:Group",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    service: "aws:ecs/service:Service",
    cluster: "aws:ecs/cluster:Cluster",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    fileSystem: "aws:efs/fileSystem:FileSystem",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

const urnsOf = (resources: PlanResource[]) => resources.map((r) => r.urn);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const shortName = (resource: PlanResource, prefix: string) =>
    resource.name.startsWith(`${prefix}-`) ? resource.name.slice(prefix.length + 1) : resource.name;

/**
 * Reads the architecture from the plan: every part and the zone and subnet it lands in, found
 * through the graph's links, and the request flows between parts from their references.
 */
export function readArchitecture(graph: PlanGraph): DiagramModel {
    const links = new GraphLinks(graph);
    const topology = readTopology(links);
    const builder = new ModelBuilder(links, topology);
    builder.addEdgeParts();
    builder.addRegionalParts();
    builder.addOperationsParts();
    builder.addNetworkParts();
    builder.addComputeParts();
    builder.addDataParts();
    builder.addFlows();
    return builder.build(graph);
}

class ModelBuilder {
    private readonly parts = new Map<string, Part>();
    /** The part each drawn resource belongs to. */
    private readonly partOf = new Map<string, string>();
    private readonly flows: { from: string; to: string; kind: DiagramEdge["kind"] }[] = [];
    /** Egress from a private subnet (by zone) to a NAT gateway part. */
    private readonly egress: { zone: string; nat: string }[] = [];

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
                urns: urnsOf(template ? [group, template, ...this.links.sources(template, "networkInterfaces", T.securityGroup)] : [group]),
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
                    placed.urns?.push(service.urn, ...urnsOf(this.links.sources(service, "networkConfiguration", T.securityGroup)));
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

    /** The part a resource is drawn in, if any. */
    private partFor(resource: PlanResource | undefined): string | undefined {
        return resource && this.partOf.get(resource.urn);
    }

    private flow(from: string | undefined, to: string | undefined, kind: DiagramEdge["kind"] = "flow"): void {
        if (from && to && from !== to && !this.flows.some((f) => f.from === from && f.to === to))
            this.flows.push({ from, to, kind });
    }

    /** Follows records, API mappings and pass-through resources to the part they stand for. */
    private target(resource: PlanResource): string | undefined {
        if (resource.type === T.record)
            return this.links
                .sources(resource, "aliases")
                .map((r) => this.target(r))
                .find(Boolean);
        if (resource.type === T.apiMapping) return this.partFor(this.links.source(resource, "apiId", T.api));
        const direct = this.partFor(resource);
        if (direct) return direct;
        return this.links
            .sources(resource, "bucket")
            .map((r) => this.target(r))
            .find(Boolean);
    }

    addFlows(): void {
        this.flow("users", "route53");
        for (const record of this.of(T.record))
            for (const alias of this.links.sources(record, "aliases"))
                if (alias.type !== T.lb) this.flow("route53", this.target(alias));
        for (const distribution of this.of(T.distribution)) {
            const cdn = this.partFor(distribution);
            for (const acl of this.links.sources(distribution, "webAclId", T.acl))
                this.flow(this.partFor(acl), cdn, "attach");
            // Origins are linked by URN (a bucket, an API mapping) or by DNS name: a custom origin's
            // domain is the name of a record of the plan (the load balancer's origin record).
            const names = ((distribution.inputs.origins ?? []) as { domainName?: string }[]).map((o) => o.domainName);
            const byName = this.of(T.record).filter((r) => names.includes(String(r.inputs.name).replace(/\.$/, "")));
            for (const origin of [...this.links.sources(distribution, "origins"), ...byName]) {
                const to = this.target(origin);
                if (!to) continue;
                const lb = this.links.get(this.lbUrn(to) ?? "");
                const regionalAcl =
                    lb &&
                    this.links
                        .dependents(lb, T.aclAssociation, "resourceArn")
                        .flatMap((a) => this.links.sources(a, "webAclArn", T.acl))[0];
                if (regionalAcl) {
                    this.flow(cdn, this.partFor(regionalAcl));
                    this.flow(this.partFor(regionalAcl), to);
                } else this.flow(cdn, to);
            }
        }
        for (const lb of this.of(T.lb))
            for (const listener of this.links.dependents(lb, T.listener, "loadBalancerArn")) {
                const groups = [
                    ...this.links.sources(listener, "defaultActions", T.targetGroup),
                    ...this.links
                        .dependents(listener, T.listenerRule, "listenerArn")
                        .flatMap((r) => this.links.sources(r, "actions", T.targetGroup)),
                ];
                for (const group of groups) {
                    for (const asg of this.links.dependents(group, T.asg, "targetGroupArns"))
                        this.flow(this.partFor(lb), this.partFor(asg));
                    for (const service of this.links.dependents(group, T.service, "loadBalancers"))
                        this.flow(this.partFor(lb), this.partFor(service));
                }
            }
        for (const integration of this.of(T.integration)) {
            const api = this.partFor(this.links.source(integration, "apiId", T.api));
            const link = this.partFor(this.links.source(integration, "connectionId", T.vpcLink));
            for (const target of this.links.sources(integration, "integrationUri")) {
                const to =
                    target.type === T.listener
                        ? this.partFor(this.links.source(target, "loadBalancerArn", T.lb))
                        : this.partFor(target);
                if (link) {
                    this.flow(api, link);
                    this.flow(link, to);
                } else this.flow(api, to);
            }
        }
        for (const authorizer of this.of(T.authorizer))
            for (const pool of this.links.sources(authorizer, "jwtConfiguration", T.userPool))
                this.flow(this.partFor(pool), this.partFor(this.links.source(authorizer, "apiId", T.api)), "attach");
        for (const mapping of this.of(T.mapping))
            this.flow(
                this.partFor(this.links.source(mapping, "eventSourceArn", T.queue)),
                this.partFor(this.links.source(mapping, "functionName", T.fn)),
            );
        // Producers: a function given a queue that it does not consume sends to it, unless it is
        // also given that queue's DLQ (then it moves dead letters back: an operator's tool).
        for (const fn of this.of(T.fn)) {
            const consumed = new Set(
                this.links
                    .dependents(fn, T.mapping, "functionName")
                    .flatMap((m) => this.links.sources(m, "eventSourceArn").map((q) => q.urn)),
            );
            const given = this.links.sources(fn, "environment", T.queue);
            for (const queue of given) {
                const dlq = this.links.source(queue, "redrivePolicy", T.queue);
                if (dlq && !consumed.has(queue.urn) && !given.includes(dlq))
                    this.flow(this.partFor(fn), this.partFor(queue));
            }
        }
        for (const notification of this.of(T.notification))
            for (const fn of this.links.sources(notification, "lambdaFunctions", T.fn))
                this.flow(this.target(notification), this.partFor(fn));
        for (const schedule of this.of(T.schedule))
            for (const fn of this.links.sources(schedule, "target", T.fn))
                this.flow(this.partFor(schedule), this.partFor(fn));
        this.addDataStoreFlows();
        for (const nat of this.of(T.nat)) this.flow(this.partFor(nat), "igw");
    }

    private lbUrn(partId: string): string | undefined {
        return partId.startsWith("lb:") ? partId.slice(3) : undefined;
    }

    /** Compute → Aurora, Valkey and EFS: the security group rules that let a workload open connections to a data store. */
    private addDataStoreFlows(): void {
        const owners = new Map<string, Set<string>>();
        const own = (sgs: PlanResource[], part: string | undefined) => {
            if (!part) return;
            for (const sg of sgs) (owners.get(sg.urn) ?? owners.set(sg.urn, new Set()).get(sg.urn))?.add(part);
        };
        for (const service of this.of(T.service))
            own(this.links.sources(service, "networkConfiguration", T.securityGroup), this.partFor(service));
        for (const fn of this.of(T.fn)) own(this.links.sources(fn, "vpcConfig", T.securityGroup), this.partFor(fn));
        for (const group of this.of(T.asg)) {
            const template = this.links.source(group, "launchTemplate", T.launchTemplate);
            if (template) own(this.links.sources(template, "networkInterfaces", T.securityGroup), this.partFor(group));
        }
        const stores = new Map<string, string[]>();
        const store = (sgs: PlanResource[], parts: string[]) =>
            sgs.forEach((sg) => stores.set(sg.urn, [...(stores.get(sg.urn) ?? []), ...parts]));
        for (const cluster of this.of(T.rdsCluster))
            store(
                this.links.sources(cluster, "vpcSecurityGroupIds", T.securityGroup),
                this.links
                    .dependents(cluster, T.rdsInstance, "clusterIdentifier")
                    .map((i) => this.partFor(i))
                    .filter((p): p is string => !!p),
            );
        for (const group of this.of(T.cacheGroup))
            store(
                this.links.sources(group, "securityGroupIds", T.securityGroup),
                [this.partFor(group)].filter((p): p is string => !!p),
            );
        for (const target of this.of(T.mountTarget))
            store(
                this.links.sources(target, "securityGroups", T.securityGroup),
                [this.partFor(target)].filter((p): p is string => !!p),
            );
        for (const rule of this.of(T.egressRule)) {
            const from = this.links.source(rule, "securityGroupId", T.securityGroup);
            const to = this.links.source(rule, "referencedSecurityGroupId", T.securityGroup);
            if (!from || !to) continue;
            for (const source of owners.get(from.urn) ?? [])
                for (const target of stores.get(to.urn) ?? []) this.flow(source, target);
        }
    }

    build(graph: PlanGraph): DiagramModel {
        const nodes: DiagramNode[] = [];
        const zonal = new Map<string, Map<string, string>>();
        for (const part of this.parts.values()) {
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
        for (const flow of this.flows) {
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
        for (const { zone, nat } of this.egress) {
            const natNode = zonal.get(nat)?.values().next().value;
            if (natNode) edges.push({ from: subnetId(zone, "private"), to: natNode, kind: "flow" });
        }
        return {
            project: graph.project,
            stack: graph.stack,
            region: graph.region,
            zones: this.topology.zones,
            nodes,
            edges,
        };
    }
}

/** The id of a subnet's box in the diagram. */
export function subnetId(zone: string, tier: Tier): string {
    return `subnet:${zone}:${tier}`;
}

/** Splits text into lines of at most `width` characters at commas and spaces. */
export function wrap(text: string, width: number): string[] {
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
