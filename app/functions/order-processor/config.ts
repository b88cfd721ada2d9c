import { readFunctionDatabaseSettings, type DatabaseSettings } from "../shared/db";
import { EnvReader, type Env } from "../../shared/env";

export interface OrderProcessorConfig {
    db: DatabaseSettings;
    notificationQueueUrl: string;
    deadLetterQueueUrl: string;
    lowStockAlertEmail: string;
    paymentProvider: "sandbox";
    /** Secret JSON {"apiKey": "..."} of the payment provider. */
    paymentSecretArn: string;
    secretsCacheSeconds: number;
}

/** The environment contract; see app/functions/README.md. */
export function readOrderProcessorConfig(env?: Env): OrderProcessorConfig {
    const r = new EnvReader(env);
    const config: OrderProcessorConfig = {
        db: readFunctionDatabaseSettings(r),
        notificationQueueUrl: r.string("NOTIFICATION_QUEUE_URL"),
        deadLetterQueueUrl: r.string("DEAD_LETTER_QUEUE_URL"),
        lowStockAlertEmail: r.string("LOW_STOCK_ALERT_EMAIL"),
        paymentProvider: r.oneOf("PAYMENT_PROVIDER", ["sandbox"] as const, "sandbox"),
        paymentSecretArn: r.string("PAYMENT_SECRET_ARN"),
        secretsCacheSeconds: r.integer("SECRETS_CACHE_SECONDS", 300, 0, 3600),
    };
    r.done();
    return config;
}
