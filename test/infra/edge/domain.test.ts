import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { WORKLOADS } from "../../../infra/workloads";
import { Graph, graphOf, PROJECT_DIR, STACKS } from "../harness";

for (const stack of STACKS) {
    const apex = stack === "prod" ? "shop.example.co.za" : "dev.shop.example.co.za";

    describe(`domain: zone, certificates, origin secret (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const certificate = (domainName: string) => {
            const found = g.ofType("aws:acm/certificate:Certificate").find((c) => c.inputs.domainName === domainName);
            assert.ok(found, `no certificate for ${domainName}`);
            return found;
        };

        it(
            stack === "prod"
                ? "uses the configured hosted zone and creates none"
                : "creates the hosted zone when config names none",
            () => {
                const zones = g.ofType("aws:route53/zone:Zone");
                if (stack === "prod") {
                    assert.strictEqual(zones.length, 0);
                    for (const record of g.ofType("aws:route53/record:Record"))
                        assert.strictEqual(record.inputs.zoneId, "Z0PRODSHOPZONE000001");
                    assert.strictEqual(g.plan.outputs.hostedZoneId, "Z0PRODSHOPZONE000001");
                    assert.deepStrictEqual(
                        g.plan.outputs.hostedZoneNameServers,
                        [],
                        "the given zone is already delegated",
                    );
                } else {
                    assert.strictEqual(zones.length, 1);
                    assert.strictEqual(zones[0].inputs.name, apex);
                    for (const record of g.ofType("aws:route53/record:Record"))
                        assert.ok(record.propertyDependencies.zoneId.includes(zones[0].urn));
                    // Certificates validate only once the parent delegates to the new zone: the stack says to which servers.
                    const nameServers = g.plan.outputs.hostedZoneNameServers as string[];
                    assert.strictEqual(nameServers.length, 4);
                    for (const server of nameServers) assert.match(server, /^ns-\d+/);
                    const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
                    assert.ok(
                        readme.includes(`pulumi up --target '${zones[0].urn}'`),
                        "the README's first-deployment step targets this zone",
                    );
                }
            },
        );

        it("issues the site certificate in us-east-1 (CloudFront) and the origin certificate in the stack's region", () => {
            const site = certificate(apex);
            assert.strictEqual(site.region, "us-east-1");
            assert.deepStrictEqual(site.inputs.subjectAlternativeNames, [`www.${apex}`]);
            const origin = certificate(`origin.${apex}`);
            assert.strictEqual(origin.region, "af-south-1");
            for (const cert of [site, origin]) assert.strictEqual(cert.inputs.validationMethod, "DNS");
        });

        it("validates each certificate through a DNS record per name before anything may use it", () => {
            for (const cert of g.ofType("aws:acm/certificate:Certificate")) {
                const names = [cert.inputs.domainName, ...((cert.inputs.subjectAlternativeNames as string[]) ?? [])];
                const records = g.ofType("aws:route53/record:Record").filter((r) => r.dependencies.includes(cert.urn));
                assert.strictEqual(
                    records.length,
                    names.length,
                    `${cert.inputs.domainName}: one validation record per name`,
                );
                for (const record of records) {
                    assert.strictEqual(record.inputs.type, "CNAME");
                    assert.ok(names.some((n) => String(record.inputs.name).endsWith(`.${n}.`)));
                }
                const validation = g
                    .ofType("aws:acm/certificateValidation:CertificateValidation")
                    .find((v) => v.propertyDependencies.certificateArn.includes(cert.urn));
                assert.ok(validation, `${cert.inputs.domainName} has no validation`);
                assert.strictEqual(validation.region, cert.region, "the validation runs in the certificate's region");
                assert.deepStrictEqual(
                    [...validation.propertyDependencies.validationRecordFqdns].sort(),
                    records.map((r) => r.urn).sort(),
                );
            }
        });

        it("generates the origin verification secret", () => {
            const secret = g.one("random:index/randomPassword:RandomPassword", "domain-origin-verify");
            assert.ok((secret.inputs.length as number) >= 32);
            assert.strictEqual(secret.inputs.special, false, "header values stay plain ASCII");
        });
    });

    describe(`workload security groups (${stack})`, () => {
        it("creates one empty group per workload in the VPC", async () => {
            const g = await graphOf(stack);
            const component = g.one("shop:network:WorkloadSecurityGroups");
            const groups = g.ofType("aws:ec2/securityGroup:SecurityGroup").filter((sg) => sg.parent === component.urn);
            assert.deepStrictEqual(
                groups.map((sg) => (sg.inputs.tags as Record<string, string>).Workload).sort(),
                [...WORKLOADS].sort(),
            );
            const vpc = g.one("aws:ec2/vpc:Vpc");
            for (const sg of groups) {
                assert.ok(sg.propertyDependencies.vpcId.includes(vpc.urn));
                assert.ok(!sg.inputs.ingress && !sg.inputs.egress, "rules are separate resources owned by the tiers");
            }
        });
    });
}
