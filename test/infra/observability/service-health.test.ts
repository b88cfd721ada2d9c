import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { ALARM_LIMITS } from "../../../infra/observability/alarm";
import { EvaluationError } from "../../../infra/offline/evaluate";
import { PlanResource } from "../../../infra/offline/graph";
import { configWith, Graph, graphOf, STACKS } from "../harness";
import { observabilityGraph, syntheticTargets } from "./program";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
type Query = {
    id: string;
    expression?: string;
    returnData?: boolean;
    metric?: {
        namespace: string;
        metricName: string;
        dimensions: Record<string, string>;
        stat: string;
        period: number;
    };
};

/** The region CloudWatch keeps an alarm's metrics in: us-east-1 for CloudFront, Route 53 and CLOUDFRONT-scope WAF. */
function metricRegion(alarm: PlanResource, stackRegion: string): string {
    const queries = (alarm.inputs.metricQueries ?? []) as Query[];
    const metrics =
        queries.length > 0
            ? queries.filter((q) => q.metric).map((q) => q.metric!)
            : [
                  {
                      namespace: alarm.inputs.namespace as string,
                      dimensions: (alarm.inputs.dimensions ?? {}) as Record<string, string>,
                  },
              ];
    const regions = new Set(
        metrics.map((m) => {
            if (m.namespace === "AWS/CloudFront" || m.namespace === "AWS/Route53") return "us-east-1";
            if (m.namespace === "AWS/WAFV2") return m.dimensions.Region ?? "us-east-1";
            return stackRegion;
        }),
    );
    assert.strictEqual(regions.size, 1, `${alarm.name} mixes metrics of several regions`);
    return [...regions][0];
}

