// cart-abandonment: run by an EventBridge Scheduler schedule; enqueues one reminder per cart idle
// longer than CART_IDLE_MINUTES onto the notifications queue (see sweep.ts). A failed run
// throws, so the scheduler's retry policy and the next run pick the work up.
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { Database, readFunctionDatabaseSettings, type DatabaseSettings } from "../shared/db";
import { EnvReader, once, type Env } from "../../shared/env";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { SecretReader } from "../shared/secrets";
import { sweepAbandonedCarts, type SweepResult, type SweepSettings } from "./sweep";

export interface CartAbandonmentConfig {
    db: DatabaseSettings;
    sweep: SweepSettings;
    secretsCacheSeconds: number;
}

/** The environment contract; see app/functions/README.md. */
export function readCartAbandonmentConfig(env?: Env): CartAbandonmentConfig {
    const r = new EnvReader(env);
    const config: CartAbandonmentConfig = {
        db: readFunctionDatabaseSettings(r),
        sweep: {
            reminderQueueUrl: r.string("REMINDER_QUEUE_URL"),
            idleMinutes: r.integer("CART_IDLE_MINUTES", 60, 1, 7 * 24 * 60),
            maxAgeHours: r.integer("CART_MAX_AGE_HOURS", 72, 1, 30 * 24),
            maxPerRun: r.integer("MAX_REMINDERS_PER_RUN", 500, 1, 10000),
        },
        secretsCacheSeconds: r.integer("SECRETS_CACHE_SECONDS", 300, 0, 3600),
    };
    if (config.sweep.maxAgeHours * 60 <= config.sweep.idleMinutes) {
        r.problem(
            `CART_MAX_AGE_HOURS (${config.sweep.maxAgeHours}) must be longer than CART_IDLE_MINUTES (${config.sweep.idleMinutes} minutes)`,
        );
    }
    r.done();
    return config;
}

export function createCartAbandonment(config: CartAbandonmentConfig, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("cart-abandonment");
    const db = new Database(config.db, new SecretReader(config.secretsCacheSeconds), "cart-abandonment", (error) =>
        obs.logger.warn("database connection lost", error),
    );
    const sqs = new SQSClient({});

    const handle = (_event: unknown, context?: Context): Promise<SweepResult> =>
        instrumented(obs, context, async () => {
            const result = await sweepAbandonedCarts(db, sqs, config.sweep);
            obs.logger.info("abandoned carts swept", { ...result });
            obs.metrics.addMetric("CartRemindersEnqueued", MetricUnit.Count, result.enqueued);
            return result;
        });

    return { handle, close: () => db.end() };
}

const instance = once(() => createCartAbandonment(readCartAbandonmentConfig()));

export const handler = (event: unknown, context: Context): Promise<SweepResult> => instance().handle(event, context);
