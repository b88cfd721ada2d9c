import { AlarmThresholds } from "../../config";
import { AlarmSpec, errorRate, expression, mathWindow, metric, WINDOWS } from "../alarm";
import { ApiTargets } from "../targets";

const API = "AWS/ApiGateway";

/** The HTTP API in front of the services: server errors and tail latency. */
export function apiAlarms(api: ApiTargets, th: AlarmThresholds): AlarmSpec[] {
    const dimensions = { ApiId: api.apiId, Stage: api.stage };
    return [
        {
            id: "api-5xx-rate",
            region: "stack",
            description:
                `More than ${th.apiErrorRatePercent}% of API requests failed with a 5xx in 3 of the last 5 minutes (minutes under ${th.minimumRequestsPerMinute} requests are ignored). ` +
                "Do: 1) read the API's access log for the failing routes and their integration status; 2) 503/504 from the VPC link: check the internal load balancer's targets and the services' running-task alarms; " +
                "3) check the services' logs and a recent deployment, and roll back.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.apiErrorRatePercent,
                ...mathWindow(WINDOWS.fast),
                treatMissingData: "notBreaching",
                metricQueries: [
                    metric("errors", API, "5xx", dimensions, "Sum"),
                    metric("requests", API, "Count", dimensions, "Sum"),
                    expression(
                        "rate",
                        errorRate("FILL(errors, 0)", "requests", th.minimumRequestsPerMinute),
                        "5xx responses (% of requests)",
                    ),
                ],
            },
        },
        {
            id: "api-p99-latency",
            region: "stack",
            description:
                `The API's p99 latency exceeded ${th.apiP99LatencyMs} ms in 3 of the last 5 minutes. ` +
                "Do: 1) compare with the integration latency (the gap is API Gateway, the rest is the services); 2) check the services' CPU and the database and cache alarms; " +
                "3) look for a recent deployment and roll back.",
            condition: {
                namespace: API,
                metricName: "Latency",
                dimensions,
                extendedStatistic: "p99",
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.apiP99LatencyMs,
                ...WINDOWS.fast,
                evaluateLowSampleCountPercentiles: "ignore",
                treatMissingData: "notBreaching",
            },
        },
    ];
}
