import * as assert from "assert";
import { drawDiagram } from "../../../../infra/offline/diagram";
import { PlanGraph, PlanResource } from "../../../../infra/offline/graph";
import { planOf, STACKS, StackName } from "../../harness";
import { DrawnDiagram, readDrawing } from "./svg";

/** The architecture's resources: each must appear in the diagram. */
const DRAWN_TYPES = [
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:autoscaling/group:Group",
    "aws:ecs/service:Service",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:efs/fileSystem:FileSystem",
    "aws:efs/mountTarget:MountTarget",
    "aws:lambda/function:Function",
    "aws:sqs/queue:Queue",
    "aws:s3/bucket:Bucket",
    "aws:cloudfront/distribution:Distribution",
    "aws:wafv2/webAcl:WebAcl",
    "aws:cognito/userPool:UserPool",
    "aws:apigatewayv2/api:Api",
    "aws:apigatewayv2/vpcLink:VpcLink",
    "aws:scheduler/schedule:Schedule",
    "aws:guardduty/detector:Detector",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/dashboard:Dashboard",
    "aws:kms/key:Key",
    "aws:sns/topic:Topic",
    "aws:budgets/budget:Budget",
    "aws:ecr/repository:Repository",
    "aws:secretsmanager/secret:Secret",
];

/** The zone of every subnet, read from the graph the test's own way: subnet ids through their route table associations. */
function subnetZones(graph: PlanGraph): Map<string, { zone: string; layer: string }> {
    const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
    const zones = new Map<string, { zone: string; layer: string }>();
    for (const association of graph.resources.filter(
        (r) => r.type === "aws:ec2/routeTableAssociation:RouteTableAssociation",
    )) {
        const subnet = byUrn.get(association.propertyDependencies.subnetId[0]) as PlanResource;
        const tags = subnet.inputs.tags as { Layer: string };
        zones.set(String(association.inputs.subnetId), {
            zone: String(subnet.inputs.availabilityZone),
            layer: tags.Layer,
        });
    }
    return zones;
}

const ofType = (graph: PlanGraph, type: string) => graph.resources.filter((r) => r.type === type);

