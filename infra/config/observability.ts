import * as pulumi from "@pulumi/pulumi";
import { defaultGuardDutyFeatures, featureOfferedIn, GUARDDUTY_FEATURES, GuardDutyFeature } from "./guardduty-features";
import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

export const FINDING_FREQUENCIES = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] as const;
export const TRAIL_SOURCES = ["stack", "existing"] as const;
export const DATA_EVENT_SCOPES = ["none", "writes", "all"] as const;
export const BUDGET_SCOPES = ["account", "stack"] as const;

export interface GuardDutySettings {
    /** false when the account already has a detector in the region (another stack's, or the organization's). */
    createDetector: boolean;
    features: GuardDutyFeature[];
    findingPublishingFrequency: (typeof FINDING_FREQUENCIES)[number];
    /** Findings at or above this severity (1-10; 4 = medium, 7 = high) reach the alert topic. */
    minimumSeverity: number;
}

export interface TrailSettings {
    /** "existing": a trail already records this account (an organization trail, or another stack's); the stack creates none. */
    source: (typeof TRAIL_SOURCES)[number];
    /** The trail's name (its ARN is known before it exists, for the key and bucket policies). */
    name: string;
    /** With an existing trail: the log group in this account and region that receives it (the CIS filters read it). */
    existingLogGroupName?: string;
    infrequentAccessAfterDays: number;
    archiveAfterDays: number;
    expireAfterDays: number;
    /** Data events for the assets bucket: none, writes only, or reads and writes. */
    assetsDataEvents: (typeof DATA_EVENT_SCOPES)[number];
}

export interface BudgetSettings {
    monthlyLimitUsd: number;
    /** "stack" counts only costs tagged Stack=<stack> (the tag must be activated for cost allocation). */
    scope: (typeof BUDGET_SCOPES)[number];
}

/** Alarm thresholds; each alarm's description says what it means. */
export interface AlarmThresholds {
    webErrorRatePercent: number;
    webP99LatencySeconds: number;
    apiErrorRatePercent: number;
    apiP99LatencyMs: number;
    edgeErrorRatePercent: number;
    /** Rate alarms ignore minutes with fewer requests than this (a single failure is not a 100 % rate). */
    minimumRequestsPerMinute: number;
    serviceCpuPercent: number;
    serviceMemoryPercent: number;
    databaseCpuPercent: number;
    databaseFreeableMemoryMiB: number;
    databaseReplicaLagMs: number;
    databaseConnections: number;
    cacheCpuPercent: number;
    cacheMemoryPercent: number;
    cacheEvictions: number;
    cacheReplicationLagSeconds: number;
    queueOldestMessageSeconds: number;
    functionErrorRatePercent: number;
    functionThrottles: number;
    /** Width of the anomaly band (standard deviations) for WAF blocked-request spikes. */
    wafAnomalyBandWidth: number;
}

export interface ObservabilityConfig {
    guardDuty: GuardDutySettings;
    trail: TrailSettings;
    /** An HTTPS endpoint (chat or paging webhook) that also receives every alert; a secret. */
    webhookUrl?: pulumi.Output<string>;
    budget: BudgetSettings;
    alarms: AlarmThresholds;
}

interface Range {
    min: number;
    max: number;
    default: number;
    integer?: boolean;
}

