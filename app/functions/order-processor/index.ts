// order-processor: consumes the orders queue (SQS, ReportBatchItemFailures) and places each order
// exactly once (see order-book.ts), then sends the order's outbox messages (the customer's
// confirmation, low-stock alerts) to the notifications queue.
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { z } from "zod";
import { Database } from "../shared/db";
import { once } from "../../shared/env";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { SecretReader } from "../shared/secrets";
import { DeadLetterQueue, PermanentFailure, processQueueBatch } from "../shared/sqs-batch";
import { readOrderProcessorConfig, type OrderProcessorConfig } from "./config";
import { OrderBook, outboxPrefix } from "./order-book";
import { OrderMessage } from "./order-message";
import { OutboxSender } from "./outbox";
import { SandboxPaymentProvider } from "./payment-sandbox";
import { IdempotencyConflict, type PaymentProvider } from "./payments";

const PaymentSecret = z.object({ apiKey: z.string().min(1) });

export interface OrderProcessorDeps {
    obs?: Observability;
    /** Wraps the configured provider (tests put faults between the charge and the commit). */
    wrapPayments?: (provider: PaymentProvider) => PaymentProvider;
}

export function createOrderProcessor(config: OrderProcessorConfig, deps: OrderProcessorDeps = {}) {
    const obs = deps.obs ?? observability("order-processor");
    const { logger, metrics } = obs;
    const secrets = new SecretReader(config.secretsCacheSeconds);
    const onConnectionError = (error: Error) => logger.warn("database connection lost", error);
    const db = new Database(config.db, secrets, "order-processor", onConnectionError);
    // The sandbox's ledger has its own connection: it must commit on its own, like a remote provider.
    const sandboxLedger = new Database(config.db, secrets, "payment-sandbox", onConnectionError);
    const sqs = new SQSClient({});
    const deadLetter = new DeadLetterQueue(sqs, config.deadLetterQueueUrl, "order-processor");
    const outbox = new OutboxSender(db, sqs, { notifications: config.notificationQueueUrl });

    // Built per invocation from the cached secret, so a rotated key is used within the cache time.
    const paymentProvider = async (): Promise<PaymentProvider> => {
        const { apiKey } = await secrets.json(config.paymentSecretArn, PaymentSecret);
        const provider = new SandboxPaymentProvider(sandboxLedger, apiKey);
        return deps.wrapPayments ? deps.wrapPayments(provider) : provider;
    };

    const handle = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
        instrumented(obs, context, async () => {
            const book = new OrderBook(db, await paymentProvider(), config.lowStockAlertEmail);
            return processQueueBatch(event, context, {
                schema: OrderMessage,
                deadLetter,
                obs,
                // One connection per container: orders go one after another.
                inParallel: false,
                handle: async (order) => {
                    const outcome = await book.place(order).catch((error: unknown) => {
                        if (error instanceof IdempotencyConflict) throw new PermanentFailure(error.message);
                        throw error;
                    });
                    const sent = await outbox.flush(outboxPrefix(order.orderId));
                    logger.info("order processed", { orderId: order.orderId, ...outcome, messagesSent: sent });
                    metrics.addMetric(`Orders_${outcome.status}`, MetricUnit.Count, 1);
                },
            });
        });

    return {
        handle,
        close: async () => {
            await db.end();
            await sandboxLedger.end();
        },
    };
}

const instance = once(() => createOrderProcessor(readOrderProcessorConfig()));

export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    instance().handle(event, context);
