import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Route 53 probes every 30 s; three failures in a row mark the site unhealthy. */
const PROBE_INTERVAL_SECONDS = 30;
const PROBE_FAILURES = 3;

export interface SiteDnsArgs {
    namePrefix: string;
    zoneId: pulumi.Input<string>;
    /** The apex first; each gets A and AAAA aliases. */
    siteDomainNames: string[];
    distributionDomainName: pulumi.Input<string>;
    /** The distribution's own hosted zone id (CloudFront's), never ours. */
    distributionZoneId: pulumi.Input<string>;
    healthCheckPath: string;
    /** A us-east-1 SNS topic: the health check's metric exists only there, and alarms notify topics of their own region. */
    alarmTopicArn: pulumi.Input<string>;
    parent: pulumi.Resource;
    /** us-east-1, for the alarm. */
    edgeProvider: aws.Provider;
}

/**
 * The site's DNS: A and AAAA alias records of every site name to the distribution, and a Route 53
 * HTTPS health check of the apex (through CloudFront, WAF and the web servers' health path) with
 * an alarm that notifies on-call when it fails and when it recovers.
 */
export function createSiteDns(name: string, args: SiteDnsArgs): void {
    // Route 53 cannot evaluate a CloudFront target's health: evaluateTargetHealth must be false.
    const target = { name: args.distributionDomainName, zoneId: args.distributionZoneId, evaluateTargetHealth: false };
    const [apexRecords] = args.siteDomainNames.map((domainName, i) => {
        const label = i === 0 ? "apex" : domainName.slice(0, domainName.indexOf("."));
        return (["A", "AAAA"] as const).map((type) => new aws.route53.Record(`${name}-${label}-${type.toLowerCase()}`, {
            zoneId: args.zoneId,
            name: domainName,
            type,
            aliases: [target],
        }, { parent: args.parent }));
    });

    const apex = args.siteDomainNames[0];
    // Probing before the name resolves would start the check (and the alarm) in failure.
    const healthCheck = new aws.route53.HealthCheck(`${name}-site-health`, {
        type: "HTTPS",
        fqdn: apex,
        port: 443,
        resourcePath: args.healthCheckPath,
        enableSni: true,
        requestInterval: PROBE_INTERVAL_SECONDS,
        failureThreshold: PROBE_FAILURES,
        measureLatency: true,
        tags: { Name: `${args.namePrefix}-site` },
    }, { parent: args.parent, dependsOn: apexRecords });

    new aws.cloudwatch.MetricAlarm(`${name}-site-health`, {
        name: `${args.namePrefix}-site-unhealthy`,
        alarmDescription: `https://${apex}${args.healthCheckPath} fails the Route 53 health check`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: healthCheck.id },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
    }, { parent: args.parent, provider: args.edgeProvider });
}
