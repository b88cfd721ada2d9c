import { AlarmThresholds } from "../../config";
import { AlarmSpec, errorRate, expression, mathWindow, metric, WINDOWS } from "../alarm";
import { WebTargets } from "../targets";

const ALB = "AWS/ApplicationELB";

/** The storefront behind the public load balancer: errors, latency, healthy capacity. */
export function webAlarms(web: WebTargets, th: AlarmThresholds): AlarmSpec[] {
    const lb = { LoadBalancer: web.loadBalancerArnSuffix };
    const tg = { ...lb, TargetGroup: web.targetGroupArnSuffix };
    return [
        {
            id: "web-5xx-rate",
            region: "stack",
            description:
                `More than ${th.webErrorRatePercent}% of storefront requests at the public load balancer failed with a 5xx in 3 of the last 5 minutes (minutes under ${th.minimumRequestsPerMinute} requests are ignored). Customers see errors. ` +
                "Do: 1) check the web-unhealthy-hosts and web-in-service-instances alarms and the web section of the dashboard; " +
                "2) ELB 5xx without target 5xx means no healthy target: check the target group; target 5xx: read the web servers' logs (SSM Session Manager) and roll back a recent deployment or instance refresh; " +
                "3) check the database and cache alarms for a shared cause.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.webErrorRatePercent,
                ...mathWindow(WINDOWS.fast),
                treatMissingData: "notBreaching",
                metricQueries: [
                    metric("elb5xx", ALB, "HTTPCode_ELB_5XX_Count", lb, "Sum"),
                    metric("target5xx", ALB, "HTTPCode_Target_5XX_Count", tg, "Sum"),
                    metric("requests", ALB, "RequestCount", lb, "Sum"),
                    expression(
                        "rate",
                        errorRate("FILL(elb5xx, 0) + FILL(target5xx, 0)", "requests", th.minimumRequestsPerMinute),
                        "5xx responses (% of requests)",
                    ),
                ],
            },
        },
        {
            id: "web-p99-latency",
            region: "stack",
            description:
                `The web servers' p99 response time exceeded ${th.webP99LatencySeconds}s in 3 of the last 5 minutes (minutes with too few requests are ignored). ` +
                "Do: 1) check CPU and in-service instances of the web tier on the dashboard (scaling may lag a traffic spike; raise the group's maximum if it is reached); " +
                "2) check the database (CPU, connections) and cache (CPU, evictions) alarms, the usual cause of slow pages; 3) look for a recent deployment and roll back.",
            condition: {
                namespace: ALB,
                metricName: "TargetResponseTime",
                dimensions: tg,
                extendedStatistic: "p99",
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.webP99LatencySeconds,
                ...WINDOWS.fast,
                evaluateLowSampleCountPercentiles: "ignore",
                treatMissingData: "notBreaching",
            },
        },
        {
            id: "web-unhealthy-hosts",
            region: "stack",
            description:
                "At least one web server has failed the load balancer's health check for 5 minutes in a row (longer than a deployment or instance refresh takes). " +
                "Do: 1) find the instance in the target group's health view and its reason code; 2) connect with SSM Session Manager and check the web server and its health endpoint; " +
                "3) if it does not recover, terminate it and let the Auto Scaling group replace it.",
            condition: {
                namespace: ALB,
                metricName: "UnHealthyHostCount",
                dimensions: tg,
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                ...WINDOWS.sustained,
                treatMissingData: "notBreaching",
            },
        },
        {
            id: "web-in-service-instances",
            region: "stack",
            description:
                `Fewer than ${web.minInstances} web servers (the group's minimum) have been in service for 5 minutes: the storefront runs below its planned capacity or zone redundancy. ` +
                "Do: 1) read the Auto Scaling group's activity history (launch failures: capacity, AMI, KMS key, subnet); 2) check the zone's health on the AWS Health Dashboard; " +
                "3) no data at all means the group does not publish GroupInServiceInstances: enable its metrics collection.",
            condition: {
                namespace: "AWS/AutoScaling",
                metricName: "GroupInServiceInstances",
                dimensions: { AutoScalingGroupName: web.autoScalingGroupName },
                statistic: "Minimum",
                comparisonOperator: "LessThanThreshold",
                threshold: web.minInstances,
                ...WINDOWS.sustained,
                // No data means the group does not publish its metrics, or is gone: both need a human.
                treatMissingData: "breaching",
            },
        },
    ];
}
