// Structured JSON logs and CloudWatch embedded-format metrics (Powertools), one pair per handler.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";

export { MetricUnit } from "@aws-lambda-powertools/metrics";

export interface Observability {
    logger: Logger;
    metrics: Metrics;
}

/** POWERTOOLS_LOG_LEVEL and POWERTOOLS_METRICS_NAMESPACE override the defaults. */
export function observability(serviceName: string): Observability {
    return {
        logger: new Logger({ serviceName }),
        metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "Shop" }),
    };
}

/** Runs one invocation with the Lambda context in every log line and flushes metrics after. */
export async function instrumented<T>(
    obs: Observability,
    context: Context | undefined,
    run: () => Promise<T>,
): Promise<T> {
    if (context) obs.logger.addContext(context);
    try {
        return await run();
    } catch (error) {
        obs.logger.error("invocation failed", error as Error);
        throw error;
    } finally {
        // An invocation that failed early has none; Powertools would warn about an empty flush.
        if (obs.metrics.hasStoredMetrics()) obs.metrics.publishStoredMetrics();
    }
}
