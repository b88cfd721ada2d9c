// Reading and emptying a dead-letter queue. The report samples messages (hiding them briefly so
// each receive returns new ones, then making them visible again) to give the oldest and the
// failure reasons; the redrive moves messages back to their source queue, a batch at a time,
// deleting from the DLQ only what the source queue accepted.
import {
    ChangeMessageVisibilityBatchCommand,
    DeleteMessageBatchCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
    SendMessageBatchCommand,
    type Message,
    type SQSClient,
} from "@aws-sdk/client-sqs";
import { FAILURE_ATTRIBUTES } from "../shared/sqs-batch";

export interface QueuePair {
    deadLetterQueueUrl: string;
    sourceQueueUrl: string;
}

export interface DeadLetterReport {
    queue: string;
    visible: number;
    inFlight: number;
    sampled: number;
    oldestSentAt: string | null;
    reasons: { reason: string; count: number }[];
}

export interface RedriveResult {
    queue: string;
    moved: number;
    failed: number;
    remaining: number;
}

/** What a DLQ message says when the handler did not park it with a reason. */
export const NO_REASON = "no reason recorded (moved by SQS after maxReceiveCount failed receives)";

const SAMPLE_HIDE_SECONDS = 30;
const REDRIVE_HIDE_SECONDS = 60;

export async function reportDeadLetters(
    sqs: SQSClient,
    queue: string,
    pair: QueuePair,
    sampleSize: number,
): Promise<DeadLetterReport> {
    const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
            QueueUrl: pair.deadLetterQueueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
    );
    const sample: Message[] = [];
    while (sample.length < sampleSize) {
        const batch = await receive(
            sqs,
            pair.deadLetterQueueUrl,
            Math.min(10, sampleSize - sample.length),
            SAMPLE_HIDE_SECONDS,
        );
        if (batch.length === 0) break;
        sample.push(...batch);
    }
    await release(sqs, pair.deadLetterQueueUrl, sample);

    const reasons = new Map<string, number>();
    let oldest: number | undefined;
    for (const message of sample) {
        const reason = message.MessageAttributes?.[FAILURE_ATTRIBUTES.reason]?.StringValue ?? NO_REASON;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        // A parked copy was sent when it was parked; the original send time travels with it.
        const sentAt = Number(
            message.MessageAttributes?.[FAILURE_ATTRIBUTES.firstSentAt]?.StringValue ??
                message.Attributes?.SentTimestamp,
        );
        if (Number.isFinite(sentAt)) oldest = Math.min(oldest ?? sentAt, sentAt);
    }
    return {
        queue,
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        sampled: sample.length,
        oldestSentAt: oldest === undefined ? null : new Date(oldest).toISOString(),
        reasons: [...reasons]
            .map(([reason, count]) => ({ reason, count }))
            .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    };
}

/**
 * Moves up to `maxMessages` back to the source queue, without the failure attributes. Stops early
 * when the DLQ looks empty or `timeLeft()` (ms) gets short. A message sent but not deleted (a
 * crash in between) is delivered twice: the consumers are idempotent.
 */
export async function redrive(
    sqs: SQSClient,
    queue: string,
    pair: QueuePair,
    maxMessages: number,
    timeLeft: () => number,
): Promise<RedriveResult> {
    let moved = 0;
    let failed = 0;
    while (moved + failed < maxMessages && timeLeft() > 10_000) {
        const batch = await receive(
            sqs,
            pair.deadLetterQueueUrl,
            Math.min(10, maxMessages - moved - failed),
            REDRIVE_HIDE_SECONDS,
        );
        if (batch.length === 0) break;
        const { Successful = [] } = await sqs.send(
            new SendMessageBatchCommand({
                QueueUrl: pair.sourceQueueUrl,
                Entries: batch.map((message, i) => ({
                    Id: String(i),
                    MessageBody: message.Body!,
                    MessageAttributes: withoutFailure(message),
                })),
            }),
        );
        const sent = Successful.map((entry) => batch[Number(entry.Id)]);
        if (sent.length > 0) {
            await sqs.send(
                new DeleteMessageBatchCommand({
                    QueueUrl: pair.deadLetterQueueUrl,
                    Entries: sent.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
                }),
            );
        }
        moved += sent.length;
        // Not accepted by the source queue: they reappear in the DLQ after REDRIVE_HIDE_SECONDS.
        failed += batch.length - sent.length;
    }
    const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
            QueueUrl: pair.deadLetterQueueUrl,
            AttributeNames: ["ApproximateNumberOfMessages"],
        }),
    );
    return { queue, moved, failed, remaining: Number(Attributes.ApproximateNumberOfMessages ?? 0) };
}

async function receive(sqs: SQSClient, queueUrl: string, max: number, hideSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: max,
            VisibilityTimeout: hideSeconds,
            MessageSystemAttributeNames: ["SentTimestamp"],
            MessageAttributeNames: ["All"],
        }),
    );
    return Messages;
}

async function release(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
        await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: messages.slice(start, start + 10).map((message, i) => ({
                    Id: String(i),
                    ReceiptHandle: message.ReceiptHandle!,
                    VisibilityTimeout: 0,
                })),
            }),
        );
    }
}

function withoutFailure(message: Message): Message["MessageAttributes"] {
    const failureNames = new Set<string>(Object.values(FAILURE_ATTRIBUTES));
    const kept = Object.entries(message.MessageAttributes ?? {}).filter(([name]) => !failureNames.has(name));
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
