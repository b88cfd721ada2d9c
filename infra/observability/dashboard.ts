import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "./alerting";
import { TierTargets } from "./targets";

type Unwrapped = pulumi.Unwrap<TierTargets>;
/** A metric line of a dashboard graph: namespace, metric name, dimension pairs, then rendering options. */
type Line = (string | { stat?: string; label?: string; yAxis?: "left" | "right" })[];
type Widget = Record<string, unknown>;

/** The most alarms one alarm-status widget shows. */
const ALARM_WIDGET_LIMIT = 100;

/**
 * The dashboard's body: the alarms' states, then the golden signals (traffic, errors, latency,
 * saturation) of every tier that was given, in the order a request crosses them. Widgets on
 * us-east-1 metrics name that region, so one dashboard shows both regions.
 */
export function dashboardBody(
    targets: TierTargets,
    region: string,
    alarmArns: pulumi.Input<string>[],
): pulumi.Output<string> {
    return pulumi.output({ targets, alarmArns }).apply(({ targets: t, alarmArns: arns }) => {
        const widgets: Widget[] = [];
        if (arns.length > 0) {
            widgets.push({
                type: "alarm",
                width: 24,
                height: 4,
                properties: { title: "Alarms", alarms: arns.slice(0, ALARM_WIDGET_LIMIT) },
            });
        }
        const sections = tierSections(t as Unwrapped, region);
        if (sections.length === 0)
            widgets.push(text("No tier is wired into the observability tier yet (see infra/platform.ts)."));
        for (const [title, graphs] of sections) widgets.push(text(`## ${title}`), ...graphs);
        return JSON.stringify({ widgets });
    });
}

