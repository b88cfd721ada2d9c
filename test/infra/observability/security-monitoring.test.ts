import * as assert from "assert";
import { defaultGuardDutyFeatures, featureOfferedIn } from "../../../infra/config/guardduty-features";
import { LOG_RETENTION_DAYS } from "../../../infra/config/stack";
import { CIS_CONTROLS } from "../../../infra/observability/cis-alarms";
import { configWith, Graph, graphOf, planWith, STACKS } from "../harness";
import { observabilityGraph } from "./program";

const TRAIL = "aws:cloudtrail/trail:Trail";
const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const ASSETS_BUCKET_ARN = "arn:aws:s3:::shop-assets-example";

for (const stack of STACKS) {
    const prod = stack === "prod";
    const account = prod ? "222222222222" : "111111111111";
    const trailArn = `arn:aws:cloudtrail:af-south-1:${account}:trail/shop-${stack}-trail`;

    describe(`security monitoring (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const bucketPart = (type: string) =>
            g.within(g.one("shop:observability:SecurityMonitoring")).one(`aws:s3/${type}`);
        const topic = () => g.one("aws:sns/topic:Topic", "alerting-topic");
        const keyOf = (purpose: string) => g.one("aws:kms/key:Key", `keys-${purpose}`);

        describe("GuardDuty", () => {
            it("creates the detector with the protection plans the region offers (no EKS: the platform runs none)", () => {
                const detector = g.one("aws:guardduty/detector:Detector");
                assert.deepStrictEqual(
                    [detector.inputs.enable, detector.inputs.findingPublishingFrequency],
                    [true, "FIFTEEN_MINUTES"],
                );
                const features = g.ofType("aws:guardduty/detectorFeature:DetectorFeature");
                assert.deepStrictEqual(features.map((f) => f.inputs.name).sort(), [
                    "EBS_MALWARE_PROTECTION",
                    "LAMBDA_NETWORK_LOGS",
                    "RDS_LOGIN_EVENTS",
                    "RUNTIME_MONITORING",
                    "S3_DATA_EVENTS",
                ]);
                for (const feature of features) {
                    assert.strictEqual(feature.inputs.status, "ENABLED");
                    assert.deepStrictEqual(g.sources(feature, "detectorId"), [detector]);
                }
            });

            it("lets GuardDuty manage the runtime agent on Fargate and EC2, never with EKS runtime monitoring alongside (AWS rejects both)", () => {
                const runtime = g
                    .ofType("aws:guardduty/detectorFeature:DetectorFeature")
                    .find((f) => f.inputs.name === "RUNTIME_MONITORING");
                const agents = Object.fromEntries(
                    (runtime?.inputs.additionalConfigurations as { name: string; status: string }[]).map((c) => [
                        c.name,
                        c.status,
                    ]),
                );
                assert.deepStrictEqual(agents, {
                    ECS_FARGATE_AGENT_MANAGEMENT: "ENABLED",
                    EC2_AGENT_MANAGEMENT: "ENABLED",
                    EKS_ADDON_MANAGEMENT: "DISABLED",
                });
                assert.ok(
                    !g
                        .ofType("aws:guardduty/detectorFeature:DetectorFeature")
                        .some((f) => f.inputs.name === "EKS_RUNTIME_MONITORING"),
                );
            });

            it("routes findings of medium severity and above to the alert topic", () => {
                const rule = g.one("aws:cloudwatch/eventRule:EventRule");
                assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern as string), {
                    source: ["aws.guardduty"],
                    "detail-type": ["GuardDuty Finding"],
                    detail: { severity: [{ numeric: [">=", 4] }] },
                });
                const target = g.one("aws:cloudwatch/eventTarget:EventTarget");
                assert.deepStrictEqual(g.sources(target, "arn"), [topic()]);
                assert.deepStrictEqual(g.sources(target, "rule"), [rule]);
                assert.strictEqual(target.region, topic().region);
                const transformer = target.inputs.inputTransformer as {
                    inputPaths: Record<string, string>;
                    inputTemplate: string;
                };
                for (const field of transformer.inputTemplate.match(/<(\w+)>/g) ?? [])
                    assert.ok(field.slice(1, -1) in transformer.inputPaths, field);
            });
        });

        describe("CloudTrail", () => {
            it("records every region and global services, validates log files, and encrypts with the audit key", () => {
                const trail = g.one(TRAIL);
                assert.strictEqual(trail.inputs.name, `shop-${stack}-trail`);
                for (const flag of [
                    "isMultiRegionTrail",
                    "includeGlobalServiceEvents",
                    "enableLogFileValidation",
                    "enableLogging",
                ])
                    assert.strictEqual(trail.inputs[flag], true, flag);
                assert.deepStrictEqual(g.sources(trail, "kmsKeyId"), [keyOf("audit")]);
                assert.deepStrictEqual(g.sources(trail, "s3BucketName"), [bucketPart("bucket:Bucket")]);
            });

            it("is created only after its bucket policy and its log delivery permissions exist", () => {
                const trail = g.one(TRAIL);
                assert.ok(
                    g.dependsOn(trail, bucketPart("bucketPolicy:BucketPolicy")),
                    "CloudTrail checks the bucket policy at creation",
                );
                assert.ok(g.dependsOn(trail, g.one("aws:iam/rolePolicy:RolePolicy", "security-trail-logs")));
            });

            it("admits CloudTrail to the audit key for this trail only (aws:SourceArn), as CloudTrail documents", () => {
                const statements = g
                    .policy(g.sources(g.one(TRAIL), "kmsKeyId")[0])
                    .Statement.filter((s) => s.Principal?.Service === "cloudtrail.amazonaws.com");
                assert.deepStrictEqual(statements.map((s) => s.Action).sort(), [
                    "kms:DescribeKey",
                    "kms:GenerateDataKey*",
                ]);
                for (const s of statements) assert.strictEqual(s.Condition.StringEquals["aws:SourceArn"], trailArn);
            });

            it("delivers to a private, TLS-only, versioned bucket encrypted with the audit key", () => {
                const bucket = bucketPart("bucket:Bucket");
                assert.strictEqual(bucket.inputs.bucket, `shop-${stack}-cloudtrail-${account}`);
                assert.ok((bucket.inputs.bucket as string).length <= 63);
                assert.strictEqual(bucket.protect, prod, "audit evidence is protected from deletion in prod");
                const block = bucketPart("bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
                for (const flag of [
                    "blockPublicAcls",
                    "blockPublicPolicy",
                    "ignorePublicAcls",
                    "restrictPublicBuckets",
                ])
                    assert.strictEqual(block[flag], true, flag);
                assert.deepStrictEqual(bucketPart("bucketOwnershipControls:BucketOwnershipControls").inputs.rule, {
                    objectOwnership: "BucketOwnerEnforced",
                });
                assert.deepStrictEqual(bucketPart("bucketVersioning:BucketVersioning").inputs.versioningConfiguration, {
                    status: "Enabled",
                });
                const sse = bucketPart(
                    "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                );
                const [rule] = sse.inputs.rules as {
                    applyServerSideEncryptionByDefault: Record<string, string>;
                    bucketKeyEnabled: boolean;
                }[];
                assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                assert.strictEqual(
                    rule.bucketKeyEnabled,
                    false,
                    "a bucket key would change CloudTrail's encryption context",
                );
                assert.deepStrictEqual(g.sources(sse, "rules"), [keyOf("audit")]);
            });

            it("moves logs to cheaper storage and expires them as configured", () => {
                const rules = bucketPart("bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
                    .rules as Record<string, any>[];
                const archive = rules.find((r) => r.id === "archive-then-expire");
                assert.deepStrictEqual(archive?.transitions, [
                    { days: 30, storageClass: "STANDARD_IA" },
                    { days: 90, storageClass: "GLACIER" },
                ]);
                assert.deepStrictEqual(archive?.expiration, { days: prod ? 2555 : 365 });
                assert.ok(archive?.abortIncompleteMultipartUpload && archive?.noncurrentVersionExpiration);
                for (const r of rules)
                    assert.deepStrictEqual(
                        [r.status, r.filter],
                        ["Enabled", { prefix: "" }],
                        "every rule covers the whole bucket",
                    );
            });

            it("lets only this trail write, only under AWSLogs/<account>/, and denies insecure transport", () => {
                const policy = bucketPart("bucketPolicy:BucketPolicy");
                const statements = g.policy(policy).Statement;
                const bucketArn = `arn:aws:s3:::shop-${stack}-cloudtrail-${account}`;
                const deny = statements.find((s) => s.Effect === "Deny");
                assert.deepStrictEqual(deny?.Condition, { Bool: { "aws:SecureTransport": "false" } });
                assert.deepStrictEqual(deny?.Resource, [bucketArn, `${bucketArn}/*`]);
                const acl = statements.find((s) => s.Action === "s3:GetBucketAcl");
                const write = statements.find((s) => s.Action === "s3:PutObject");
                assert.deepStrictEqual(acl?.Condition, { StringEquals: { "aws:SourceArn": trailArn } });
                assert.strictEqual(write?.Resource, `${bucketArn}/AWSLogs/${account}/*`);
                assert.deepStrictEqual(write?.Condition, {
                    StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
                });
                for (const s of [acl, write])
                    assert.deepStrictEqual(s?.Principal, { Service: "cloudtrail.amazonaws.com" });
                assert.ok(
                    g.dependsOn(policy, bucketPart("bucketPublicAccessBlock:BucketPublicAccessBlock")),
                    "S3 rejects a policy change during the public-access block update",
                );
            });

            it("delivers to an encrypted log group through a role only CloudTrail assumes, scoped to that group's streams", () => {
                const trail = g.one(TRAIL);
                const group = g.one("aws:cloudwatch/logGroup:LogGroup", "security-trail");
                assert.strictEqual(group.inputs.name, `/aws/cloudtrail/shop-${stack}`);
                assert.strictEqual(group.inputs.retentionInDays, prod ? 365 : 30);
                assert.deepStrictEqual(g.sources(group, "kmsKeyId"), [keyOf("logs")]);
                assert.deepStrictEqual(g.sources(trail, "cloudWatchLogsGroupArn"), [group]);
                assert.match(
                    trail.inputs.cloudWatchLogsGroupArn as string,
                    /:log-group:\/aws\/cloudtrail\/shop-\w+:\*$/,
                );
                const role = g.one("aws:iam/role:Role", "security-trail-logs");
                assert.deepStrictEqual(g.sources(trail, "cloudWatchLogsRoleArn"), [role]);
                const [trust] = g.policy(role, "assumeRolePolicy").Statement;
                assert.deepStrictEqual(trust.Principal, { Service: "cloudtrail.amazonaws.com" });
                // CloudTrail documents that this role supports no SourceArn/SourceAccount condition.
                assert.strictEqual(trust.Condition, undefined);
                const [allow] = g.policy(g.one("aws:iam/rolePolicy:RolePolicy", "security-trail-logs")).Statement;
                assert.deepStrictEqual(allow.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
                assert.strictEqual(
                    allow.Resource,
                    `arn:aws:logs:af-south-1:${account}:log-group:/aws/cloudtrail/shop-${stack}:log-stream:${account}_CloudTrail_*`,
                );
            });

            it(
                stack === "prod"
                    ? "records management events and writes to the assets bucket's objects"
                    : "records management events only",
                () => {
                    const trail = g.one(TRAIL);
                    const selectors = trail.inputs.advancedEventSelectors as {
                        fieldSelectors: Record<string, unknown>[];
                    }[];
                    assert.deepStrictEqual(selectors[0].fieldSelectors, [
                        { field: "eventCategory", equals: ["Management"] },
                    ]);
                    if (stack === "dev") {
                        assert.strictEqual(selectors.length, 1);
                        return;
                    }
                    const bucket = g.within(g.one("shop:edge:Assets")).one("aws:s3/bucket:Bucket");
                    assert.deepStrictEqual(selectors[1].fieldSelectors, [
                        { field: "eventCategory", equals: ["Data"] },
                        { field: "resources.type", equals: ["AWS::S3::Object"] },
                        { field: "resources.ARN", startsWiths: [`arn:aws:s3:::${bucket.inputs.bucket}/`] },
                        { field: "readOnly", equals: ["false"] },
                    ]);
                    assert.ok(
                        trail.propertyDependencies.advancedEventSelectors.includes(bucket.urn),
                        "the selector names the assets bucket itself",
                    );
                },
            );
        });

        describe("CIS AWS Foundations Benchmark monitoring", () => {
            it("has a metric filter with the benchmark's pattern on the trail's log group for every control", () => {
                const filters = g.ofType(FILTER);
                assert.strictEqual(filters.length, CIS_CONTROLS.length);
                const group = g.one("aws:cloudwatch/logGroup:LogGroup", "security-trail");
                for (const control of CIS_CONTROLS) {
                    const filter = filters.find((f) => f.inputs.pattern === control.pattern);
                    assert.ok(filter, control.id);
                    assert.strictEqual(
                        filter.inputs.name,
                        `shop-${stack}-cis-${control.id}`,
                        "unique even on a log group that several stacks filter",
                    );
                    assert.deepStrictEqual(g.sources(filter, "logGroupName"), [group]);
                    assert.deepStrictEqual(filter.inputs.metricTransformation, {
                        name: control.id,
                        namespace: `shop-${stack}/CISBenchmark`,
                        value: "1",
                        unit: "Count",
                    });
                }
            });

            it("covers the controls the issue names, with the patterns Security Hub checks", () => {
                const patternOf = (id: string) => CIS_CONTROLS.find((c) => c.id === id)?.pattern ?? "";
                assert.match(
                    patternOf("root-account-usage"),
                    /\$\.userIdentity\.type="Root" && \$\.userIdentity\.invokedBy NOT EXISTS && \$\.eventType !="AwsServiceEvent"/,
                );
                assert.match(patternOf("unauthorized-api-calls"), /"\*UnauthorizedOperation".*"AccessDenied\*"/);
                assert.match(patternOf("console-sign-in-without-mfa"), /MFAUsed != "Yes".*IAMUser.*Success/);
                assert.match(patternOf("route-table-changes"), /^\{\(\$\.eventSource=ec2\.amazonaws\.com\) && /);
                assert.match(patternOf("kms-key-disabled-or-deleted"), /DisableKey.*ScheduleKeyDeletion/);
                for (const id of [
                    "iam-policy-changes",
                    "cloudtrail-changes",
                    "security-group-changes",
                    "nacl-changes",
                    "network-gateway-changes",
                    "vpc-changes",
                    "console-authentication-failures",
                    "s3-bucket-policy-changes",
                    "config-changes",
                ])
                    assert.ok(patternOf(id), id);
                for (const c of CIS_CONTROLS) {
                    const opens = (c.pattern.match(/\(/g) ?? []).length;
                    assert.strictEqual(opens, (c.pattern.match(/\)/g) ?? []).length, `${c.id}: balanced parentheses`);
                    assert.match(c.pattern, /^\{.*\}$/);
                }
            });

            it("alarms on any match within 5 minutes, to the alert topic", () => {
                for (const filter of g.ofType(FILTER)) {
                    const alarm = g
                        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
                        .find((a) => a.dependencies.includes(filter.urn));
                    assert.ok(alarm, `${filter.name} has no alarm`);
                    const {
                        metricName,
                        namespace,
                        statistic,
                        period,
                        threshold,
                        comparisonOperator,
                        evaluationPeriods,
                    } = alarm.inputs;
                    const transformation = filter.inputs.metricTransformation as Record<string, string>;
                    assert.deepStrictEqual([metricName, namespace], [transformation.name, transformation.namespace]);
                    assert.deepStrictEqual(
                        [statistic, period, threshold, comparisonOperator, evaluationPeriods],
                        ["Sum", 300, 1, "GreaterThanOrEqualToThreshold", 1],
                    );
                    assert.deepStrictEqual(g.sources(alarm, "alarmActions"), [topic()]);
                    assert.deepStrictEqual(
                        alarm.inputs.okActions,
                        [],
                        "an event alarm's return to OK tells the on-call nothing",
                    );
                }
            });
        });

        it("keeps every log group of the program for the configured retention", () => {
            const retention = prod ? 365 : 30;
            const groups = g.ofType("aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length >= 2);
            for (const group of groups) {
                const days = group.inputs.retentionInDays as number;
                assert.ok(
                    (LOG_RETENTION_DAYS as readonly number[]).includes(days) && days >= retention,
                    `${group.inputs.name} keeps logs ${days} days`,
                );
            }
        });
    });
}

describe("security monitoring variants", () => {
    it("creates no detector when the account has one, and still routes the findings", async () => {
        const g = await observabilityGraph(configWith("prod", { "observability.guardDuty.createDetector": false }), {});
        assert.strictEqual(g.ofType("aws:guardduty/detector:Detector").length, 0);
        assert.strictEqual(g.ofType("aws:guardduty/detectorFeature:DetectorFeature").length, 0);
        assert.strictEqual(g.ofType("aws:cloudwatch/eventTarget:EventTarget").length, 1);
    });

    it("enables exactly the configured protection plans", async () => {
        const g = await observabilityGraph(
            configWith("dev", { "observability.guardDuty.features": ["S3_DATA_EVENTS", "RDS_LOGIN_EVENTS"] }),
            {},
        );
        assert.deepStrictEqual(
            g
                .ofType("aws:guardduty/detectorFeature:DetectorFeature")
                .map((f) => f.inputs.name)
                .sort(),
            ["RDS_LOGIN_EVENTS", "S3_DATA_EVENTS"],
        );
    });

    it("knows where AWS does not offer a plan", () => {
        assert.strictEqual(featureOfferedIn("RDS_LOGIN_EVENTS", "ap-east-2"), false);
        assert.ok(!defaultGuardDutyFeatures("ap-east-2").includes("RDS_LOGIN_EVENTS"));
        assert.ok(defaultGuardDutyFeatures("af-south-1").includes("RUNTIME_MONITORING"));
    });

    it("records the assets bucket's object writes in prod once the bucket is given", async () => {
        const g = await observabilityGraph(configWith("prod", {}), { assetsBucketArn: ASSETS_BUCKET_ARN });
        const selectors = g.one(TRAIL).inputs.advancedEventSelectors as { fieldSelectors: Record<string, unknown>[] }[];
        assert.strictEqual(selectors.length, 2);
        assert.deepStrictEqual(selectors[1].fieldSelectors, [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: [`${ASSETS_BUCKET_ARN}/`] },
            { field: "readOnly", equals: ["false"] },
        ]);
    });

    it("records reads too when configured, and no data events in dev by default", async () => {
        const all = await observabilityGraph(configWith("prod", { "observability.trail.assetsDataEvents": "all" }), {
            assetsBucketArn: ASSETS_BUCKET_ARN,
        });
        const selectors = all.one(TRAIL).inputs.advancedEventSelectors as { fieldSelectors: { field: string }[] }[];
        assert.ok(!selectors[1].fieldSelectors.some((f) => f.field === "readOnly"));
        const dev = await observabilityGraph(configWith("dev", {}), { assetsBucketArn: ASSETS_BUCKET_ARN });
        assert.strictEqual((dev.one(TRAIL).inputs.advancedEventSelectors as unknown[]).length, 1);
    });

    it("uses an existing trail: no trail, bucket or trail log group, and the CIS filters on the given log group", async () => {
        const g = new Graph(
            await planWith(
                configWith("prod", {
                    "observability.trail.source": "existing",
                    "observability.trail.existingLogGroupName": "aws-controltower/CloudTrailLogs",
                }),
            ),
        );
        assert.strictEqual(g.ofType(TRAIL).length, 0);
        assert.strictEqual(
            g.within(g.one("shop:observability:SecurityMonitoring")).ofType("aws:s3/bucket:Bucket").length,
            0,
        );
        assert.ok(
            !g
                .ofType("aws:cloudwatch/logGroup:LogGroup")
                .some((l) => String(l.inputs.name).startsWith("/aws/cloudtrail/")),
        );
        const filters = g.ofType(FILTER);
        assert.strictEqual(filters.length, CIS_CONTROLS.length);
        for (const f of filters) assert.strictEqual(f.inputs.logGroupName, "aws-controltower/CloudTrailLogs");
        // No trail of its own to name: the audit key admits CloudTrail for this account's trails.
        const audit = g
            .policy(g.one("aws:kms/key:Key", "keys-audit"))
            .Statement.filter((s) => s.Principal?.Service === "cloudtrail.amazonaws.com");
        for (const s of audit)
            assert.deepStrictEqual(s.Condition.StringEquals, { "aws:SourceAccount": "222222222222" });
    });

    it("creates no CIS filters with an existing trail whose log group is not in this account", async () => {
        const g = await observabilityGraph(configWith("dev", { "observability.trail.source": "existing" }), {});
        assert.strictEqual(g.ofType(FILTER).length, 0);
        assert.strictEqual(g.ofType(TRAIL).length, 0);
    });
});
