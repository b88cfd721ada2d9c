import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;
type QueryMetric = aws.types.input.cloudwatch.MetricAlarmMetricQueryMetric;

/** What defines an alarm's condition; names, actions and regions are set by createAlarm. */
export type AlarmCondition = Omit<
    aws.cloudwatch.MetricAlarmArgs,
    | "name"
    | "alarmDescription"
    | "actionsEnabled"
    | "alarmActions"
    | "okActions"
    | "insufficientDataActions"
    | "region"
    | "tags"
>;

/**
 * Limits CloudWatch enforces at PutMetricAlarm (a metric-math alarm retrieves at most 10 metrics and
 * computes at most 10 expressions); createAlarm refuses specs beyond them and a test checks them.
 */
export const ALARM_LIMITS = { nameLength: 255, descriptionLength: 1024, metrics: 10, expressions: 10 } as const;

export interface AlarmSpec {
    /** Suffix of the alarm's resource and physical names, e.g. "web-5xx-rate". */
    id: string;
    /** What the alarm means and what the on-call does about it. */
    description: string;
    /** "edge" for metrics CloudWatch keeps in us-east-1 (CloudFront, CLOUDFRONT-scope WAF, Route 53). */
    region: "stack" | "edge";
    condition: AlarmCondition;
    /** false for alarms on events (a match, then silence): their recovery tells the on-call nothing. */
    notifyRecovery?: boolean;
}

/** Where alarms go: each region's alarms notify the topic of that region. */
export interface AlarmDestinations {
    namePrefix: string;
    topicArn: pulumi.Input<string>;
    edgeTopicArn?: pulumi.Input<string>;
    edgeProvider?: aws.Provider;
}

/**
 * A metric alarm that notifies the on-call when it fires and (unless it watches one-off events)
 * when it recovers. An alarm's actions must be topics of its own region, so edge alarms are
 * created in us-east-1 with that region's topic.
 */
export function createAlarm(
    name: string,
    spec: AlarmSpec,
    to: AlarmDestinations,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
    const topic = spec.region === "edge" ? to.edgeTopicArn : to.topicArn;
    if (!topic || (spec.region === "edge" && !to.edgeProvider)) {
        throw new Error(
            `${name}: alarm ${spec.id} watches a us-east-1 metric; pass edgeTopicArn and edgeProvider (Alerting with an edgeProvider)`,
        );
    }
    const alarmName = `${to.namePrefix}-${spec.id}`;
    if (alarmName.length > ALARM_LIMITS.nameLength)
        throw new Error(`${name}: alarm name ${alarmName} is longer than ${ALARM_LIMITS.nameLength} characters`);
    if (spec.description.length > ALARM_LIMITS.descriptionLength) {
        throw new Error(
            `${name}: the description of ${spec.id} is longer than ${ALARM_LIMITS.descriptionLength} characters`,
        );
    }
    const queries = (spec.condition.metricQueries ?? []) as MetricQuery[];
    const metrics = queries.filter((q) => q.metric).length;
    if (metrics > ALARM_LIMITS.metrics || queries.length - metrics > ALARM_LIMITS.expressions) {
        throw new Error(
            `${name}: alarm ${spec.id} has ${metrics} metrics and ${queries.length - metrics} expressions; CloudWatch allows ${ALARM_LIMITS.metrics} of each`,
        );
    }
    return new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
            name: alarmName,
            alarmDescription: spec.description,
            actionsEnabled: true,
            alarmActions: [topic],
            okActions: spec.notifyRecovery === false ? [] : [topic],
            ...spec.condition,
        },
        { parent, ...(spec.region === "edge" ? { provider: to.edgeProvider } : {}) },
    );
}

/** A metric of a metric-math alarm. */
export function metric(
    id: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, pulumi.Input<string>>,
    stat: string,
    period = 60,
): MetricQuery {
    const definition: QueryMetric = { namespace, metricName, dimensions, stat, period };
    return { id, metric: definition, returnData: false };
}

/** The expression a metric-math alarm evaluates. */
export function expression(id: string, text: string, label: string): MetricQuery {
    return { id, expression: text, label, returnData: true };
}

/**
 * The percentage of `errors` (an expression over metric ids) in `requests`, counted only in
 * periods with at least `minimum` requests: one failed request out of two is not an outage.
 */
export function errorRate(errors: string, requests: string, minimum: number): string {
    return `IF(${requests} >= ${minimum}, 100 * (${errors}) / ${requests}, 0)`;
}

/**
 * "N of M datapoints" windows used across the alarms: long enough to ride out a deployment or a
 * single slow minute, short enough to page within minutes of a real incident.
 */
export const WINDOWS = {
    /** 3 of 5 one-minute datapoints. */
    fast: { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 },
    /** 5 of 5 one-minute datapoints: a sustained condition, not a blip. */
    sustained: { period: 60, evaluationPeriods: 5, datapointsToAlarm: 5 },
    /** 3 of 3 five-minute datapoints: saturation that autoscaling did not absorb. */
    saturation: { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3 },
    /** 2 of 3 five-minute datapoints: a burst that lasts, not one noisy period. */
    burst: { period: 300, evaluationPeriods: 3, datapointsToAlarm: 2 },
    /** Any five-minute datapoint. */
    immediate: { period: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
} as const;

/** The evaluation settings of a metric-math alarm for a window (the period goes on each metric). */
export function mathWindow(
    window: (typeof WINDOWS)[keyof typeof WINDOWS],
): Pick<AlarmCondition, "evaluationPeriods" | "datapointsToAlarm"> {
    return { evaluationPeriods: window.evaluationPeriods, datapointsToAlarm: window.datapointsToAlarm };
}