const THRESHOLDS: Record<keyof AlarmThresholds, Range> = {
    webErrorRatePercent: { min: 0.1, max: 100, default: 5 },
    webP99LatencySeconds: { min: 0.05, max: 60, default: 2 },
    apiErrorRatePercent: { min: 0.1, max: 100, default: 5 },
    apiP99LatencyMs: { min: 10, max: 30000, default: 2000, integer: true },
    edgeErrorRatePercent: { min: 0.1, max: 100, default: 5 },
    minimumRequestsPerMinute: { min: 1, max: 100000, default: 10, integer: true },
    serviceCpuPercent: { min: 1, max: 100, default: 85 },
    serviceMemoryPercent: { min: 1, max: 100, default: 85 },
    databaseCpuPercent: { min: 1, max: 100, default: 80 },
    databaseFreeableMemoryMiB: { min: 16, max: 1048576, default: 256, integer: true },
    databaseReplicaLagMs: { min: 10, max: 3600000, default: 2000, integer: true },
    databaseConnections: { min: 1, max: 100000, default: 500, integer: true },
    cacheCpuPercent: { min: 1, max: 100, default: 80 },
    cacheMemoryPercent: { min: 1, max: 100, default: 80 },
    cacheEvictions: { min: 0, max: 10000000, default: 100, integer: true },
    cacheReplicationLagSeconds: { min: 1, max: 3600, default: 30, integer: true },
    queueOldestMessageSeconds: { min: 60, max: 1209600, default: 900, integer: true },
    functionErrorRatePercent: { min: 0.1, max: 100, default: 5 },
    functionThrottles: { min: 0, max: 100000, default: 0, integer: true },
    wafAnomalyBandWidth: { min: 1, max: 10, default: 3 },
};

/** S3 moves objects to Standard-IA no earlier than 30 days and to Glacier 30 days after that. */
const MIN_INFREQUENT_ACCESS_DAYS = 30;
const MIN_DAYS_BETWEEN_TRANSITIONS = 30;
export const PROD_MIN_TRAIL_EXPIRY_DAYS = 365;
export const PROD_MAX_ALERT_SEVERITY = 7;

export function readObservabilityConfig(
    r: ConfigReader,
    stack: StackConfig,
    minimums: ProductionMinimums,
): ObservabilityConfig {
    r.section("observability", ["guardDuty", "trail", "alerting", "budget", "alarms"], { required: true });
    return {
        guardDuty: readGuardDuty(r, stack, minimums),
        trail: readTrail(r, stack, minimums),
        webhookUrl: r.section("observability.alerting", ["webhookUrl"])
            ? r.secret("observability.alerting.webhookUrl")
            : undefined,
        budget: readBudget(r),
        alarms: readThresholds(r),
    };
}

function readGuardDuty(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): GuardDutySettings {
    const key = "observability.guardDuty";
    r.section(key, ["createDetector", "features", "findingPublishingFrequency", "minimumSeverity"]);
    const features = r.stringList(`${key}.features`, {
        default: defaultGuardDutyFeatures(stack.region),
        unique: true,
        check: (item) =>
            !(GUARDDUTY_FEATURES as readonly string[]).includes(item)
                ? `is not a GuardDuty feature this program knows (${GUARDDUTY_FEATURES.join(", ")})`
                : featureOfferedIn(item as GuardDutyFeature, stack.region)
                  ? undefined
                  : `is not offered in ${stack.region}`,
        example: JSON.stringify(defaultGuardDutyFeatures(stack.region)),
    }) as GuardDutyFeature[];
    const createDetector = r.boolean(`${key}.createDetector`, { default: true });
    if (!createDetector && r.has(`${key}.features`)) {
        r.problem(
            `${key}.features`,
            features,
            "has no effect: the stack creates no detector (createDetector is false), so the account's detector keeps its own features",
            "remove features, or set createDetector to true if this stack owns the account's detector",
        );
    }
    const minimumSeverity = r.number(`${key}.minimumSeverity`, { min: 1, max: 10, default: 4 });
    minimums.require(
        `${key}.minimumSeverity`,
        minimumSeverity,
        minimumSeverity <= PROD_MAX_ALERT_SEVERITY,
        `high-severity findings (${PROD_MAX_ALERT_SEVERITY}+) always alert`,
        `set ${PROD_MAX_ALERT_SEVERITY} or lower`,
    );
    return {
        createDetector,
        features,
        findingPublishingFrequency: r.oneOf(`${key}.findingPublishingFrequency`, FINDING_FREQUENCIES, {
            default: "FIFTEEN_MINUTES",
        }),
        minimumSeverity,
    };
}

