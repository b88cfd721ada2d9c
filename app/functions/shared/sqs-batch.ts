// SQS batch handling shared by the queue consumers, on Powertools' BatchProcessor: each record is
// processed on its own and only the failed ones are returned in `batchItemFailures`, so SQS
// redelivers just those.
//
// Two kinds of failure:
// - transient (anything thrown): reported as failed; the message comes back after the visibility
//   timeout and, after maxReceiveCount receives, SQS moves it to the DLQ by itself.
// - permanent (PermanentFailure: malformed, invalid, rejected by the recipient's provider):
//   retrying cannot help, so the message is moved to the DLQ at once, with the reason attached
//   as message attributes, and reported as done. It neither blocks the batch nor burns
//   maxReceiveCount receives. If that move fails, it is reported as failed and SQS's own redrive
//   still gets it to the DLQ: nothing is lost either way.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { z } from "zod";
import { MetricUnit, type Observability } from "./observability";

export class PermanentFailure extends Error {
    constructor(readonly reason: string) {
        super(reason);
        this.name = "PermanentFailure";
    }
}

/** Message attributes the dead-letter copy carries; dlq-redrive reads and strips them. */
export const FAILURE_ATTRIBUTES = {
    reason: "shop.failure.reason",
    handler: "shop.failure.handler",
    sourceQueue: "shop.failure.source-queue",
    firstSentAt: "shop.failure.first-sent-at",
} as const;

const SQS_MAX_ATTRIBUTES = 10;
const MAX_REASON_LENGTH = 1000;

/** Parses a message body as JSON and checks it against `schema`, or fails permanently saying why. */
export function parseBody<T>(body: string, schema: z.ZodType<T>): T {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch (error) {
        throw new PermanentFailure(`body is not JSON: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
        throw new PermanentFailure(`invalid message: ${problems.join("; ")}`);
    }
    return parsed.data;
}

export class DeadLetterQueue {
    constructor(
        private readonly sqs: SQSClient,
        private readonly queueUrl: string,
        private readonly handlerName: string,
    ) {}

    /** Copies the record to the DLQ with the reason; throws if SQS did not take it. */
    async park(record: SQSRecord, reason: string): Promise<void> {
        const failure: Record<string, MessageAttributeValue> = {
            [FAILURE_ATTRIBUTES.reason]: { DataType: "String", StringValue: reason.slice(0, MAX_REASON_LENGTH) },
            [FAILURE_ATTRIBUTES.handler]: { DataType: "String", StringValue: this.handlerName },
            [FAILURE_ATTRIBUTES.sourceQueue]: { DataType: "String", StringValue: record.eventSourceARN },
            [FAILURE_ATTRIBUTES.firstSentAt]: { DataType: "Number", StringValue: record.attributes.SentTimestamp },
        };
        const original = Object.entries(record.messageAttributes)
            .slice(0, SQS_MAX_ATTRIBUTES - Object.keys(failure).length)
            .map(([name, value]): [string, MessageAttributeValue] => [
                name,
                {
                    DataType: value.dataType,
                    StringValue: value.stringValue,
                    BinaryValue: value.binaryValue ? Buffer.from(value.binaryValue, "base64") : undefined,
                },
            ]);
        await this.sqs.send(
            new SendMessageCommand({
                QueueUrl: this.queueUrl,
                MessageBody: record.body,
                MessageAttributes: { ...Object.fromEntries(original), ...failure },
            }),
        );
    }
}

export interface QueueBatchOptions<T> {
    schema: z.ZodType<T>;
    handle: (message: T, record: SQSRecord) => Promise<void>;
    deadLetter: DeadLetterQueue;
    obs: Observability;
    /** Records one after another (e.g. one DB connection) or all at once (independent calls). */
    inParallel: boolean;
}

export async function processQueueBatch<T>(
    event: SQSEvent,
    context: Context | undefined,
    options: QueueBatchOptions<T>,
): Promise<SQSBatchResponse> {
    const { logger, metrics } = options.obs;
    const processRecord = async (record: SQSRecord): Promise<void> => {
        const where = { messageId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount) };
        try {
            await options.handle(parseBody(record.body, options.schema), record);
            metrics.addMetric("MessagesProcessed", MetricUnit.Count, 1);
        } catch (error) {
            if (!(error instanceof PermanentFailure)) {
                logger.warn("message failed; SQS will deliver it again", { ...where, error: error as Error });
                metrics.addMetric("MessagesRetried", MetricUnit.Count, 1);
                throw error;
            }
            logger.error("message rejected; moving it to the dead-letter queue", { ...where, reason: error.reason });
            await options.deadLetter.park(record, error.reason);
            metrics.addMetric("MessagesDeadLettered", MetricUnit.Count, 1);
        }
    };
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, processRecord, processor, { context, processInParallel: options.inParallel });
}
