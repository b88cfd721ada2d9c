import { AlarmThresholds } from "../../config";
import { AlarmSpec, expression, mathWindow, metric, WINDOWS } from "../alarm";
import { EdgeTargets, WebAclTarget } from "../targets";

/**
 * CloudFront, the WAFs and the site's health check. CloudFront and Route 53 publish their metrics
 * in us-east-1, and so does WAF for a CLOUDFRONT-scope web ACL (without a Region dimension).
 */
export function edgeAlarms(edge: EdgeTargets, th: AlarmThresholds, stackRegion: string): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    if (edge.distributionId !== undefined) {
        const dimensions = { DistributionId: edge.distributionId, Region: "Global" };
        specs.push({
            id: "edge-5xx-rate",
            region: "edge",
            description:
                `More than ${th.edgeErrorRatePercent}% of CloudFront responses were 5xx in 3 of the last 5 minutes (minutes under ${th.minimumRequestsPerMinute} requests are ignored): customers cannot load the site. ` +
                "Do: 1) check the web-5xx-rate and api-5xx-rate alarms (the origins); 2) 502/504 with healthy origins: check the origin certificate and the origin secret header rule; " +
                "3) check the AWS Health Dashboard for CloudFront.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.edgeErrorRatePercent,
                ...mathWindow(WINDOWS.fast),
                treatMissingData: "notBreaching",
                metricQueries: [
                    // CloudFront publishes the rate itself, in percent: only the quiet minutes are masked.
                    metric("errors", "AWS/CloudFront", "5xxErrorRate", dimensions, "Average"),
                    metric("requests", "AWS/CloudFront", "Requests", dimensions, "Sum"),
                    expression(
                        "rate",
                        `IF(requests >= ${th.minimumRequestsPerMinute}, FILL(errors, 0), 0)`,
                        "5xx responses (%)",
                    ),
                ],
            },
        });
    }
    for (const acl of edge.webAcls ?? []) specs.push(blockedSpike(acl, th, stackRegion));
    if (edge.healthCheckId !== undefined) {
        specs.push({
            id: "site-health-check",
            region: "edge",
            description:
                "Route 53's health checkers report the storefront unreachable (3 of the last 5 minutes). " +
                "Do: 1) open the site yourself and read the health check's failure reason (timeout, TLS, status code); 2) check the edge, web and API alarms for the failing layer; " +
                "3) check DNS: the apex and www records still alias the distribution.",
            condition: {
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: edge.healthCheckId },
                statistic: "Minimum",
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                ...WINDOWS.fast,
                // Health checks always report: no data means the check is gone.
                treatMissingData: "breaching",
            },
        });
    }
    return specs;
}

/**
 * Blocked requests above what is normal for the hour and weekday: an anomaly band rather than
 * a fixed count, because scanners keep a baseline of blocks that varies with traffic.
 */
function blockedSpike(acl: WebAclTarget, th: AlarmThresholds, stackRegion: string): AlarmSpec {
    const cloudFront = acl.scope === "CLOUDFRONT";
    const dimensions = { WebACL: acl.metricName, Rule: "ALL", ...(cloudFront ? {} : { Region: stackRegion }) };
    return {
        id: `waf-${acl.name}-blocked-spike`,
        region: cloudFront ? "edge" : "stack",
        description:
            `The ${acl.name} web ACL blocked far more requests than usual for this time (above the anomaly band) in 2 of the last 3 five-minute periods: an attack, a scanner, or a rule that blocks real customers. ` +
            "Do: 1) open the web ACL's sampled requests and logs (aws-waf-logs-*) and find the rule and the sources; 2) real customers blocked (e.g. after a release): set that rule to count; " +
            "3) an attack: tighten the rate-based rule or block the sources.",
        condition: {
            comparisonOperator: "GreaterThanUpperThreshold",
            thresholdMetricId: "band",
            ...mathWindow(WINDOWS.burst),
            treatMissingData: "notBreaching",
            metricQueries: [
                {
                    ...metric("blocked", "AWS/WAFV2", "BlockedRequests", dimensions, "Sum", WINDOWS.burst.period),
                    returnData: true,
                },
                expression(
                    "band",
                    `ANOMALY_DETECTION_BAND(blocked, ${th.wafAnomalyBandWidth})`,
                    "expected blocked requests",
                ),
            ],
        },
    };
}
