// Queues on the emulator, and `deliver`, which does what Lambda's SQS event source mapping does
// with ReportBatchItemFailures: receive a batch, invoke the handler with it, delete the messages
// it did not report as failed (none if it threw), and leave the rest to come back after the
// visibility timeout (and to the DLQ after maxReceiveCount receives).
import {
    CreateQueueCommand,
    DeleteMessageBatchCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
    SendMessageCommand,
    SQSClient,
    type Message,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { randomUUID } from "crypto";
import { REGION } from "../../support/services";

export interface TestQueue {
    url: string;
    arn: string;
    dlqUrl: string;
    dlqArn: string;
}

export interface Delivery {
    received: number;
    failed: string[];
    threw?: Error;
}

export const lambdaContext = (functionName: string): Context =>
    ({
        functionName,
        functionVersion: "$LATEST",
        invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:${functionName}`,
        memoryLimitInMB: "512",
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: "test",
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => 30000,
    }) as Context;

export class TestQueues {
    readonly sqs = new SQSClient({});

    /** A queue with its own DLQ (maxReceiveCount receives, then SQS moves the message). */
    async create(
        prefix: string,
        options: { maxReceiveCount?: number; visibilityTimeout?: number } = {},
    ): Promise<TestQueue> {
        const name = `${prefix}-${randomUUID().slice(0, 8)}`;
        const dlq = await this.createQueue(`${name}-dlq`, { MessageRetentionPeriod: String(14 * 24 * 3600) });
        const queue = await this.createQueue(name, {
            VisibilityTimeout: String(options.visibilityTimeout ?? 1),
            RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: dlq.arn,
                maxReceiveCount: options.maxReceiveCount ?? 3,
            }),
        });
        return { url: queue.url, arn: queue.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
    }

    async createQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
        const { QueueUrl } = await this.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
        const { Attributes } = await this.sqs.send(
            new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
        );
        return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    }

    async send(url: string, body: unknown): Promise<string> {
        const { MessageId } = await this.sqs.send(
            new SendMessageCommand({
                QueueUrl: url,
                MessageBody: typeof body === "string" ? body : JSON.stringify(body),
            }),
        );
        return MessageId!;
    }

    /** Visible plus in-flight messages. */
    async depth(url: string): Promise<number> {
        const { Attributes } = await this.sqs.send(
            new GetQueueAttributesCommand({
                QueueUrl: url,
                AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }),
        );
        return (
            Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible)
        );
    }

    /** Receives (and hides for `visibility` seconds) up to `max` messages, with all attributes. */
    async receive(url: string, max = 10, visibility = 30): Promise<Message[]> {
        const messages: Message[] = [];
        while (messages.length < max) {
            const { Messages = [] } = await this.sqs.send(
                new ReceiveMessageCommand({
                    QueueUrl: url,
                    MaxNumberOfMessages: Math.min(10, max - messages.length),
                    VisibilityTimeout: visibility,
                    MessageSystemAttributeNames: ["All"],
                    MessageAttributeNames: ["All"],
                }),
            );
            if (Messages.length === 0) break;
            messages.push(...Messages);
        }
        return messages;
    }

    /** Receives a batch as Lambda would hand it to the function (hidden for `visibility` seconds). */
    async receiveEvent(
        queue: TestQueue,
        batchSize = 10,
        visibility = 1,
    ): Promise<{ event: SQSEvent; messages: Message[] }> {
        const messages = await this.receive(queue.url, batchSize, visibility);
        return { event: { Records: messages.map((message) => toRecord(message, queue.arn)) }, messages };
    }

    /** One poll of the event source mapping: receive, invoke, delete what succeeded. */
    async deliver(
        queue: TestQueue,
        handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>,
        batchSize = 10,
    ): Promise<Delivery> {
        const { event, messages } = await this.receiveEvent(queue, batchSize);
        if (messages.length === 0) return { received: 0, failed: [] };
        let failed: string[];
        let threw: Error | undefined;
        try {
            const response = await handler(event, lambdaContext("test-function"));
            failed = response.batchItemFailures.map((failure) => failure.itemIdentifier);
        } catch (error) {
            threw = error as Error;
            failed = event.Records.map((record) => record.messageId);
        }
        const done = messages.filter((message) => !failed.includes(message.MessageId!));
        if (done.length > 0) {
            await this.sqs.send(
                new DeleteMessageBatchCommand({
                    QueueUrl: queue.url,
                    Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
                }),
            );
        }
        return { received: messages.length, failed, threw };
    }

    /** Delivers until the queue is empty (waiting out visibility timeouts), at most `polls` times. */
    async drain(
        queue: TestQueue,
        handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>,
        polls = 10,
    ): Promise<Delivery[]> {
        const deliveries: Delivery[] = [];
        for (let i = 0; i < polls && (await this.depth(queue.url)) > 0; i++) {
            const delivery = await this.deliver(queue, handler);
            deliveries.push(delivery);
            if (delivery.received === 0) await sleep(300);
        }
        return deliveries;
    }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function toRecord(message: Message, queueArn: string): SQSRecord {
    const system = message.Attributes ?? {};
    return {
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body ?? "",
        attributes: {
            ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
            SentTimestamp: system.SentTimestamp ?? String(Date.now()),
            SenderId: system.SenderId ?? "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
                name,
                {
                    dataType: value.DataType!,
                    stringValue: value.StringValue,
                    binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString("base64") : undefined,
                },
            ]),
        ),
        md5OfBody: message.MD5OfBody ?? "",
        eventSource: "aws:sqs",
        eventSourceARN: queueArn,
        awsRegion: REGION,
    };
}
