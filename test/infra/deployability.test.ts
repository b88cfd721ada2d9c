import * as assert from "assert";
import { PlanResource } from "../../infra/offline/graph";
import { Graph, graphOf, STACKS } from "./harness";

/**
 * Whether a real `pulumi up` would get through, for whole classes of resources: AWS's rules about
 * what an action at deploy time needs, checked for every instance anywhere in the graph (a new
 * tier, a new function or group is checked without a test of its own). Resources are related by
 * the ids and ARNs their inputs hold, as AWS relates them.
 */
const list = (value: unknown): unknown[] => (value === undefined || value === null ? [] : [value].flat());

for (const stack of STACKS) {
    describe(`what the deployment does on its way (${stack})`, () => {
        let g: Graph;
        /** The resources of the graph by each id and ARN (a validation's id is its certificate's ARN). */
        let byId: Map<string, PlanResource[]>;
        /** The graph's resources an input names (by id or ARN), anywhere in its value. */
        const named = (value: unknown): PlanResource[] =>
            (JSON.stringify(value ?? null).match(/"[^"]+"/g) ?? []).flatMap(
                (s) => byId.get(JSON.parse(s) as string) ?? [],
            );
        before(async () => {
            g = await graphOf(stack);
            byId = new Map();
            for (const r of g.resources) {
                for (const key of new Set([r.id, r.arn])) if (key) byId.set(key, [...(byId.get(key) ?? []), r]);
            }
        });

        it("asks for an instance refresh's automatic rollback only where AWS supports one: a launch template version by number, with an AMI id rather than an SSM parameter", () => {
            const groups = g.ofType("aws:autoscaling/group:Group");
            assert.ok(groups.length > 0);
            for (const group of groups) {
                const refresh = group.inputs.instanceRefresh as
                    { preferences?: { autoRollback?: boolean } } | undefined;
                if (refresh?.preferences?.autoRollback !== true) continue;
                const specs = [
                    group.inputs.launchTemplate,
                    (
                        group.inputs.mixedInstancesPolicy as {
                            launchTemplate?: { launchTemplateSpecification?: unknown };
                        }
                    )?.launchTemplate?.launchTemplateSpecification,
                ].filter((s): s is { id?: string; name?: string; version?: string } => s !== undefined);
                assert.ok(specs.length > 0, `${group.urn} rolls back without a launch template`);
                for (const spec of specs) {
                    assert.match(
                        String(spec.version),
                        /^\d+$/,
                        `${group.urn} uses launch template version ${spec.version}`,
                    );
                    const templates = named(spec.id ?? spec.name).filter(
                        (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate",
                    );
                    assert.strictEqual(templates.length, 1, `${group.urn}: its launch template is not in the graph`);
                    assert.match(
                        String(templates[0].inputs.imageId),
                        /^ami-[0-9a-f]+$/,
                        `${group.urn} rolls back a template whose image is ${templates[0].inputs.imageId}`,
                    );
                }
            }
        });

        it("invokes a VPC function at deploy time only after its network path exists: routes and their gateways, endpoints and the rules admitting it", () => {
            const invocations = g.ofType("aws:lambda/invocation:Invocation");
            assert.ok(invocations.length > 0);
            for (const invocation of invocations) {
                const fn = g
                    .sources(invocation, "functionName")
                    .find((r) => r.type === "aws:lambda/function:Function") as PlanResource;
                assert.ok(fn, `${invocation.urn} invokes no function of the graph`);
                const vpcConfig = fn.inputs.vpcConfig as { subnetIds?: string[]; securityGroupIds?: string[] };
                if (!vpcConfig) continue;
                const path = networkPathOf(vpcConfig.subnetIds ?? [], vpcConfig.securityGroupIds ?? []);
                assert.ok(path.length > 0, `${fn.urn} has no network path in the graph`);
                const missing = path.filter((r) => !g.dependsOn(invocation, r)).map((r) => r.urn);
                assert.deepStrictEqual(missing, [], `${invocation.urn} may run before these exist`);
            }
        });

        /**
         * What a VPC function's traffic needs: its subnets' route table associations, the tables, their
         * routes (inline or separate) and the gateways they point at; the VPC's endpoints and the
         * rules of their security groups; the function's own groups' egress rules.
         */
        function networkPathOf(subnetIds: string[], securityGroupIds: string[]): PlanResource[] {
            const subnets = subnetIds.flatMap(named);
            const associations = g
                .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
                .filter((a) => subnetIds.includes(String(a.inputs.subnetId)));
            const tables = associations.flatMap((a) => named(a.inputs.routeTableId));
            const routes = g
                .ofType("aws:ec2/route:Route")
                .filter((r) => tables.some((t) => t.id === r.inputs.routeTableId));
            const targets = [...tables.map((t) => t.inputs.routes), ...routes.map((r) => r.inputs)].flatMap((route) =>
                list(route).flatMap((r) =>
                    named(
                        ["natGatewayId", "gatewayId", "transitGatewayId", "vpcEndpointId"].map(
                            (field) => (r as Record<string, unknown>)[field],
                        ),
                    ),
                ),
            );
            const vpcIds = new Set(subnets.map((s) => s.inputs.vpcId));
            const endpoints = g
                .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter((e) => vpcIds.has(e.inputs.vpcId as string));
            const groups = new Set([
                ...securityGroupIds,
                ...endpoints.flatMap((e) => list(e.inputs.securityGroupIds) as string[]),
            ]);
            const rules = g.resources.filter(
                (r) =>
                    (r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" &&
                        securityGroupIds.includes(String(r.inputs.securityGroupId))) ||
                    (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                        groups.has(String(r.inputs.securityGroupId)) &&
                        !securityGroupIds.includes(String(r.inputs.securityGroupId))),
            );
            return [...new Set([...associations, ...tables, ...routes, ...targets, ...endpoints, ...rules])];
        }

        it("validates each certificate only after the DNS records that prove it", () => {
            const validations = g.ofType("aws:acm/certificateValidation:CertificateValidation");
            assert.ok(validations.length > 0);
            for (const validation of validations) {
                const certificate = named(validation.inputs.certificateArn).find(
                    (r) => r.type === "aws:acm/certificate:Certificate",
                ) as PlanResource;
                assert.ok(certificate, `${validation.urn} validates no certificate of the graph`);
                const domains = new Set([
                    certificate.inputs.domainName,
                    ...list(certificate.inputs.subjectAlternativeNames),
                ]);
                const records = g
                    .ofType("aws:route53/record:Record")
                    .filter((r) => (r.propertyDependencies.name ?? []).includes(certificate.urn));
                assert.ok(records.length >= Math.min(domains.size, 1), `${validation.urn} has no validation records`);
                for (const record of records)
                    assert.ok(
                        g.dependsOn(validation, record),
                        `${validation.urn} may wait before ${record.urn} exists`,
                    );
            }
        });
    });
}
