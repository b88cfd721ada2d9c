import type { PlanResource } from "../../graph";
import { fixed, Outcome, PricingRule, RuleContext, usage } from "../model";
import { serviceTasks, taskSize } from "./compute";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** CloudTrail data events per upload: the upload and the thumbnails written for it. */
const WRITES_PER_UPLOAD = 3;
/** Months of logs kept when a group never expires them (the estimate's horizon). */
const MAX_RETAINED_MONTHS = 12;
const DAYS_PER_MONTH = 365 / 12;

/** Metrics an alarm is billed for: each metric it reads, and two more per anomaly detection band. */
function alarmMetrics(alarm: PlanResource): number {
    type Query = { metric?: unknown; expression?: string };
    const queries = (alarm.inputs.metricQueries ?? []) as Query[];
    if (queries.length === 0) return 1;
    const bands = queries.filter((q) => q.expression?.startsWith("ANOMALY_DETECTION_BAND")).length;
    return queries.filter((q) => q.metric !== undefined).length + 2 * bands;
}

/** vCPUs GuardDuty Runtime Monitoring watches: Fargate tasks and EC2 instances at their minimum counts. */
function monitoredVcpus(ctx: RuleContext): number | string {
    let vcpus = 0;
    for (const service of ctx.links.ofType("aws:ecs/service:Service")) {
        const task = ctx.links.source(service, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition");
        if (task) vcpus += serviceTasks(service, ctx) * taskSize(task).vcpu;
    }
    for (const group of ctx.links.ofType("aws:autoscaling/group:Group")) {
        const template = ctx.links.source(group, "launchTemplate", "aws:ec2/launchTemplate:LaunchTemplate");
        const type = String(template?.inputs.instanceType);
        const perInstance = ctx.prices.vcpus(type);
        if (perInstance === undefined) return `the vCPUs of ${type} (add it to instanceVcpus in the price file)`;
        vcpus += Number(group.inputs.minSize ?? 0) * perInstance;
    }
    return vcpus;
}

/** vCPUs of the provisioned Aurora instances RDS Protection watches. */
function auroraVcpus(ctx: RuleContext): number | string {
    let vcpus = 0;
    for (const instance of ctx.links.ofType("aws:rds/clusterInstance:ClusterInstance")) {
        const instanceClass = String(instance.inputs.instanceClass);
        if (instanceClass === "db.serverless")
            return "Aurora Serverless v2 capacity (billed per ACU, not in the price file)";
        const perInstance = ctx.prices.vcpus(instanceClass);
        if (perInstance === undefined)
            return `the vCPUs of ${instanceClass} (add it to instanceVcpus in the price file)`;
        vcpus += perInstance;
    }
    return vcpus;
}

const featureRules: Record<string, (ctx: RuleContext) => Outcome[]> = {
    RUNTIME_MONITORING: (ctx) => {
        const vcpus = monitoredVcpus(ctx);
        if (typeof vcpus === "string") return [{ unpriced: vcpus }];
        return [
            fixed(`${vcpus} vCPUs of Fargate tasks and EC2 instances (minimum counts)`, vcpus, "guardduty.runtimeVcpu"),
        ];
    },
    RDS_LOGIN_EVENTS: (ctx) => {
        const vcpus = auroraVcpus(ctx);
        if (typeof vcpus === "string") return [{ unpriced: vcpus }];
        return [fixed(`${vcpus} vCPUs of Aurora instances`, vcpus, "guardduty.rdsVcpu")];
    },
    S3_DATA_EVENTS: (ctx) => {
        const { requestsPerMonth, cacheHitRatio, uploadsPerMonth } = ctx.usage;
        const events = requestsPerMonth * (1 - cacheHitRatio) + uploadsPerMonth * WRITES_PER_UPLOAD;
        return [
            usage(
                `${Math.round(events)} S3 data events (cache misses read S3, at most; uploads)`,
                events / 1e6,
                "guardduty.s3DataEvents",
            ),
        ];
    },
    LAMBDA_NETWORK_LOGS: () => [
        { free: "analysed with the flow and DNS logs the detector is billed for (securityLogsGb)" },
    ],
    EBS_MALWARE_PROTECTION: () => [{ unpriced: "scans run only when a finding triggers one; billed per GB scanned" }],
};

export const observabilityRules: Record<string, PricingRule> = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": (alarm) => {
        const metrics = alarmMetrics(alarm);
        const periods = [
            alarm.inputs.period,
            ...((alarm.inputs.metricQueries ?? []) as { metric?: { period?: number } }[]).map((q) => q.metric?.period),
        ];
        const highResolution = periods.some((p) => typeof p === "number" && p < 60);
        return [
            fixed(
                `${metrics} metric(s)${highResolution ? ", high resolution" : ""}`,
                metrics,
                highResolution ? "cloudwatch.alarmMetricHighResolution" : "cloudwatch.alarmMetric",
            ),
        ];
    },

    "aws:cloudwatch/dashboard:Dashboard": () => [fixed("dashboard", 1, "cloudwatch.dashboard")],

    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (filter) => {
        const metrics =
            ((filter.inputs.metricTransformation ? [filter.inputs.metricTransformation] : []) as unknown[]).length || 1;
        return [fixed("custom metric it publishes", metrics, "cloudwatch.customMetric")];
    },

    [LOG_GROUP]: (group, ctx) => {
        const ingested = ctx.usage.logIngestionGb / ctx.count(LOG_GROUP);
        const retentionDays = Number(group.inputs.retentionInDays ?? 0);
        const months =
            retentionDays > 0 ? Math.min(retentionDays / DAYS_PER_MONTH, MAX_RETAINED_MONTHS) : MAX_RETAINED_MONTHS;
        return [
            usage("ingestion (logIngestionGb, shared among log groups)", ingested, "cloudwatch.logsIngestion"),
            usage(`storage of ${months.toFixed(1)} month(s) of logs`, ingested * months, "cloudwatch.logsStorage"),
        ];
    },

    "aws:cloudtrail/trail:Trail": (trail, ctx): Outcome[] => {
        type Selector = { fieldSelectors?: { field?: string; equals?: string[] }[] };
        const selectors = (trail.inputs.advancedEventSelectors ?? []) as Selector[];
        const recordsData = selectors.some((s) =>
            s.fieldSelectors?.some((f) => f.field === "eventCategory" && f.equals?.includes("Data")),
        );
        if (!recordsData) return [{ free: "management events only: the first copy of management events is free" }];
        const events = ctx.usage.uploadsPerMonth * WRITES_PER_UPLOAD;
        return [
            usage(`${events} S3 data events (uploads and their thumbnails)`, events / 1e5, "cloudtrail.dataEvents"),
        ];
    },

    "aws:guardduty/detector:Detector": (_detector, ctx) => [
        usage(
            "CloudTrail management events analysed",
            ctx.usage.managementEventsPerMonth / 1e6,
            "guardduty.managementEvents",
        ),
        usage("VPC flow and DNS logs analysed (securityLogsGb)", ctx.usage.securityLogsGb, "guardduty.flowAndDnsLogs"),
    ],

    "aws:guardduty/detectorFeature:DetectorFeature": (feature, ctx): Outcome[] => {
        if (feature.inputs.status !== "ENABLED") return [{ free: "disabled" }];
        const rule = featureRules[String(feature.inputs.name)];
        return rule ? rule(ctx) : [{ unpriced: `protection plan ${String(feature.inputs.name)}` }];
    },
};
