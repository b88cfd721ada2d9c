import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../config";
import { AlarmSpec, createAlarm } from "./alarm";
import { dashboardBody } from "./dashboard";
import { TierTargets } from "./targets";
import { apiAlarms } from "./tier-alarms/api";
import { cacheAlarms } from "./tier-alarms/cache";
import { databaseAlarms } from "./tier-alarms/database";
import { edgeAlarms } from "./tier-alarms/edge";
import { functionAlarms } from "./tier-alarms/functions";
import { queueAlarms } from "./tier-alarms/queues";
import { servicesAlarms } from "./tier-alarms/services";
import { webAlarms } from "./tier-alarms/web";

/** The tiers' resources (each optional: alarms and widgets exist for what is given) and where alarms go. */
export interface ServiceHealthArgs extends TierTargets {
    namePrefix: string;
    /** The region of the provider the component is created with. */
    region: string;
    thresholds: AlarmThresholds;
    alertTopicArn: pulumi.Input<string>;
    /** Alerting's us-east-1 topic and a us-east-1 provider: required when the edge tier is given. */
    edgeAlertTopicArn?: pulumi.Input<string>;
    edgeProvider?: aws.Provider;
}

/** At most this many nodes fit one metric-math alarm (CloudWatch retrieves at most 10 metrics). */
const MAX_CACHE_NODES = 10;

/**
 * The platform's alarms (each notifying the on-call with what to do) and one dashboard of every
 * tier's golden signals, both built from the same typed inputs of each tier.
 */
export class ServiceHealth extends pulumi.ComponentResource {
    /** The console address of the dashboard. */
    readonly dashboardUrl: pulumi.Output<string>;

    constructor(name: string, args: ServiceHealthArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:observability:ServiceHealth", name, {}, opts);
        validate(name, args);

        const specs = alarmSpecs(args);
        const alarms = specs.map((spec) => ({
            spec,
            alarm: createAlarm(
                name,
                spec,
                {
                    namePrefix: args.namePrefix,
                    topicArn: args.alertTopicArn,
                    edgeTopicArn: args.edgeAlertTopicArn,
                    edgeProvider: args.edgeProvider,
                },
                this,
            ),
        }));

        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-overview`,
            {
                dashboardName: `${args.namePrefix}-overview`,
                // The alarm-status widget shows this region's alarms; edge alarms are in us-east-1.
                dashboardBody: dashboardBody(
                    tiersOf(args),
                    args.region,
                    alarms.filter((a) => a.spec.region === "stack").map((a) => a.alarm.arn),
                ),
            },
            { parent: this },
        );

        this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
        this.registerOutputs({ dashboardUrl: this.dashboardUrl });
    }
}

function tiersOf({ edge, web, api, services, cache, database, queues, functions }: ServiceHealthArgs): TierTargets {
    return { edge, web, api, services, cache, database, queues, functions };
}

function alarmSpecs(args: ServiceHealthArgs): AlarmSpec[] {
    const th = args.thresholds;
    return [
        ...(args.edge ? edgeAlarms(args.edge, th, args.region) : []),
        ...(args.web ? webAlarms(args.web, th) : []),
        ...(args.api ? apiAlarms(args.api, th) : []),
        ...(args.services ? servicesAlarms(args.services, th) : []),
        ...(args.cache ? cacheAlarms(args.cache, th) : []),
        ...(args.database ? databaseAlarms(args.database, th) : []),
        ...queueAlarms(args.queues ?? [], th),
        ...functionAlarms(args.functions ?? [], th),
    ];
}

/** Contradictory or unusable inputs, reported before any resource is registered. */
function validate(name: string, args: ServiceHealthArgs): void {
    const fail = (problem: string) => {
        throw new Error(`ServiceHealth ${name}: ${problem}`);
    };
    const edgeMetricsInUsEast1 =
        args.edge &&
        (args.edge.distributionId !== undefined ||
            args.edge.healthCheckId !== undefined ||
            (args.edge.webAcls ?? []).some((acl) => acl.scope === "CLOUDFRONT"));
    if (edgeMetricsInUsEast1 && (!args.edgeAlertTopicArn || !args.edgeProvider)) {
        fail(
            "CloudFront, CLOUDFRONT-scope WAF and Route 53 metrics are in us-east-1, and an alarm can only notify a topic of its region: " +
                "pass edgeAlertTopicArn (Alerting built with an edgeProvider) and edgeProvider",
        );
    }
    if (
        args.cache &&
        (args.cache.cacheClusterIds.length === 0 || args.cache.cacheClusterIds.length > MAX_CACHE_NODES)
    ) {
        fail(
            `cache.cacheClusterIds must list 1 to ${MAX_CACHE_NODES} member clusters, got ${args.cache.cacheClusterIds.length}`,
        );
    }
    if (args.database && args.database.instanceIdentifiers.length === 0)
        fail("database.instanceIdentifiers must list the writer at least");
    if (args.web && args.web.minInstances < 1) fail(`web.minInstances must be 1 or more, got ${args.web.minInstances}`);
    const idle = args.services?.services.find((s) => s.minTasks < 1);
    if (idle) fail(`services ${idle.name}: minTasks must be 1 or more, got ${idle.minTasks}`);
    const labels = [
        ...(args.services?.services ?? []).map((s) => `services ${s.name}`),
        ...(args.queues ?? []).map((q) => `queues ${q.name}`),
        ...(args.functions ?? []).map((f) => `functions ${f.name}`),
        ...(args.edge?.webAcls ?? []).map((a) => `webAcls ${a.name}`),
    ];
    const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
    if (duplicate) fail(`${duplicate} is listed twice (names become alarm names and must be unique)`);
    const badLabel = labels.find((label) => !/^[a-z][a-z0-9-]{0,39}$/.test(label.split(" ")[1]));
    if (badLabel)
        fail(
            `${badLabel}: names must be lower-case letters, digits and hyphens (at most 40), as they become alarm names`,
        );
}
