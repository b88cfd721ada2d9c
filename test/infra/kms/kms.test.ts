import * as assert from "assert";
import { EVENTBRIDGE_PRINCIPAL, KEY_PURPOSES, MESSAGING_SERVICE_PRINCIPALS } from "../../../infra/kms/key-policies";
import { Graph, graphOf, STACKS } from "../harness";

for (const stack of STACKS) {
    describe(`KMS keys (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const account = stack === "prod" ? "222222222222" : "111111111111";

        /** The key behind the alias of a purpose, in the stack's region. */
        const keyOf = (purpose: string) => {
            const alias = g
                .ofType("aws:kms/alias:Alias")
                .find((a) => a.inputs.name === `alias/shop-${stack}-${purpose}` && a.region === "af-south-1");
            assert.ok(alias, `no alias for the ${purpose} key`);
            return g.sources(alias, "targetKeyId")[0];
        };
        const statements = (purpose: string) => g.policy(keyOf(purpose)).Statement;

        it("creates one rotated, symmetric key per purpose with an alias and the stack's deletion window", () => {
            const ring = g.one("shop:security:KeyRing", "keys");
            assert.strictEqual(g.under(ring).filter((r) => r.type === "aws:kms/key:Key").length, KEY_PURPOSES.length);
            for (const purpose of KEY_PURPOSES) {
                const key = keyOf(purpose);
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(key.inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
                assert.strictEqual(key.inputs.deletionWindowInDays, stack === "prod" ? 30 : 7);
                assert.strictEqual(key.parent, ring.urn);
            }
        });

        it("keeps administration with the account root in every key policy", () => {
            for (const purpose of KEY_PURPOSES) {
                const admin = statements(purpose).find((s) => s.Sid === "AccountAdministration");
                assert.ok(admin);
                assert.deepStrictEqual([admin.Principal.AWS, admin.Action], [`arn:aws:iam::${account}:root`, "kms:*"]);
            }
        });

        it("admits CloudWatch Logs of the region to the logs key, only for this account's log groups", () => {
            const logs = statements("logs").find((s) => s.Principal?.Service === "logs.af-south-1.amazonaws.com");
            assert.ok(logs);
            assert.deepStrictEqual(logs.Condition, {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:af-south-1:${account}:log-group:*` },
            });
            assert.ok(logs.Action.includes("kms:GenerateDataKey*") && logs.Action.includes("kms:Decrypt*"));
        });

        // CloudTrail's documented key policy: aws:SourceArn of the trail on encrypt and describe.
        it("admits CloudTrail to the audit key with the documented conditions, for this stack's trail only", () => {
            const trailArn = `arn:aws:cloudtrail:af-south-1:${account}:trail/shop-${stack}-trail`;
            const trail = statements("audit").filter((s) => s.Principal?.Service === "cloudtrail.amazonaws.com");
            const encrypt = trail.find((s) => s.Action === "kms:GenerateDataKey*");
            const describe = trail.find((s) => s.Action === "kms:DescribeKey");
            assert.ok(encrypt && describe);
            assert.deepStrictEqual(encrypt.Condition.StringEquals, { "aws:SourceArn": trailArn });
            assert.strictEqual(
                encrypt.Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"],
                `arn:aws:cloudtrail:*:${account}:trail/*`,
            );
            assert.deepStrictEqual(describe.Condition.StringEquals, { "aws:SourceArn": trailArn });
            assert.strictEqual(
                g.one("aws:cloudtrail/trail:Trail").inputs.name,
                `shop-${stack}-trail`,
                "the key names the trail the stack creates",
            );
            const read = statements("audit").find((s) => s.Sid === "AccountReadsLogFiles");
            assert.ok(read && read.Action.includes("kms:Decrypt"), "the account can read the log files");
            assert.strictEqual(read.Condition.StringEquals["kms:CallerAccount"], account);
        });

        it("admits the services that publish into queues and topics to the messaging key", () => {
            const publish = statements("messaging").find((s) => s.Sid === "PublishingServices");
            assert.ok(publish);
            assert.deepStrictEqual([...publish.Principal.Service].sort(), [...MESSAGING_SERVICE_PRINCIPALS].sort());
            assert.deepStrictEqual(publish.Condition, { StringEquals: { "aws:SourceAccount": account } });
        });

        // EventBridge's KMS requests carry no aws:Source* keys: a condition on them would never match
        // and GuardDuty findings would be dropped without an error anywhere but FailedInvocations.
        it("admits EventBridge to the messaging key without the source conditions its requests do not carry", () => {
            const rules = statements("messaging").filter((s) =>
                [s.Principal?.Service].flat().includes(EVENTBRIDGE_PRINCIPAL),
            );
            assert.strictEqual(rules.length, 1);
            assert.deepStrictEqual(rules[0].Principal, { Service: EVENTBRIDGE_PRINCIPAL });
            assert.deepStrictEqual(rules[0].Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
            assert.strictEqual(rules[0].Condition, undefined);
        });

        it("lets data services (and the Auto Scaling role through EC2) use the data key only from this account", () => {
            const use = statements("data").find((s) => s.Sid === "UseThroughDataServices");
            const grants = statements("data").find((s) => s.Sid === "GrantsForDataServices");
            assert.ok(use && grants);
            for (const service of ["ec2", "rds", "elasticache", "elasticfilesystem", "secretsmanager"]) {
                assert.ok(
                    use.Condition.StringEquals["kms:ViaService"].includes(`${service}.af-south-1.amazonaws.com`),
                    service,
                );
            }
            assert.strictEqual(use.Condition.StringEquals["kms:CallerAccount"], account);
            assert.strictEqual(grants.Condition.Bool["kms:GrantIsForAWSResource"], true);
        });

        // OAC reads of SSE-KMS objects fail (403) unless the key admits CloudFront; naming our
        // distribution's ARN here would be a cycle (bucket -> key -> distribution -> bucket).
        it("admits CloudFront to the assets key for this account's distributions, without waiting for any", () => {
            const key = keyOf("assets");
            const cloudfront = g.policy(key).Statement.find((s) => s.Principal?.Service === "cloudfront.amazonaws.com");
            assert.ok(cloudfront);
            assert.deepStrictEqual([cloudfront.Effect, cloudfront.Action], ["Allow", "kms:Decrypt"]);
            assert.deepStrictEqual(cloudfront.Condition, {
                ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${account}:distribution/*` },
            });
            const distribution = g.one("aws:cloudfront/distribution:Distribution");
            assert.ok(!g.dependsOn(key, distribution), "the key must not wait for the distribution");
            const encryption = g
                .within(g.one("shop:edge:Assets"))
                .one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
            assert.ok(
                JSON.stringify(encryption.propertyDependencies.rules).includes(key.urn),
                "the assets bucket is encrypted with it",
            );
        });

        // CreateLogGroup with a key whose policy does not admit logs.<region> fails at deploy time.
        it("encrypts every log group with a key whose policy admits CloudWatch Logs of the group's region", () => {
            const groups = g.ofType("aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length > 0);
            for (const group of groups) {
                const [key] = g.sources(group, "kmsKeyId");
                assert.ok(
                    key && key.type === "aws:kms/key:Key",
                    `${group.urn} is not encrypted with a customer-managed key`,
                );
                assert.strictEqual(key.region, group.region, `${group.urn} and its key are in different regions`);
                const admitted = g
                    .policy(key)
                    .Statement.some(
                        (s) => s.Effect === "Allow" && s.Principal?.Service === `logs.${group.region}.amazonaws.com`,
                    );
                assert.ok(admitted, `the key of ${group.urn} does not admit logs.${group.region}.amazonaws.com`);
                assert.ok(typeof group.inputs.retentionInDays === "number", `${group.urn} has no retention`);
            }
        });
    });
}
