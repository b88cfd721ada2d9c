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
    parent: pulumi.Resource;
}

/**
 * The site's DNS: A and AAAA alias records of every site name to the distribution, and a Route 53
 * HTTPS health check of the apex (through CloudFront, WAF and the web servers' health path).
 * Returns the health check's id; the observability tier alarms on it (in us-east-1, where Route 53
 * publishes its metrics).
 */
export function createSiteDns(name: string, args: SiteDnsArgs): pulumi.Output<string> {
    // Route 53 cannot evaluate a CloudFront target's health: evaluateTargetHealth must be false.
    const target = { name: args.distributionDomainName, zoneId: args.distributionZoneId, evaluateTargetHealth: false };
    const [apexRecords] = args.siteDomainNames.map((domainName, i) => {
        const label = i === 0 ? "apex" : domainName.slice(0, domainName.indexOf("."));
        return (["A", "AAAA"] as const).map(
            (type) =>
                new aws.route53.Record(
                    `${name}-${label}-${type.toLowerCase()}`,
                    {
                        zoneId: args.zoneId,
                        name: domainName,
                        type,
                        aliases: [target],
                    },
                    { parent: args.parent },
                ),
        );
    });

    const apex = args.siteDomainNames[0];
    // Probing before the name resolves would start the check (and its alarm) in failure.
    const healthCheck = new aws.route53.HealthCheck(
        `${name}-site-health`,
        {
            type: "HTTPS",
            fqdn: apex,
            port: 443,
            resourcePath: args.healthCheckPath,
            enableSni: true,
            requestInterval: PROBE_INTERVAL_SECONDS,
            failureThreshold: PROBE_FAILURES,
            measureLatency: true,
            tags: { Name: `${args.namePrefix}-site` },
        },
        { parent: args.parent, dependsOn: apexRecords },
    );

    return healthCheck.id;
}