for (const stack of STACKS) {
    describe(`the ${stack} stack's architecture diagram`, () => {
        let graph: PlanGraph;
        let svg: string;
        let drawing: DrawnDiagram;
        /** The zones (and tiers) where the nodes standing for a resource are drawn. */
        const placed = (urn: string) =>
            drawing.nodes
                .filter((n) => n.urns.includes(urn) && n.zone)
                .map((n) => `${n.zone}/${n.tier}`)
                .sort();
        before(async () => {
            graph = await planOf(stack as StackName);
            svg = await drawDiagram(graph);
            drawing = readDrawing(svg);
        });

        it("draws every component of the plan and every resource of the architecture", () => {
            const drawn = new Set(drawing.nodes.flatMap((n) => n.urns));
            const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
            const topLevel = (r: PlanResource): PlanResource => {
                const parent = r.parent ? byUrn.get(r.parent) : undefined;
                return !parent || parent.type === "pulumi:pulumi:Stack" ? r : topLevel(parent);
            };
            const components = graph.resources.filter(
                (r) => !r.custom && r.type.startsWith("shop:") && topLevel(r) === r,
            );
            const shown = new Set([...drawn].map((urn) => topLevel(byUrn.get(urn) as PlanResource).urn));
            assert.deepStrictEqual(
                components.filter((c) => !shown.has(c.urn)).map((c) => c.name),
                [],
            );
            for (const type of DRAWN_TYPES)
                for (const resource of ofType(graph, type))
                    assert.ok(drawn.has(resource.urn), `${resource.name} (${type}) is not drawn`);
            for (const urn of drawn) assert.ok(byUrn.has(urn), `the diagram names ${urn}, which is not in the plan`);
        });

        it("has a column per availability zone, each with its public, private and isolated subnets", () => {
            const zones = [...new Set([...subnetZones(graph).values()].map((s) => s.zone))].sort();
            assert.strictEqual(zones.length, stack === "prod" ? 3 : 2);
            assert.deepStrictEqual(drawing.zones, zones);
            assert.deepStrictEqual(
                drawing.groups.filter((g) => g.kind === "zone").map((g) => g.id),
                zones.map((z) => `zone:${z}`),
            );
            for (const zone of zones)
                for (const tier of ["public", "private", "isolated"])
                    assert.ok(
                        drawing.groups.some((g) => g.id === `subnet:${zone}:${tier}` && g.kind === tier),
                        `${zone} ${tier}`,
                    );
        });

        it("places NAT gateways, load balancers and mount targets in the subnet and zone of their subnet ids", () => {
            const subnets = subnetZones(graph);
            const where = (ids: unknown[]) =>
                ids.map((id) => `${subnets.get(String(id))?.zone}/${subnets.get(String(id))?.layer}`).sort();
            for (const nat of ofType(graph, "aws:ec2/natGateway:NatGateway"))
                assert.deepStrictEqual(placed(nat.urn), where([nat.inputs.subnetId]), nat.name);
            for (const lb of ofType(graph, "aws:lb/loadBalancer:LoadBalancer"))
                assert.deepStrictEqual(placed(lb.urn), where(lb.inputs.subnets as unknown[]), lb.name);
            for (const target of ofType(graph, "aws:efs/mountTarget:MountTarget"))
                assert.deepStrictEqual(placed(target.urn), where([target.inputs.subnetId]), target.name);
            assert.strictEqual(ofType(graph, "aws:ec2/natGateway:NatGateway").length, stack === "prod" ? 3 : 1);
        });

        it("places the Auto Scaling group, the Fargate services and the VPC functions in every zone they launch into", () => {
            const subnets = subnetZones(graph);
            const where = (ids: unknown) =>
                (ids as unknown[])
                    .map((id) => `${subnets.get(String(id))?.zone}/${subnets.get(String(id))?.layer}`)
                    .sort();
            for (const group of ofType(graph, "aws:autoscaling/group:Group"))
                assert.deepStrictEqual(placed(group.urn), where(group.inputs.vpcZoneIdentifiers));
            for (const service of ofType(graph, "aws:ecs/service:Service"))
                assert.deepStrictEqual(
                    placed(service.urn),
                    where((service.inputs.networkConfiguration as { subnets: unknown[] }).subnets),
                    service.name,
                );
            for (const fn of ofType(graph, "aws:lambda/function:Function").filter((f) => f.inputs.vpcConfig))
                assert.deepStrictEqual(
                    placed(fn.urn),
                    where((fn.inputs.vpcConfig as { subnetIds: unknown[] }).subnetIds),
                    fn.name,
                );
        });

        it("places the Aurora writer and readers and the Valkey nodes in the isolated subnet of their zones", () => {
            const instances = ofType(graph, "aws:rds/clusterInstance:ClusterInstance");
            assert.strictEqual(instances.length, stack === "prod" ? 2 : 1);
            for (const instance of instances)
                assert.deepStrictEqual(placed(instance.urn), [`${instance.inputs.availabilityZone}/isolated`]);
            const labels = drawing.nodes.filter((n) => n.label.startsWith("Aurora")).map((n) => n.label);
            assert.deepStrictEqual(labels, stack === "prod" ? ["Aurora writer", "Aurora reader"] : ["Aurora writer"]);
            const [cache] = ofType(graph, "aws:elasticache/replicationGroup:ReplicationGroup");
            const zones = (cache.inputs.preferredCacheClusterAzs as string[]).slice(
                0,
                Number(cache.inputs.numCacheClusters),
            );
            assert.deepStrictEqual(placed(cache.urn), zones.map((z) => `${z}/isolated`).sort());
        });

        it("draws the request flows from the graph's references", () => {
            const labelOf = new Map(drawing.nodes.map((n) => [n.id, `${n.label}${n.zone ? `@${n.zone}` : ""}`]));
            const arrows = new Set(
                drawing.edges
                    .filter((e) => e.kind === "flow")
                    .map((e) => `${labelOf.get(e.from) ?? e.from} -> ${labelOf.get(e.to) ?? e.to}`),
            );
            const zone = drawing.zones[0];
            for (const arrow of [
                "Customers -> Route 53",
                "Route 53 -> CloudFront",
                "CloudFront -> WAF (regional)",
                `WAF (regional) -> ALB (internet-facing)@${zone}`,
                `ALB (internet-facing)@${zone} -> EC2 Auto Scaling@${zone}`,
                "CloudFront -> API Gateway",
                "CloudFront -> S3",
                `API Gateway -> VPC link@${zone}`,
                `VPC link@${zone} -> ALB (internal)@${zone}`,
                `ALB (internal)@${zone} -> ECS Fargate@${zone}`,
                `ECS Fargate@${zone} -> Aurora writer@${zone}`,
                `ECS Fargate@${zone} -> EFS@${zone}`,
                `ECS Fargate@${zone} -> ElastiCache valkey@${zone}`,
                "API Gateway -> Lambda",
                "Lambda -> SQS",
                `SQS -> Lambda in the VPC@${zone}`,
                `Lambda in the VPC@${zone} -> SQS`,
                "SQS -> Lambda",
                "S3 -> Lambda",
                `EventBridge -> Lambda in the VPC@${zone}`,
                `NAT gateway@${zone} -> Internet gateway`,
            ])
                assert.ok(arrows.has(arrow), `no arrow ${arrow}`);
            const attached = drawing.edges
                .filter((e) => e.kind === "attach")
                .map((e) => `${labelOf.get(e.from)} -- ${labelOf.get(e.to)}`);
            assert.deepStrictEqual(attached.sort(), ["Cognito -- API Gateway", "WAF (CloudFront) -- CloudFront"]);
        });

        it("routes every private subnet's egress to the NAT gateway its route table names", () => {
            const egress = drawing.edges
                .filter((e) => e.from.startsWith("subnet:"))
                .map((e) => `${e.from} -> ${drawing.nodes.find((n) => n.id === e.to)?.zone}`);
            const expected = drawing.zones.map(
                (z) => `subnet:${z}:private -> ${stack === "prod" ? z : drawing.zones[0]}`,
            );
            assert.deepStrictEqual(egress.sort(), expected.sort());
        });

        it("is the same picture every time", async () => {
            assert.strictEqual(await drawDiagram(graph), svg);
        });
    });
}