function readTrail(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): TrailSettings {
    const key = "observability.trail";
    r.section(key, [
        "source",
        "existingLogGroupName",
        "infrequentAccessAfterDays",
        "archiveAfterDays",
        "expireAfterDays",
        "assetsDataEvents",
    ]);
    const source = r.oneOf(`${key}.source`, TRAIL_SOURCES, { default: "stack" });
    const existingLogGroupName = r.optionalString(`${key}.existingLogGroupName`, {
        pattern: /^[\w\-/.#]{1,512}$/,
        describe: "a CloudWatch Logs group name",
        example: "aws-controltower/CloudTrailLogs",
    });
    if (existingLogGroupName && source !== "existing") {
        r.problem(
            `${key}.existingLogGroupName`,
            existingLogGroupName,
            "applies only when the trail source is existing (this stack creates its own trail and log group)",
            r.fixWith(`${key}.source`, "remove existingLogGroupName, or set the source to existing", "existing"),
        );
    }

    const infrequentAccessAfterDays = r.integer(`${key}.infrequentAccessAfterDays`, {
        min: MIN_INFREQUENT_ACCESS_DAYS,
        max: 3650,
        default: 30,
    });
    const archiveAfterDays = r.integer(`${key}.archiveAfterDays`, { min: 60, max: 3650, default: 90 });
    const expireAfterDays = r.integer(`${key}.expireAfterDays`, {
        min: 1,
        max: 36500,
        default: stack.isProduction ? 2555 : 365,
    });
    if (archiveAfterDays < infrequentAccessAfterDays + MIN_DAYS_BETWEEN_TRANSITIONS) {
        r.problem(
            `${key}.archiveAfterDays`,
            archiveAfterDays,
            `must be at least ${MIN_DAYS_BETWEEN_TRANSITIONS} days after infrequentAccessAfterDays (${infrequentAccessAfterDays}): S3 rejects the lifecycle otherwise`,
            r.fixWith(
                `${key}.archiveAfterDays`,
                `set ${infrequentAccessAfterDays + MIN_DAYS_BETWEEN_TRANSITIONS} or more`,
                String(infrequentAccessAfterDays + MIN_DAYS_BETWEEN_TRANSITIONS),
            ),
        );
    }
    if (expireAfterDays <= archiveAfterDays) {
        r.problem(
            `${key}.expireAfterDays`,
            expireAfterDays,
            `must be later than archiveAfterDays (${archiveAfterDays}): S3 rejects an expiration that is not after the last transition`,
            r.fixWith(
                `${key}.expireAfterDays`,
                `set more than ${archiveAfterDays}`,
                String(Math.max(PROD_MIN_TRAIL_EXPIRY_DAYS, archiveAfterDays + 1)),
            ),
        );
    }
    minimums.require(
        `${key}.expireAfterDays`,
        expireAfterDays,
        expireAfterDays >= PROD_MIN_TRAIL_EXPIRY_DAYS,
        `audit logs kept at least ${PROD_MIN_TRAIL_EXPIRY_DAYS} days`,
        `set ${PROD_MIN_TRAIL_EXPIRY_DAYS} or more`,
    );

    return {
        source,
        name: `${stack.namePrefix}-trail`,
        existingLogGroupName,
        infrequentAccessAfterDays,
        archiveAfterDays,
        expireAfterDays,
        assetsDataEvents: r.oneOf(`${key}.assetsDataEvents`, DATA_EVENT_SCOPES, {
            default: stack.isProduction ? "writes" : "none",
        }),
    };
}

function readBudget(r: ConfigReader): BudgetSettings {
    const key = "observability.budget";
    r.section(key, ["monthlyLimitUsd", "scope"], { required: true });
    return {
        monthlyLimitUsd: r.number(`${key}.monthlyLimitUsd`, { min: 1, max: 10000000, example: "2500" }),
        scope: r.oneOf(`${key}.scope`, BUDGET_SCOPES, { default: "account" }),
    };
}

function readThresholds(r: ConfigReader): AlarmThresholds {
    const key = "observability.alarms";
    const names = Object.keys(THRESHOLDS) as (keyof AlarmThresholds)[];
    r.section(key, names);
    return Object.fromEntries(
        names.map((name) => {
            const { integer, ...range } = THRESHOLDS[name];
            const read = integer ? r.integer.bind(r) : r.number.bind(r);
            return [name, read(`${key}.${name}`, range)];
        }),
    ) as unknown as AlarmThresholds;
}