/** Assertions every alarm of the graph must pass, whatever tier it watches. */
function checkEveryAlarm(g: Graph): void {
    const alarms = g.ofType(ALARM);
    assert.ok(alarms.length > 0);
    for (const alarm of alarms) {
        const name = alarm.inputs.name as string;
        assert.strictEqual(alarm.inputs.actionsEnabled, true, name);
        // An alarm's actions must be topics of its own region (CloudWatch rejects others).
        const [topic, ...more] = g.sources(alarm, "alarmActions");
        assert.ok(topic && more.length === 0 && topic.type === TOPIC, `${name} has no alarm action on a topic`);
        assert.strictEqual(topic.region, alarm.region, `${name} notifies a topic of another region`);
        // Recovery goes to the same topic, except for alarms on one-off events (CIS filters).
        const recovery = g.sources(alarm, "okActions");
        assert.deepStrictEqual(recovery, name.includes("-cis-") ? [] : [topic], `${name} okActions`);
        assert.strictEqual(alarm.region, metricRegion(alarm, "af-south-1"), `${name} is not in its metrics' region`);
        assert.ok(name.length <= ALARM_LIMITS.nameLength);
        const description = alarm.inputs.alarmDescription as string;
        assert.ok(
            description.length > 80 && description.length <= ALARM_LIMITS.descriptionLength,
            `${name} description: ${description.length} chars`,
        );
        assert.match(description, /Do: /, `${name} tells the on-call what to do`);
        assert.ok(
            ["notBreaching", "breaching"].includes(alarm.inputs.treatMissingData as string),
            `${name} treats missing data explicitly`,
        );

        const queries = (alarm.inputs.metricQueries ?? []) as Query[];
        if (queries.length === 0) {
            assert.ok(
                alarm.inputs.metricName &&
                    alarm.inputs.namespace &&
                    (alarm.inputs.statistic || alarm.inputs.extendedStatistic),
                name,
            );
            continue;
        }
        assert.ok(
            !alarm.inputs.metricName && !alarm.inputs.period,
            `${name}: a metric-math alarm takes no top-level metric`,
        );
        const metrics = queries.filter((q) => q.metric);
        const expressions = queries.filter((q) => q.expression);
        assert.ok(metrics.length <= ALARM_LIMITS.metrics && expressions.length <= ALARM_LIMITS.expressions, name);
        const ids = new Set(queries.map((q) => q.id));
        assert.strictEqual(ids.size, queries.length, `${name}: query ids are unique`);
        for (const q of queries)
            assert.match(q.id, /^[a-z][a-zA-Z0-9_]*$/, `${name}: ${q.id} is not a valid metric-math id`);
        for (const e of expressions) {
            for (const ref of e.expression!.match(/\b[a-z][a-zA-Z0-9_]*\b(?!\()/g) ?? []) {
                if (!["ALL"].includes(ref)) assert.ok(ids.has(ref), `${name}: ${e.expression} refers to ${ref}`);
            }
        }
        if (alarm.inputs.thresholdMetricId) {
            const band = queries.find((q) => q.id === alarm.inputs.thresholdMetricId);
            assert.match(band?.expression ?? "", /^ANOMALY_DETECTION_BAND\(/, name);
            assert.strictEqual(alarm.inputs.threshold, undefined, `${name}: an anomaly alarm has no static threshold`);
        } else {
            assert.strictEqual(
                queries.filter((q) => q.returnData).length,
                1,
                `${name}: exactly one query returns data`,
            );
            assert.strictEqual(typeof alarm.inputs.threshold, "number", name);
        }
    }
}

for (const stack of STACKS) {
    const prod = stack === "prod";
    const targets = syntheticTargets(stack);

    describe(`service health: alarms and dashboard of every tier, from synthetic tier inputs (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await observabilityGraph(configWith(stack, {}), { targets });
        });
        const alarm = (suffix: string) => {
            const found = g.ofType(ALARM).find((a) => a.inputs.name === `shop-${stack}-${suffix}`);
            assert.ok(found, `no alarm ${suffix}`);
            return found;
        };
        const queries = (a: PlanResource) => a.inputs.metricQueries as Query[];
        const thresholds = loadConfig(configWith(stack, {})).observability.alarms;

        it("creates exactly the alarms each tier needs", () => {
            const names = g
                .ofType(ALARM)
                .filter((a) => !String(a.inputs.name).includes("-cis-"))
                .map((a) => String(a.inputs.name).slice(`shop-${stack}-`.length))
                .sort();
            const expected = [
                "edge-5xx-rate",
                "waf-cloudfront-blocked-spike",
                "waf-alb-blocked-spike",
                "site-health-check",
                "web-5xx-rate",
                "web-p99-latency",
                "web-unhealthy-hosts",
                "web-in-service-instances",
                "api-5xx-rate",
                "api-p99-latency",
                ...["catalog", "orders", "users", "payments"].flatMap((s) => [
                    `svc-${s}-cpu`,
                    `svc-${s}-memory`,
                    `svc-${s}-running-tasks`,
                ]),
                "cache-engine-cpu",
                "cache-memory",
                "cache-evictions",
                ...(prod ? ["cache-replication-lag"] : []),
                "db-writer-cpu",
                "db-writer-freeable-memory",
                "db-connections",
                ...(prod ? ["db-reader-cpu", "db-reader-freeable-memory", "db-replica-lag"] : []),
                ...["orders", "notifications", "images", "carts"].flatMap((q) => [
                    `queue-${q}-oldest-message`,
                    `queue-${q}-dlq-messages`,
                ]),
                ...["order-processor", "notifier", "thumbnailer", "dlq-redrive", "cart-abandonment"].flatMap((f) => [
                    `fn-${f}-error-rate`,
                    `fn-${f}-throttles`,
                ]),
            ].sort();
            assert.deepStrictEqual(names, expected);
            for (const a of g.ofType(ALARM).filter((x) => !String(x.inputs.name).includes("-cis-"))) {
                assert.strictEqual(g.find(a.parent)?.type, "shop:observability:ServiceHealth");
            }
        });

        it("gives every alarm an action on its region's topic, a runbook and a valid condition", () =>
            checkEveryAlarm(g));

        it("alarms on CloudFront, CLOUDFRONT-scope WAF and Route 53 in us-east-1 and on everything else in the stack's region", () => {
            for (const suffix of ["edge-5xx-rate", "waf-cloudfront-blocked-spike", "site-health-check"])
                assert.strictEqual(alarm(suffix).region, "us-east-1", suffix);
            for (const suffix of [
                "waf-alb-blocked-spike",
                "web-5xx-rate",
                "db-connections",
                "queue-orders-dlq-messages",
            ])
                assert.strictEqual(alarm(suffix).region, "af-south-1", suffix);
            const regionalWaf = queries(alarm("waf-alb-blocked-spike")).find((q) => q.metric)!.metric!;
            assert.deepStrictEqual(regionalWaf.dimensions, {
                WebACL: `shop-${stack}-alb`,
                Rule: "ALL",
                Region: "af-south-1",
            });
            const edgeWaf = queries(alarm("waf-cloudfront-blocked-spike")).find((q) => q.metric)!.metric!;
            assert.deepStrictEqual(edgeWaf.dimensions, { WebACL: `shop-${stack}-edge`, Rule: "ALL" });
        });

        it("computes the load balancer's 5xx rate from ELB and target 5xx over requests, ignoring quiet minutes", () => {
            const q = queries(alarm("web-5xx-rate"));
            const byId = Object.fromEntries(q.map((x) => [x.id, x]));
            assert.deepStrictEqual(byId.elb5xx.metric!.dimensions, {
                LoadBalancer: targets.web!.loadBalancerArnSuffix,
            });
            assert.deepStrictEqual(byId.target5xx.metric!.dimensions, {
                LoadBalancer: targets.web!.loadBalancerArnSuffix,
                TargetGroup: targets.web!.targetGroupArnSuffix,
            });
            assert.strictEqual(byId.requests.metric!.metricName, "RequestCount");
            assert.strictEqual(
                byId.rate.expression,
                `IF(requests >= ${thresholds.minimumRequestsPerMinute}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
            );
            assert.strictEqual(alarm("web-5xx-rate").inputs.threshold, thresholds.webErrorRatePercent);
            assert.strictEqual(alarm("web-5xx-rate").inputs.threshold, prod ? 2 : 5, "the stack file's threshold");
        });

        // 5xxErrorRate is already a percentage: dividing it by the request count again would need
        // thousands of failing requests a minute before the alarm could fire.
        it("alarms on CloudFront's own 5xx rate (a percentage), ignoring quiet minutes", () => {
            const byId = Object.fromEntries(queries(alarm("edge-5xx-rate")).map((x) => [x.id, x]));
            assert.deepStrictEqual(
                [byId.errors.metric!.metricName, byId.errors.metric!.stat],
                ["5xxErrorRate", "Average"],
            );
            assert.deepStrictEqual([byId.requests.metric!.metricName, byId.requests.metric!.stat], ["Requests", "Sum"]);
            assert.strictEqual(
                byId.rate.expression,
                `IF(requests >= ${thresholds.minimumRequestsPerMinute}, FILL(errors, 0), 0)`,
            );
            assert.strictEqual(alarm("edge-5xx-rate").inputs.threshold, thresholds.edgeErrorRatePercent);
        });

        it("watches p99 latency, unhealthy hosts and in-service capacity of the web tier", () => {
            const p99 = alarm("web-p99-latency").inputs;
            assert.deepStrictEqual(
                [p99.metricName, p99.extendedStatistic, p99.evaluateLowSampleCountPercentiles],
                ["TargetResponseTime", "p99", "ignore"],
            );
            assert.strictEqual(alarm("web-unhealthy-hosts").inputs.metricName, "UnHealthyHostCount");
            const inService = alarm("web-in-service-instances").inputs;
            assert.deepStrictEqual(
                [inService.metricName, inService.comparisonOperator, inService.threshold, inService.treatMissingData],
                ["GroupInServiceInstances", "LessThanThreshold", prod ? 3 : 1, "breaching"],
            );
            assert.deepStrictEqual(inService.dimensions, { AutoScalingGroupName: `shop-${stack}-web` });
        });

        it("watches each ECS service's CPU, memory and running tasks against its minimum", () => {
            for (const service of targets.services!.services) {
                const dims = { ClusterName: `shop-${stack}`, ServiceName: service.serviceName };
                assert.deepStrictEqual(alarm(`svc-${service.name}-cpu`).inputs.dimensions, dims);
                assert.strictEqual(alarm(`svc-${service.name}-memory`).inputs.metricName, "MemoryUtilization");
                const tasks = alarm(`svc-${service.name}-running-tasks`).inputs;
                assert.deepStrictEqual(
                    [tasks.namespace, tasks.metricName, tasks.threshold],
                    ["ECS/ContainerInsights", "RunningTaskCount", service.minTasks],
                );
            }
        });

        it("watches Aurora by role, so readers added by auto scaling are covered", () => {
            const cpu = alarm("db-writer-cpu").inputs;
            assert.deepStrictEqual(cpu.dimensions, { DBClusterIdentifier: `shop-${stack}-db`, Role: "WRITER" });
            assert.strictEqual(
                alarm("db-writer-freeable-memory").inputs.threshold,
                thresholds.databaseFreeableMemoryMiB * 1024 * 1024,
            );
            assert.strictEqual(alarm("db-connections").inputs.threshold, prod ? 800 : 500);
            if (prod) {
                assert.deepStrictEqual(alarm("db-replica-lag").inputs.dimensions, {
                    DBClusterIdentifier: `shop-${stack}-db`,
                    Role: "READER",
                });
                assert.strictEqual(alarm("db-replica-lag").inputs.metricName, "AuroraReplicaLag");
            }
        });

        it("watches the cache over every node (roles move on failover) with the engine CPU", () => {
            const cpu = queries(alarm("cache-engine-cpu"));
            const nodes = targets.cache!.cacheClusterIds;
            assert.deepStrictEqual(
                cpu.filter((q) => q.metric).map((q) => [q.metric!.metricName, q.metric!.dimensions.CacheClusterId]),
                nodes.map((id) => ["EngineCPUUtilization", id]),
            );
            assert.strictEqual(
                cpu.find((q) => q.returnData)!.expression,
                `MAX([${nodes.map((_, i) => `n${i}`).join(", ")}])`,
            );
            assert.match(queries(alarm("cache-evictions")).find((q) => q.returnData)!.expression!, /^SUM\(/);
        });

        it("watches each queue's oldest message (with a per-queue override) and each dead-letter queue", () => {
            assert.strictEqual(alarm("queue-orders-oldest-message").inputs.threshold, 300);
            assert.strictEqual(
                alarm("queue-carts-oldest-message").inputs.threshold,
                thresholds.queueOldestMessageSeconds,
            );
            const dlq = alarm("queue-orders-dlq-messages").inputs;
            assert.deepStrictEqual(
                [dlq.metricName, dlq.dimensions, dlq.comparisonOperator, dlq.threshold],
                [
                    "ApproximateNumberOfMessagesVisible",
                    { QueueName: `shop-${stack}-orders-dlq` },
                    "GreaterThanThreshold",
                    0,
                ],
            );
        });

        it("watches each function's error rate and throttles, and the API's 5xx rate and latency", () => {
            const errors = queries(alarm("fn-order-processor-error-rate"));
            assert.deepStrictEqual(
                errors.filter((q) => q.metric).map((q) => q.metric!.metricName),
                ["Errors", "Invocations"],
            );
            assert.strictEqual(alarm("fn-notifier-throttles").inputs.metricName, "Throttles");
            const api = queries(alarm("api-5xx-rate"));
            assert.deepStrictEqual(api.find((q) => q.id === "errors")!.metric!.dimensions, {
                ApiId: "a1b2c3d4e5",
                Stage: "$default",
            });
            assert.strictEqual(alarm("api-p99-latency").inputs.extendedStatistic, "p99");
        });

        it("detects WAF blocked-request spikes with an anomaly band instead of a fixed count", () => {
            const waf = alarm("waf-cloudfront-blocked-spike").inputs;
            assert.strictEqual(waf.comparisonOperator, "GreaterThanUpperThreshold");
            assert.strictEqual(
                (waf.metricQueries as Query[]).find((q) => q.id === "band")!.expression,
                `ANOMALY_DETECTION_BAND(blocked, ${thresholds.wafAnomalyBandWidth})`,
            );
        });

        it("builds one dashboard with the golden signals of every tier, edge widgets in us-east-1", () => {
            const dashboard = g.one("aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs.dashboardName, `shop-${stack}-overview`);
            const body = JSON.parse(dashboard.inputs.dashboardBody as string) as {
                widgets: { type: string; properties: Record<string, any> }[];
            };
            const headings = body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown);
            assert.deepStrictEqual(
                headings.map((h: string) => h.split(":")[0]),
                ["## Edge", "## Web", "## API", "## Services", "## Cache", "## Database", "## Queues", "## Functions"],
            );
            const graphs = body.widgets.filter((w) => w.type === "metric");
            const cloudFront = graphs.find((w) => w.properties.metrics[0][0] === "AWS/CloudFront");
            assert.strictEqual(cloudFront?.properties.region, "us-east-1");
            assert.ok(
                graphs
                    .filter((w) => w.properties.metrics[0][0] === "AWS/ECS")
                    .every((w) => w.properties.metrics.length === 4),
                "one line per service",
            );
            const statusWidget = body.widgets.find((w) => w.type === "alarm");
            const health = g.one("shop:observability:ServiceHealth");
            const regional = g.ofType(ALARM).filter((a) => a.parent === health.urn && a.region === "af-south-1");
            assert.strictEqual(statusWidget?.properties.alarms.length, regional.length);
            assert.ok(
                statusWidget?.properties.alarms.every((arn: string) =>
                    arn.startsWith("arn:aws:cloudwatch:af-south-1:"),
                ),
            );
            assert.match(
                g.plan.outputs.dashboardUrl as string,
                new RegExp(`^https://af-south-1\\.console\\.aws\\.amazon\\.com/cloudwatch/.*shop-${stack}-overview$`),
            );
        });
    });

    describe(`service health in the platform (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });

        it("gives every alarm of the platform an action on its region's topic and a runbook", () => checkEveryAlarm(g));

        it("builds the dashboard even before any tier is wired", () => {
            const body = JSON.parse(g.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
            assert.ok(body.widgets.length >= 1);
        });
    });
}

describe("service health rejects inputs it cannot alarm on", () => {
    const failure = async (targets: Parameters<typeof observabilityGraph>[1]): Promise<string> => {
        const err = await observabilityGraph(configWith("dev", {}), targets).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof EvaluationError, `expected the evaluation to fail, got ${String(err)}`);
        return err.message;
    };
    const dev = syntheticTargets("dev");

    it("edge alarms without a us-east-1 topic", async () =>
        assert.match(
            await failure({ targets: { edge: dev.edge }, withoutEdgeTopic: true }),
            /us-east-1.*edgeAlertTopicArn/,
        ));
    it("a regional WAF alone needs no us-east-1 topic", async () => {
        const g = await observabilityGraph(configWith("dev", {}), {
            targets: { edge: { webAcls: [dev.edge!.webAcls![1]] } },
            withoutEdgeTopic: true,
        });
        assert.strictEqual(g.ofType(ALARM).filter((a) => a.region === "us-east-1").length, 0);
    });
    it("a cache of more nodes than one alarm can read", async () =>
        assert.match(
            await failure({
                targets: {
                    cache: { replicationGroupId: "c", cacheClusterIds: Array.from({ length: 11 }, (_, i) => `c-${i}`) },
                },
            }),
            /cacheClusterIds must list 1 to 10/,
        ));
    it("two services with the same name", async () =>
        assert.match(
            await failure({
                targets: {
                    services: {
                        clusterName: "c",
                        services: [
                            { name: "orders", serviceName: "a", minTasks: 1 },
                            { name: "orders", serviceName: "b", minTasks: 1 },
                        ],
                    },
                },
            }),
            /services orders is listed twice/,
        ));
    it("a name that cannot be part of an alarm name", async () =>
        assert.match(
            await failure({
                targets: { functions: [{ name: "Order Processor", functionName: "f" }] },
            }),
            /lower-case letters/,
        ));
    it("a service whose minimum is zero", async () =>
        assert.match(
            await failure({
                targets: {
                    services: { clusterName: "c", services: [{ name: "orders", serviceName: "a", minTasks: 0 }] },
                },
            }),
            /minTasks must be 1 or more/,
        ));
});
