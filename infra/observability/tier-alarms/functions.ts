import { AlarmThresholds } from "../../config";
import { AlarmSpec, errorRate, expression, mathWindow, metric, WINDOWS } from "../alarm";
import { FunctionTarget } from "../targets";

const LAMBDA = "AWS/Lambda";

/** Each function: a sustained error rate (one failed invocation is not an incident) and throttling. */
export function functionAlarms(functions: FunctionTarget[], th: AlarmThresholds): AlarmSpec[] {
    return functions.flatMap((fn): AlarmSpec[] => {
        const dimensions = { FunctionName: fn.functionName };
        const period = WINDOWS.saturation.period;
        return [
            {
                id: `fn-${fn.name}-error-rate`,
                region: "stack",
                description:
                    `More than ${th.functionErrorRatePercent}% of the ${fn.name} function's invocations failed in each of the last three 5-minute periods. ` +
                    "Do: 1) read its log group for the failing requests (the errors carry the reason); 2) check its dependencies (database, cache, queues, SES/SNS) and a recent deployment; " +
                    "3) failed messages retry and then land in the dead-letter queue: watch its alarm.",
                condition: {
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: th.functionErrorRatePercent,
                    ...mathWindow(WINDOWS.saturation),
                    treatMissingData: "notBreaching",
                    metricQueries: [
                        metric("errors", LAMBDA, "Errors", dimensions, "Sum", period),
                        metric("invocations", LAMBDA, "Invocations", dimensions, "Sum", period),
                        expression("rate", errorRate("FILL(errors, 0)", "invocations", 1), "failed invocations (%)"),
                    ],
                },
            },
            {
                id: `fn-${fn.name}-throttles`,
                region: "stack",
                description:
                    `The ${fn.name} function was throttled more than ${th.functionThrottles} times in 5 minutes: invocations were refused (queue messages wait and retry). ` +
                    "Do: 1) compare its concurrency with its reserved concurrency and the account's limit; 2) raise the reserved concurrency if the database allows, or find what caused the burst.",
                condition: {
                    namespace: LAMBDA,
                    metricName: "Throttles",
                    dimensions,
                    statistic: "Sum",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: th.functionThrottles,
                    ...WINDOWS.immediate,
                    treatMissingData: "notBreaching",
                },
            },
        ];
    });
}