function tierSections(t: Unwrapped, region: string): [string, Widget[]][] {
    const sections: [string, Widget[]][] = [];
    if (t.edge) sections.push(["Edge: CloudFront and WAF", edgeGraphs(t.edge, region)]);
    if (t.web) {
        const lb = ["LoadBalancer", t.web.loadBalancerArnSuffix];
        const tg = [...lb, "TargetGroup", t.web.targetGroupArnSuffix];
        sections.push([
            "Web: public load balancer and web servers",
            [
                graph("Requests and 5xx", region, [
                    m("AWS/ApplicationELB", "RequestCount", lb, "Sum"),
                    m("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum", "right"),
                    m("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, "Sum", "right"),
                ]),
                graph("Response time (s)", region, [
                    m("AWS/ApplicationELB", "TargetResponseTime", tg, "p50"),
                    m("AWS/ApplicationELB", "TargetResponseTime", tg, "p99"),
                ]),
                graph("Capacity", region, [
                    m("AWS/ApplicationELB", "HealthyHostCount", tg, "Minimum"),
                    m("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum"),
                    m(
                        "AWS/AutoScaling",
                        "GroupInServiceInstances",
                        ["AutoScalingGroupName", t.web.autoScalingGroupName],
                        "Minimum",
                    ),
                ]),
            ],
        ]);
    }
    if (t.api) {
        const api = ["ApiId", t.api.apiId, "Stage", t.api.stage];
        sections.push([
            "API: HTTP API",
            [
                graph("Requests and errors", region, [
                    m("AWS/ApiGateway", "Count", api, "Sum"),
                    m("AWS/ApiGateway", "4xx", api, "Sum", "right"),
                    m("AWS/ApiGateway", "5xx", api, "Sum", "right"),
                ]),
                graph("Latency (ms)", region, [
                    m("AWS/ApiGateway", "Latency", api, "p50"),
                    m("AWS/ApiGateway", "Latency", api, "p99"),
                    m("AWS/ApiGateway", "IntegrationLatency", api, "p99"),
                ]),
            ],
        ]);
    }
    if (t.services) {
        const { clusterName, services } = t.services;
        const per = (ns: string, metric: string, stat: string) =>
            services.map((s) =>
                m(ns, metric, ["ClusterName", clusterName, "ServiceName", s.serviceName], stat, "left", s.name),
            );
        sections.push([
            "Services: ECS on Fargate",
            [
                graph("CPU (%)", region, per("AWS/ECS", "CPUUtilization", "Average")),
                graph("Memory (%)", region, per("AWS/ECS", "MemoryUtilization", "Average")),
                graph("Running tasks", region, per("ECS/ContainerInsights", "RunningTaskCount", "Minimum")),
            ],
        ]);
    }
    const { cache, database, queues, functions } = t;
    if (cache) {
        const per = (metric: string, stat: string) =>
            cache.cacheClusterIds.map((id) => m("AWS/ElastiCache", metric, ["CacheClusterId", id], stat, "left", id));
        sections.push([
            "Cache: ElastiCache",
            [
                graph("Engine CPU (%)", region, per("EngineCPUUtilization", "Average")),
                graph("Memory used (%)", region, per("DatabaseMemoryUsagePercentage", "Maximum")),
                graph("Hits, misses, evictions", region, [
                    ...per("CacheHits", "Sum"),
                    ...per("CacheMisses", "Sum"),
                    ...per("Evictions", "Sum"),
                ]),
            ],
        ]);
    }
    if (database) {
        const role = (r: string) => ["DBClusterIdentifier", database.clusterIdentifier, "Role", r];
        const roles = database.instanceIdentifiers.length > 1 ? ["WRITER", "READER"] : ["WRITER"];
        const byRole = (metric: string, stat: string) =>
            roles.map((r) => m("AWS/RDS", metric, role(r), stat, "left", r.toLowerCase()));
        sections.push([
            "Database: Aurora PostgreSQL",
            [
                graph("CPU (%)", region, byRole("CPUUtilization", "Average")),
                graph("Connections", region, byRole("DatabaseConnections", "Maximum")),
                graph("Freeable memory (bytes)", region, byRole("FreeableMemory", "Minimum")),
                graph("Latency (s) and replica lag (ms)", region, [
                    m("AWS/RDS", "ReadLatency", role("WRITER"), "Average"),
                    m("AWS/RDS", "WriteLatency", role("WRITER"), "Average"),
                    ...(roles.includes("READER")
                        ? [m("AWS/RDS", "AuroraReplicaLag", role("READER"), "Maximum", "right")]
                        : []),
                ]),
            ],
        ]);
    }
    if (queues?.length) {
        const per = (metric: string, stat: string, dlq = false) =>
            queues.map((q) =>
                m(
                    "AWS/SQS",
                    metric,
                    ["QueueName", dlq ? q.deadLetterQueueName : q.queueName],
                    stat,
                    "left",
                    dlq ? `${q.name} DLQ` : q.name,
                ),
            );
        sections.push([
            "Queues: SQS",
            [
                graph("Messages waiting", region, per("ApproximateNumberOfMessagesVisible", "Maximum")),
                graph("Oldest message (s)", region, per("ApproximateAgeOfOldestMessage", "Maximum")),
                graph("Dead-letter queues", region, per("ApproximateNumberOfMessagesVisible", "Maximum", true)),
            ],
        ]);
    }
    if (functions?.length) {
        const per = (metric: string, stat: string) =>
            functions.map((f) =>
                m(
                    "AWS/Lambda",
                    metric,
                    ["FunctionName", f.functionName],
                    stat,
                    "left",
                    `${f.name} ${metric.toLowerCase()}`,
                ),
            );
        sections.push([
            "Functions: Lambda",
            [
                graph("Invocations", region, per("Invocations", "Sum")),
                graph("Errors and throttles", region, [...per("Errors", "Sum"), ...per("Throttles", "Sum")]),
                graph("Duration p99 (ms)", region, per("Duration", "p99")),
            ],
        ]);
    }
    return sections;
}

function edgeGraphs(edge: NonNullable<Unwrapped["edge"]>, region: string): Widget[] {
    const graphs: Widget[] = [];
    if (edge.distributionId) {
        const cf = ["DistributionId", edge.distributionId, "Region", "Global"];
        graphs.push(
            graph("CloudFront requests and error rates (%)", EDGE_REGION, [
                m("AWS/CloudFront", "Requests", cf, "Sum"),
                m("AWS/CloudFront", "4xxErrorRate", cf, "Average", "right"),
                m("AWS/CloudFront", "5xxErrorRate", cf, "Average", "right"),
            ]),
        );
    }
    for (const acl of edge.webAcls ?? []) {
        const cloudFront = acl.scope === "CLOUDFRONT";
        const dims = ["WebACL", acl.metricName, "Rule", "ALL", ...(cloudFront ? [] : ["Region", region])];
        graphs.push(
            graph(`WAF ${acl.name}: allowed and blocked`, cloudFront ? EDGE_REGION : region, [
                m("AWS/WAFV2", "AllowedRequests", dims, "Sum"),
                m("AWS/WAFV2", "BlockedRequests", dims, "Sum", "right"),
            ]),
        );
    }
    if (edge.healthCheckId) {
        graphs.push(
            graph("Site health check (1 = healthy)", EDGE_REGION, [
                m("AWS/Route53", "HealthCheckStatus", ["HealthCheckId", edge.healthCheckId], "Minimum"),
            ]),
        );
    }
    return graphs;
}

function m(
    namespace: string,
    metric: string,
    dimensions: string[],
    stat: string,
    yAxis: "left" | "right" = "left",
    label?: string,
): Line {
    return [namespace, metric, ...dimensions, { stat, yAxis, ...(label ? { label } : {}) }];
}

function graph(title: string, region: string, metrics: Line[]): Widget {
    return {
        type: "metric",
        width: 8,
        height: 6,
        properties: { title, region, metrics, view: "timeSeries", period: 60 },
    };
}

function text(markdown: string): Widget {
    return { type: "text", width: 24, height: 1, properties: { markdown } };
}
