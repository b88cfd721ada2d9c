import * as assert from "assert";
import { blockSize, Cidr, contains, parseCidr } from "../../../infra/config/cidr";
import { INTERFACE_ENDPOINT_SERVICES } from "../../../infra/network/endpoints";
import { Graph, graphOf, STACKS } from "../harness";

const ZONES = { dev: ["af-south-1a", "af-south-1b"], prod: ["af-south-1a", "af-south-1b", "af-south-1c"] };

for (const stack of STACKS) {
    describe(`network tier (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });

        const subnets = (layer: string) =>
            g.ofType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).Layer === layer);

        it("is one component whose children are all parented to it", () => {
            const network = g.one("shop:network:Network");
            const children = g.resources.filter((r) => r.parent === network.urn);
            assert.ok(children.length > 20);
            for (const type of [
                "aws:ec2/vpc:Vpc",
                "aws:ec2/subnet:Subnet",
                "aws:ec2/natGateway:NatGateway",
                "aws:ec2/flowLog:FlowLog",
                "aws:ec2/vpcEndpoint:VpcEndpoint",
            ]) {
                for (const r of g.ofType(type))
                    assert.strictEqual(r.parent, network.urn, `${r.urn} is not under the network component`);
            }
        });

        it("creates the VPC with DNS support for private endpoint names", () => {
            const vpc = g.one("aws:ec2/vpc:Vpc");
            assert.strictEqual(vpc.inputs.cidrBlock, stack === "prod" ? "10.20.0.0/16" : "10.10.0.0/16");
            assert.strictEqual(vpc.inputs.enableDnsSupport, true);
            assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
        });

        it("has one subnet per layer and zone, inside the VPC, without overlaps and without public IPs", () => {
            const vpc = parseCidr(g.one("aws:ec2/vpc:Vpc").inputs.cidrBlock as string) as Cidr;
            const blocks: Cidr[] = [];
            for (const layer of ["public", "private", "isolated"]) {
                const inLayer = subnets(layer);
                assert.deepStrictEqual(
                    inLayer.map((s) => s.inputs.availabilityZone).sort(),
                    ZONES[stack],
                    `${layer} subnets`,
                );
                for (const s of inLayer) {
                    const block = parseCidr(s.inputs.cidrBlock as string) as Cidr;
                    assert.ok(contains(vpc, block), `${s.inputs.cidrBlock} outside the VPC`);
                    assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
                    blocks.push(block);
                }
            }
            for (const a of blocks) {
                for (const b of blocks) {
                    if (a !== b)
                        assert.ok(
                            a.base + blockSize(a.prefix) <= b.base || b.base + blockSize(b.prefix) <= a.base,
                            "subnets overlap",
                        );
                }
            }
        });

        /** The route table associated with a subnet. */
        function routeTableOf(subnetUrn: string) {
            const associations = g
                .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
                .filter((a) => (a.propertyDependencies.subnetId ?? []).includes(subnetUrn));
            assert.strictEqual(
                associations.length,
                1,
                `subnet ${subnetUrn} has ${associations.length} route table associations`,
            );
            return g.sources(associations[0], "routeTableId")[0];
        }

        it("routes public subnets to the internet gateway", () => {
            const igw = g.one("aws:ec2/internetGateway:InternetGateway");
            for (const subnet of subnets("public")) {
                const table = routeTableOf(subnet.urn);
                const routes = table.inputs.routes as Record<string, unknown>[];
                assert.deepStrictEqual(
                    routes.map((r) => r.cidrBlock),
                    ["0.0.0.0/0"],
                );
                assert.deepStrictEqual(
                    g.sources(table, "routes").map((r) => r.urn),
                    [igw.urn],
                );
            }
        });

        it(
            stack === "prod"
                ? "gives every zone its own NAT gateway and routes each private subnet to it"
                : "routes every private subnet through the single NAT gateway",
            () => {
                const nats = g.ofType("aws:ec2/natGateway:NatGateway");
                assert.strictEqual(nats.length, stack === "prod" ? 3 : 1);
                const igw = g.one("aws:ec2/internetGateway:InternetGateway");
                const zoneOfNat = new Map(
                    nats.map((nat) => {
                        const subnet = g.sources(nat, "subnetId")[0];
                        assert.strictEqual(
                            (subnet.inputs.tags as Record<string, string>).Layer,
                            "public",
                            "NAT gateways live in public subnets",
                        );
                        assert.ok(nat.dependencies.includes(igw.urn), "a NAT gateway waits for the internet gateway");
                        assert.strictEqual(g.sources(nat, "allocationId")[0].type, "aws:ec2/eip:Eip");
                        return [nat.urn, subnet.inputs.availabilityZone];
                    }),
                );
                const tables = new Set<string>();
                for (const subnet of subnets("private")) {
                    const table = routeTableOf(subnet.urn);
                    tables.add(table.urn);
                    const routes = table.inputs.routes as Record<string, unknown>[];
                    assert.strictEqual(routes.length, 1);
                    assert.strictEqual(routes[0].cidrBlock, "0.0.0.0/0");
                    const nat = g.sources(table, "routes").find((r) => r.type === "aws:ec2/natGateway:NatGateway");
                    assert.ok(nat, "the default route goes to a NAT gateway");
                    if (stack === "prod")
                        assert.strictEqual(
                            zoneOfNat.get(nat.urn),
                            subnet.inputs.availabilityZone,
                            "NAT in the subnet's own zone",
                        );
                }
                assert.strictEqual(tables.size, ZONES[stack].length, "a route table per private subnet");
            },
        );

        it("gives isolated subnets no way out: no routes, no NAT, no endpoint", () => {
            for (const subnet of subnets("isolated")) {
                const table = routeTableOf(subnet.urn);
                assert.ok(
                    table.inputs.routes === undefined || (table.inputs.routes as unknown[]).length === 0,
                    "isolated route table has routes",
                );
                for (const endpoint of g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")) {
                    assert.ok(
                        !(endpoint.propertyDependencies.routeTableIds ?? []).includes(table.urn),
                        "isolated table has an endpoint route",
                    );
                }
            }
            assert.ok(!g.ofType("aws:ec2/route:Route").length, "routes are declared inline on their tables only");
        });

        it("strips the default security group of every rule", () => {
            const sg = g.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.ok(!sg.inputs.ingress || (sg.inputs.ingress as unknown[]).length === 0);
            assert.ok(!sg.inputs.egress || (sg.inputs.egress as unknown[]).length === 0);
        });

        it("logs ALL traffic to an encrypted log group with retention, through its own role", () => {
            const flowLog = g.one("aws:ec2/flowLog:FlowLog");
            assert.strictEqual(flowLog.inputs.trafficType, "ALL");
            assert.strictEqual(flowLog.inputs.logDestinationType, "cloud-watch-logs");
            assert.ok(flowLog.propertyDependencies.vpcId.includes(g.one("aws:ec2/vpc:Vpc").urn));
            const logGroup = g.sources(flowLog, "logDestination")[0];
            assert.strictEqual(logGroup.type, "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(logGroup.inputs.retentionInDays, stack === "prod" ? 365 : 30);
            const key = g.sources(logGroup, "kmsKeyId")[0];
            assert.strictEqual(key.type, "aws:kms/key:Key");
            const logs = g.policy(key).Statement.find((s) => s.Principal?.Service === "logs.af-south-1.amazonaws.com");
            assert.ok(logs, "the flow logs' key admits CloudWatch Logs of the region");

            const role = g.sources(flowLog, "iamRoleArn")[0];
            const trust = g.policy(role, "assumeRolePolicy").Statement[0];
            assert.strictEqual(trust.Principal.Service, "vpc-flow-logs.amazonaws.com");
            assert.strictEqual(
                trust.Condition.StringEquals["aws:SourceAccount"],
                stack === "prod" ? "222222222222" : "111111111111",
            );
            const rolePolicy = g
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .find((p) => (p.propertyDependencies.role ?? []).includes(role.urn));
            assert.ok(
                rolePolicy && flowLog.dependencies.includes(rolePolicy.urn),
                "the flow log waits for its role's permissions",
            );
            const statement = g.policy(rolePolicy).Statement[0];
            assert.ok(
                (statement.Resource as string[]).every((arn) => arn.startsWith(`arn:aws:logs:af-south-1:`)),
                "the role may write only its log group",
            );
        });

        it("routes S3 through a gateway endpoint on every private route table", () => {
            const s3 = g
                .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter((e) => e.inputs.vpcEndpointType === "Gateway");
            assert.strictEqual(s3.length, 1);
            assert.strictEqual(s3[0].inputs.serviceName, "com.amazonaws.af-south-1.s3");
            const privateTables = subnets("private")
                .map((s) => routeTableOf(s.urn).urn)
                .sort();
            assert.deepStrictEqual([...s3[0].propertyDependencies.routeTableIds].sort(), privateTables);
        });

        it(
            stack === "prod"
                ? "puts interface endpoints with private DNS in every private subnet"
                : "has no interface endpoints (switched off)",
            () => {
                const endpoints = g
                    .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                    .filter((e) => e.inputs.vpcEndpointType === "Interface");
                if (stack === "dev") {
                    assert.strictEqual(endpoints.length, 0);
                    return;
                }
                assert.deepStrictEqual(
                    endpoints.map((e) => e.inputs.serviceName).sort(),
                    INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.af-south-1.${s}`).sort(),
                );
                const privateSubnets = subnets("private")
                    .map((s) => s.urn)
                    .sort();
                for (const endpoint of endpoints) {
                    assert.strictEqual(endpoint.inputs.privateDnsEnabled, true);
                    assert.deepStrictEqual([...endpoint.propertyDependencies.subnetIds].sort(), privateSubnets);
                    const [sg] = g.sources(endpoint, "securityGroupIds");
                    const rules = g
                        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                        .filter((r) => r.propertyDependencies.securityGroupId.includes(sg.urn));
                    assert.deepStrictEqual(
                        rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
                        [[443, 443, "10.20.0.0/16"]],
                    );
                }
            },
        );

        it("exports the VPC, the subnets per layer and their zones", () => {
            const out = g.plan.outputs as Record<string, unknown>;
            assert.deepStrictEqual(out.availabilityZones, ZONES[stack]);
            for (const layer of ["public", "private", "isolated"]) {
                const ids = out[`${layer}SubnetIds`] as string[];
                assert.strictEqual(ids.length, ZONES[stack].length);
                ids.forEach((id) => assert.match(id, /^subnet-[0-9a-f]{17}$/));
            }
            assert.match(out.vpcId as string, /^vpc-/);
        });
    });
}
