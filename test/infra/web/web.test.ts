import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { ALB_TLS_POLICIES } from "../../../infra/config/web";
import { PlanResource } from "../../../infra/offline/graph";
import { MAX_INSTANCE_LIFETIME_SECONDS, ROOT_DEVICE, SSM_MANAGED_INSTANCE_POLICY } from "../../../infra/web/fleet";
import {
    CLOUDFRONT_PREFIX_LIST_WEIGHT,
    DEFAULT_INBOUND_RULES_PER_GROUP,
    HEALTH_CHECK_PATH,
    ORIGIN_VERIFY_HEADER,
    TARGET_PORT,
} from "../../../infra/web/load-balancer";
import { configWith, Graph, graphOf, STACKS } from "../harness";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

for (const stack of STACKS) {
    const apex = stack === "prod" ? "shop.example.co.za" : "dev.shop.example.co.za";
    const account = stack === "prod" ? "222222222222" : "111111111111";
    const config = loadConfig(configWith(stack, {}));

    describe(`web servers behind the public load balancer (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        // The services tier has load balancer resources too: these are the web tier's.
        const web = () => g.within(g.one("shop:web:WebServers"));
        const alb = () => web().one("aws:lb/loadBalancer:LoadBalancer");
        const listeners = () =>
            g.ofType("aws:lb/listener:Listener").filter((l) => g.sources(l, "loadBalancerArn").includes(alb()));
        const listenerOn = (port: number) => {
            const found = listeners().filter((l) => l.inputs.port === port);
            assert.strictEqual(found.length, 1, `one listener on ${port}`);
            return found[0];
        };
        const subnetsOf = (layer: string) =>
            g.ofType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).Layer === layer);
        const workloadGroup = (workload: string) =>
            g
                .ofType("aws:ec2/securityGroup:SecurityGroup")
                .find((sg) => (sg.inputs.tags as Record<string, string>).Workload === workload) as PlanResource;
        const rulesOf = (type: string, group: PlanResource) =>
            g.ofType(type).filter((r) => g.sources(r, "securityGroupId").includes(group));
        const albGroup = () => g.sources(alb(), "securityGroups")[0];
        const dataKey = () =>
            g.sources(
                g
                    .ofType("aws:kms/alias:Alias")
                    .find((a) => a.inputs.name === `alias/shop-${stack}-data`) as PlanResource,
                "targetKeyId",
            )[0];
        const template = () => g.one("aws:ec2/launchTemplate:LaunchTemplate");
        const group = () => g.one("aws:autoscaling/group:Group");
        const forwardRule = () => web().one("aws:lb/listenerRule:ListenerRule");

        it("is one component that parents every resource of the tier", () => {
            const component = g.one("shop:web:WebServers");
            const types = new Set(g.under(component).map((r) => r.type));
            for (const type of [
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:lb/listener:Listener",
                "aws:lb/targetGroup:TargetGroup",
                "aws:ec2/launchTemplate:LaunchTemplate",
                "aws:autoscaling/group:Group",
                "aws:autoscaling/policy:Policy",
                "aws:s3/bucket:Bucket",
                "aws:route53/record:Record",
            ]) {
                assert.ok(types.has(type), `${type} is not under the web component`);
            }
        });

        it("puts an internet-facing, IPv4 load balancer in every zone's public subnet", () => {
            const lb = alb();
            assert.strictEqual(lb.inputs.loadBalancerType, "application");
            assert.strictEqual(lb.inputs.internal, false);
            assert.deepStrictEqual(
                g
                    .sources(lb, "subnets")
                    .map((s) => s.urn)
                    .sort(),
                subnetsOf("public")
                    .map((s) => s.urn)
                    .sort(),
            );
            assert.deepStrictEqual(
                g
                    .sources(lb, "subnets")
                    .map((s) => s.inputs.availabilityZone)
                    .sort(),
                [...config.stack.availabilityZones].sort(),
            );
            // Dualstack needs IPv6 blocks on the subnets, which the VPC does not have.
            assert.strictEqual(lb.inputs.ipAddressType, "ipv4");
            assert.ok(!g.one("aws:ec2/vpc:Vpc").inputs.assignGeneratedIpv6CidrBlock);
            assert.strictEqual(lb.inputs.dropInvalidHeaderFields, true);
            assert.strictEqual(lb.inputs.enableDeletionProtection, stack === "prod");
            assert.ok(String(lb.inputs.name).length <= 32, "load balancer names are at most 32 characters");
        });

        it("terminates HTTPS with the validated origin certificate and a TLS 1.3 policy, refusing by default", () => {
            const https = listenerOn(443);
            assert.strictEqual(https.inputs.protocol, "HTTPS");
            assert.ok((ALB_TLS_POLICIES as readonly string[]).includes(String(https.inputs.sslPolicy)));
            assert.match(
                String(https.inputs.sslPolicy),
                /^ELBSecurityPolicy-TLS13-1-2-/,
                "TLS 1.3 offered, TLS 1.2 (CloudFront's origin protocol) still accepted",
            );
            const validation = g.sources(https, "certificateArn")[0];
            assert.strictEqual(
                validation.type,
                "aws:acm/certificateValidation:CertificateValidation",
                "the listener waits for the validated certificate",
            );
            const certificate = g.sources(validation, "certificateArn")[0];
            assert.strictEqual(certificate.inputs.domainName, `origin.${apex}`);
            assert.strictEqual(
                certificate.region,
                alb().region,
                "the listener's certificate is in the load balancer's region",
            );
            assert.deepStrictEqual(https.inputs.defaultActions, [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
                },
            ]);
        });

        it("forwards to the web servers only requests carrying CloudFront's secret origin header", () => {
            const rule = forwardRule();
            assert.ok(g.sources(rule, "listenerArn").includes(listenerOn(443)));
            const conditions = rule.inputs.conditions as { httpHeader: { httpHeaderName: string; values: string[] } }[];
            assert.strictEqual(conditions.length, 1);
            assert.strictEqual(conditions[0].httpHeader.httpHeaderName, ORIGIN_VERIFY_HEADER);
            const secret = g.one("random:index/randomPassword:RandomPassword", "domain-origin-verify");
            assert.ok(g.sources(rule, "conditions").includes(secret), "the header value is the Domain's origin secret");
            const [value] = conditions[0].httpHeader.values;
            // ALB header values: at most 128 characters, and * and ? are wildcards.
            assert.match(value, /^[A-Za-z0-9]{32,128}$/);
            const actions = rule.inputs.actions as Record<string, unknown>[];
            assert.deepStrictEqual(
                actions.map((a) => a.type),
                ["forward"],
            );
            assert.deepStrictEqual(g.sources(rule, "actions"), [web().one("aws:lb/targetGroup:TargetGroup")]);
        });

        it("has an HTTP listener that only redirects to HTTPS", () => {
            for (const listener of listeners().filter((l) => l.inputs.protocol === "HTTP")) {
                assert.deepStrictEqual(listener.inputs.defaultActions, [
                    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                ]);
                assert.strictEqual(g.dependents(listener, "listenerArn").length, 0, "no rule may forward HTTP traffic");
            }
            assert.ok(listeners().every((l) => l.inputs.protocol === "HTTPS" || l.inputs.protocol === "HTTP"));
            assert.strictEqual(listenerOn(80).inputs.protocol, "HTTP");
        });

        it("admits only HTTPS from CloudFront's origin-facing prefix list, within the security group rule quota", () => {
            const ingress = rulesOf(INGRESS, albGroup());
            assert.strictEqual(ingress.length, 1);
            assert.match(String(ingress[0].inputs.prefixListId), /^pl-/);
            assert.deepStrictEqual(
                [ingress[0].inputs.fromPort, ingress[0].inputs.toPort, ingress[0].inputs.ipProtocol],
                [443, 443, "tcp"],
            );
            // A prefix list counts with its weight (CloudFront's: 55) against 60 inbound rules per group.
            const weight = ingress.reduce(
                (sum, rule) => sum + (rule.inputs.prefixListId ? CLOUDFRONT_PREFIX_LIST_WEIGHT : 1),
                0,
            );
            assert.ok(
                weight <= DEFAULT_INBOUND_RULES_PER_GROUP,
                `inbound rule weight ${weight} exceeds the default quota`,
            );
            assert.strictEqual(albGroup().inputs.ingress, undefined, "no inline rules");
        });

        it("lets the load balancer talk only to the web servers, on their port", () => {
            const egress = rulesOf(EGRESS, albGroup());
            assert.strictEqual(egress.length, 1);
            assert.deepStrictEqual(g.sources(egress[0], "referencedSecurityGroupId"), [workloadGroup("web")]);
            assert.deepStrictEqual([egress[0].inputs.fromPort, egress[0].inputs.toPort], [TARGET_PORT, TARGET_PORT]);
        });

        it("admits the web servers' port only from the load balancer, and lets them reach the cache and HTTPS", () => {
            const web = workloadGroup("web");
            const ingress = rulesOf(INGRESS, web);
            assert.strictEqual(ingress.length, 1);
            assert.deepStrictEqual(g.sources(ingress[0], "referencedSecurityGroupId"), [albGroup()]);
            assert.deepStrictEqual([ingress[0].inputs.fromPort, ingress[0].inputs.toPort], [TARGET_PORT, TARGET_PORT]);
            const egress = rulesOf(EGRESS, web);
            const cacheGroup = g.sources(
                g.one("aws:elasticache/replicationGroup:ReplicationGroup"),
                "securityGroupIds",
            )[0];
            const toCache = egress.find((r) => g.sources(r, "referencedSecurityGroupId").includes(cacheGroup));
            assert.ok(toCache && toCache.inputs.fromPort === 6379 && toCache.inputs.toPort === 6379);
            const toInternet = egress.filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
            assert.deepStrictEqual(
                toInternet.map((r) => [r.inputs.fromPort, r.inputs.toPort]),
                [[443, 443]],
            );
            assert.strictEqual(egress.length, 2);
        });

        it("has no security group anywhere that admits the whole internet, and no SSH", () => {
            for (const rule of g.ofType(INGRESS)) {
                assert.ok(
                    rule.inputs.cidrIpv4 !== "0.0.0.0/0" && rule.inputs.cidrIpv6 !== "::/0",
                    `${rule.urn} admits the internet`,
                );
                const [from, to] = [rule.inputs.fromPort as number, rule.inputs.toPort as number];
                assert.ok(rule.inputs.ipProtocol !== "-1" && !(from <= 22 && 22 <= to), `${rule.urn} opens port 22`);
            }
            for (const sg of g.ofType("aws:ec2/securityGroup:SecurityGroup")) {
                for (const rule of (sg.inputs.ingress ?? []) as Record<string, unknown>[]) {
                    assert.ok(
                        !((rule.cidrBlocks ?? []) as string[]).includes("0.0.0.0/0") &&
                            !((rule.ipv6CidrBlocks ?? []) as string[]).includes("::/0"),
                        `${sg.urn} admits the internet`,
                    );
                }
            }
        });

        it("describes every security group and rule with the characters and length EC2 accepts", () => {
            const allowed = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;
            for (const r of [
                ...g.ofType("aws:ec2/securityGroup:SecurityGroup"),
                ...g.ofType(INGRESS),
                ...g.ofType(EGRESS),
            ]) {
                assert.match(String(r.inputs.description ?? ""), allowed, r.urn);
            }
        });

        it("logs requests to a private, SSE-S3, TLS-only bucket whose policy exists before the load balancer", () => {
            const logs = alb().inputs.accessLogs as Record<string, unknown>;
            assert.strictEqual(logs.enabled, true);
            const bucket = g.sources(alb(), "accessLogs")[0];
            assert.strictEqual(bucket.type, "aws:s3/bucket:Bucket");
            assert.strictEqual(logs.bucket, bucket.inputs.bucket);
            assert.ok(String(bucket.inputs.bucket).length <= 63);
            assert.strictEqual(bucket.inputs.forceDestroy, stack !== "prod");
            const about = (type: string) => {
                const found = g.ofType(type).filter((r) => g.sources(r, "bucket").includes(bucket));
                assert.strictEqual(found.length, 1, `one ${type} for the log bucket`);
                return found[0];
            };
            const encryption = about(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            );
            // ELB cannot deliver into SSE-KMS buckets.
            assert.deepStrictEqual(encryption.inputs.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
            const block = about("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            assert.deepStrictEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
            assert.strictEqual(
                (about("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as Record<string, unknown>)
                    .objectOwnership,
                "BucketOwnerEnforced",
            );
            const versioning = about("aws:s3/bucketVersioning:BucketVersioning");
            assert.strictEqual(
                (versioning.inputs.versioningConfiguration as Record<string, unknown>).status,
                "Enabled",
            );
            const lifecycleConfig = about("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            assert.ok(
                lifecycleConfig.dependencies.includes(versioning.urn),
                "noncurrent-version rules need versioning first",
            );
            const [lifecycle, markers] = lifecycleConfig.inputs.rules as Record<string, any>[];
            assert.strictEqual(lifecycle.status, "Enabled");
            assert.strictEqual(lifecycle.expiration.days, config.stack.logRetentionDays);
            assert.ok(lifecycle.noncurrentVersionExpiration.noncurrentDays > 0, "old versions expire too");
            assert.strictEqual(markers.expiration.expiredObjectDeleteMarker, true);

            const policy = about("aws:s3/bucketPolicy:BucketPolicy");
            assert.ok(g.dependsOn(alb(), policy), "the load balancer checks its write access when logging is enabled");
            assert.ok(
                g.dependsOn(policy, about("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")),
                "bucket settings are applied one after another",
            );
            const statements = g.policy(policy).Statement;
            const delivery = statements.find((s) => s.Sid === "ElbLogDelivery") as Record<string, any>;
            // af-south-1 predates August 2022: ELB writes from its regional account there.
            assert.deepStrictEqual(delivery.Principal, { AWS: "arn:aws:iam::098369216593:root" });
            assert.strictEqual(delivery.Action, "s3:PutObject");
            // The stack's one log bucket: the internal load balancer of the services writes under its own prefix.
            const internal = g.one("aws:lb/loadBalancer:LoadBalancer", "routing-alb").inputs.accessLogs as Record<
                string,
                unknown
            >;
            assert.strictEqual(internal.bucket, bucket.inputs.bucket);
            assert.deepStrictEqual(
                delivery.Resource,
                [logs.prefix, internal.prefix].map(
                    (prefix) => `arn:aws:s3:::${bucket.inputs.bucket}/${prefix}/AWSLogs/${account}/*`,
                ),
            );
            const tlsOnly = statements.find((s) => s.Effect === "Deny") as Record<string, any>;
            assert.deepStrictEqual(
                [tlsOnly.Principal, tlsOnly.Action, tlsOnly.Condition],
                ["*", "s3:*", { Bool: { "aws:SecureTransport": "false" } }],
            );
        });

        it("points origin.<domain> at the load balancer with an alias in the load balancer's zone", () => {
            const record = g
                .ofType("aws:route53/record:Record")
                .find((r) => r.inputs.name === `origin.${apex}` && r.inputs.type === "A");
            assert.ok(record, "no A record for the origin name");
            const [alias] = record.inputs.aliases as Record<string, unknown>[];
            assert.ok(g.sources(record, "aliases").includes(alb()));
            assert.match(String(alias.name), /\.af-south-1\.elb\.amazonaws\.com$/);
            assert.strictEqual(
                alias.zoneId,
                "Z268VQBMOI5EKX",
                "the alias target's zone is ELB's for af-south-1, not the site's zone",
            );
            assert.strictEqual(alias.evaluateTargetHealth, true);
            const zoneId = stack === "prod" ? "Z0PRODSHOPZONE000001" : g.one("aws:route53/zone:Zone");
            if (typeof zoneId === "string") assert.strictEqual(record.inputs.zoneId, zoneId);
            else assert.ok(g.sources(record, "zoneId").includes(zoneId));
        });

        it("checks the servers' health over HTTPS on their own port", () => {
            const tg = web().one("aws:lb/targetGroup:TargetGroup");
            assert.deepStrictEqual(
                [tg.inputs.protocol, tg.inputs.port, tg.inputs.targetType],
                ["HTTPS", TARGET_PORT, "instance"],
            );
            const health = tg.inputs.healthCheck as Record<string, unknown>;
            assert.deepStrictEqual(
                [health.enabled, health.protocol, health.path, health.matcher],
                [true, "HTTPS", HEALTH_CHECK_PATH, "200"],
            );
            // Pulumi appends 8 characters to the logical name; target group names are at most 32.
            assert.ok(tg.name.length + 8 <= 32);
        });

        it("launches servers with IMDSv2 only, an encrypted gp3 root volume under the data key, no public address and no key pair", () => {
            const lt = template().inputs as Record<string, any>;
            assert.deepStrictEqual(
                [
                    lt.metadataOptions.httpTokens,
                    lt.metadataOptions.httpPutResponseHopLimit,
                    lt.metadataOptions.httpEndpoint,
                ],
                ["required", 1, "enabled"],
            );
            const [root] = lt.blockDeviceMappings;
            assert.strictEqual(root.deviceName, ROOT_DEVICE);
            assert.deepStrictEqual(
                [root.ebs.volumeType, root.ebs.encrypted, root.ebs.deleteOnTermination],
                ["gp3", "true", "true"],
            );
            assert.ok(root.ebs.volumeSize >= 8, "Amazon Linux 2023's root snapshot is 8 GiB");
            assert.ok(
                g.sources(template(), "blockDeviceMappings").includes(dataKey()),
                "the root volume uses the data key",
            );
            assert.strictEqual(lt.keyName, undefined);
            const [nic] = lt.networkInterfaces;
            assert.strictEqual(nic.associatePublicIpAddress, "false");
            assert.strictEqual(
                lt.vpcSecurityGroupIds,
                undefined,
                "EC2 refuses instance-level groups next to interface groups",
            );
            assert.ok(g.sources(template(), "networkInterfaces").includes(workloadGroup("web")));
            assert.strictEqual(lt.instanceType, config.web.instanceType);
        });

        it("launches the AMI the stack pins, so that a deployment is reproducible and a refresh can roll back", () => {
            assert.strictEqual(template().inputs.imageId, config.web.imageId);
            assert.match(String(template().inputs.imageId), /^ami-[0-9a-f]{17}$/);
        });

        it("boots into nginx serving the health check and the storefront, with no secret in the user data", () => {
            const script = Buffer.from(String(template().inputs.userData), "base64").toString("utf8");
            assert.ok(script.length <= 16 * 1024, "EC2 user data is limited to 16 KB");
            assert.match(script, /^#!\/bin\/bash\n/);
            assert.match(script, /dnf install -y nginx/);
            assert.match(script, new RegExp(`listen ${TARGET_PORT} ssl;`));
            assert.match(script, new RegExp(`location = ${HEALTH_CHECK_PATH} `));
            assert.match(script, /systemctl enable --now nginx/);
            const token = String(g.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs.authToken);
            assert.ok(!script.includes(token), "the AUTH token must not be in user data");
            assert.match(script, /CACHE_SECRET_ARN=arn:aws:secretsmanager:/);
        });

        it("tags what the Auto Scaling group launches with the stack's tags (default tags do not reach them)", () => {
            const specs = template().inputs.tagSpecifications as {
                resourceType: string;
                tags: Record<string, string>;
            }[];
            assert.deepStrictEqual(specs.map((s) => s.resourceType).sort(), [
                "instance",
                "network-interface",
                "volume",
            ]);
            for (const spec of specs) {
                for (const [key, value] of Object.entries(config.stack.tags)) assert.strictEqual(spec.tags[key], value);
            }
        });

        it("gives the servers Session Manager and read access to the cache secret only", () => {
            const profile = g.sources(template(), "iamInstanceProfile")[0];
            const role = g.sources(profile, "role")[0];
            const trust = g.policy(role, "assumeRolePolicy").Statement;
            assert.deepStrictEqual(
                trust.map((s) => [s.Effect, s.Principal, s.Action]),
                [["Allow", { Service: "ec2.amazonaws.com" }, "sts:AssumeRole"]],
            );
            const attachments = g
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => g.sources(a, "role").includes(role));
            assert.deepStrictEqual(
                attachments.map((a) => a.inputs.policyArn),
                [SSM_MANAGED_INSTANCE_POLICY],
            );
            const inline = g.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => g.sources(p, "role").includes(role));
            assert.strictEqual(inline.length, 1);
            const [read, decrypt] = g.policy(inline[0]).Statement;
            assert.deepStrictEqual(
                g
                    .sources(inline[0], "policy")
                    .map((r) => r.type)
                    .sort(),
                ["aws:kms/key:Key", "aws:secretsmanager/secret:Secret"],
            );
            assert.strictEqual(read.Action, "secretsmanager:GetSecretValue");
            assert.match(read.Resource, /^arn:aws:secretsmanager:af-south-1:\d{12}:secret:shop-/);
            assert.strictEqual(decrypt.Action, "kms:Decrypt");
            assert.deepStrictEqual(decrypt.Condition, {
                StringEquals: { "kms:ViaService": "secretsmanager.af-south-1.amazonaws.com" },
            });
        });

        it("lets EC2 use the data key for the Auto Scaling service-linked role's volumes", () => {
            // The AWS-managed aws/ebs key works with Auto Scaling through exactly this pattern:
            // any principal of the account, via EC2 of the region, grants only for AWS resources.
            const statements = g.policy(dataKey()).Statement;
            const use = statements.find((s) => s.Sid === "UseThroughDataServices") as Record<string, any>;
            for (const action of [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:DescribeKey",
            ])
                assert.ok(use.Action.includes(action), action);
            assert.strictEqual(use.Condition.StringEquals["kms:CallerAccount"], account);
            assert.ok(use.Condition.StringEquals["kms:ViaService"].includes("ec2.af-south-1.amazonaws.com"));
            const grants = statements.find((s) => s.Sid === "GrantsForDataServices") as Record<string, any>;
            assert.strictEqual(grants.Action, "kms:CreateGrant");
            assert.ok(grants.Condition.StringEquals["kms:ViaService"].includes("ec2.af-south-1.amazonaws.com"));
            assert.deepStrictEqual(grants.Condition.Bool, { "kms:GrantIsForAWSResource": true });
        });

        it("runs the Auto Scaling group over every zone's private subnet with ELB health checks and the configured bounds", () => {
            const asg = group().inputs as Record<string, any>;
            assert.deepStrictEqual(
                g
                    .sources(group(), "vpcZoneIdentifiers")
                    .map((s) => s.urn)
                    .sort(),
                subnetsOf("private")
                    .map((s) => s.urn)
                    .sort(),
            );
            assert.deepStrictEqual(
                [asg.healthCheckType, asg.healthCheckGracePeriod],
                ["ELB", config.web.healthCheckGracePeriodSeconds],
            );
            assert.deepStrictEqual(
                [asg.minSize, asg.maxSize, asg.desiredCapacity],
                [config.web.minSize, config.web.maxSize, config.web.desiredCapacity],
            );
            assert.ok(asg.minSize <= asg.desiredCapacity && asg.desiredCapacity <= asg.maxSize);
            if (stack === "prod") assert.ok(asg.minSize >= 2, "production keeps two servers");
            assert.deepStrictEqual(g.sources(group(), "targetGroupArns"), [
                web().one("aws:lb/targetGroup:TargetGroup"),
            ]);
            assert.ok(
                group().dependencies.includes(forwardRule().urn),
                "servers register once the target group receives traffic",
            );
            assert.deepStrictEqual(group().ignoreChanges, ["desiredCapacity"], "scaling owns the running capacity");
            // AWS accepts 0 or 1 day to 365 days.
            assert.ok(
                asg.maxInstanceLifetime === MAX_INSTANCE_LIFETIME_SECONDS &&
                    asg.maxInstanceLifetime >= 86400 &&
                    asg.maxInstanceLifetime <= 31536000,
            );
        });

        it("refreshes instances whenever the launch template changes", () => {
            const asg = group().inputs as Record<string, any>;
            assert.ok(g.sources(group(), "launchTemplate").includes(template()));
            // "$Latest" would never change, so no refresh would start.
            assert.match(asg.launchTemplate.version, /^\d+$/);
            assert.strictEqual(asg.instanceRefresh.strategy, "Rolling");
            const { minHealthyPercentage: min, maxHealthyPercentage: max } = asg.instanceRefresh.preferences;
            // AWS: min 0-100, max 100-200, and at most 100 apart.
            assert.ok(min >= 0 && min <= 100 && max >= 100 && max <= 200 && max - min <= 100, `${min}/${max}`);
            assert.strictEqual(min, 100, "capacity never dips during a refresh");
        });

        it("scales on requests per server and on CPU", () => {
            const policies = g
                .ofType("aws:autoscaling/policy:Policy")
                .filter((p) => g.sources(p, "autoscalingGroupName").includes(group()));
            const metric = (p: PlanResource) =>
                (p.inputs.targetTrackingConfiguration as Record<string, any>).predefinedMetricSpecification;
            assert.deepStrictEqual(policies.map((p) => metric(p).predefinedMetricType).sort(), [
                "ALBRequestCountPerTarget",
                "ASGAverageCPUUtilization",
            ]);
            for (const p of policies) assert.strictEqual(p.inputs.policyType, "TargetTrackingScaling");
            const requests = policies.find(
                (p) => metric(p).predefinedMetricType === "ALBRequestCountPerTarget",
            ) as PlanResource;
            // The label is "<load balancer ARN suffix>/<target group ARN suffix>".
            assert.match(metric(requests).resourceLabel, /^app\/[^/]+\/[0-9a-f]+\/targetgroup\/[^/]+\/[0-9a-f]+$/);
            assert.deepStrictEqual(
                g
                    .sources(requests, "targetTrackingConfiguration")
                    .map((r) => r.type)
                    .sort(),
                ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"],
            );
            assert.ok(
                requests.dependencies.includes(forwardRule().urn),
                "AWS refuses the label for a target group no load balancer routes to",
            );
            assert.strictEqual(
                (requests.inputs.targetTrackingConfiguration as Record<string, unknown>).targetValue,
                config.web.requestsPerTarget,
            );
            const cpu = policies.find((p) => p !== requests) as PlanResource;
            assert.strictEqual(
                (cpu.inputs.targetTrackingConfiguration as Record<string, unknown>).targetValue,
                config.web.cpuTargetPercent,
            );
        });

        it("exports the load balancer's DNS name and zone and the Auto Scaling group's name", () => {
            const outputs = g.plan.outputs;
            assert.match(String(outputs.webLoadBalancerDnsName), /\.elb\.amazonaws\.com$/);
            assert.strictEqual(outputs.webLoadBalancerZoneId, "Z268VQBMOI5EKX");
            assert.strictEqual(outputs.webAutoScalingGroupName, `shop-${stack}-web`);
        });
    });
}
