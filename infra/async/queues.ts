import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AsyncConfig, QUEUE_NAMES, QueueName, QueueSettings, SQS_MAX_RETENTION_DAYS } from "../config/async";
import { policyDocument } from "../shared/iam";
import { QueueTarget } from "../observability/targets";

/** Dead-letter queues keep messages as long as SQS allows: time to notice, fix and redrive. */
export const DEAD_LETTER_RETENTION_SECONDS = SQS_MAX_RETENTION_DAYS * 24 * 3600;
/** SQS queue names: letters, digits, hyphens and underscores, at most 80. */
const MAX_QUEUE_NAME_LENGTH = 80;

export interface QueueRef {
    name: pulumi.Output<string>;
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/** A source queue and the dead-letter queue its redrive policy names. */
export interface DeliveryQueue extends QueueRef {
    deadLetter: QueueRef;
}

export interface QueuesArgs extends Pick<AsyncConfig, "maxReceiveCount" | "messageRetentionSeconds"> {
    /** Physical names are "<namePrefix>-<queue>" and "<namePrefix>-<queue>-dlq". */
    namePrefix: string;
    region: string;
    accountId: string;
    /** Each queue's visibility timeout (validated against its consumer's timeout in the config). */
    queues: Record<QueueName, Pick<QueueSettings, "visibilityTimeoutSeconds">>;
    /** Encrypts every queue; senders and consumers need GenerateDataKey/Decrypt on it. */
    messagingKeyArn: pulumi.Input<string>;
}

/**
 * The platform's standard SQS queues (orders, notifications, images, cart events), each with its
 * own dead-letter queue: encrypted with the messaging key, TLS-only, redriven after
 * `maxReceiveCount` receives to a DLQ that keeps messages 14 days and accepts only its own source.
 * No AWS service sends to them as itself (producers are functions and services with IAM roles),
 * so the queue policies admit nobody; they only refuse requests without TLS.
 */
export class Queues extends pulumi.ComponentResource {
    readonly queues: Record<QueueName, DeliveryQueue>;
    /** What the observability tier alarms on: each queue's oldest message and its DLQ's depth. */
    readonly alarmTargets: QueueTarget[];

    constructor(name: string, args: QueuesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:async:Queues", name, {}, opts);
        validate(name, args);
        this.queues = Object.fromEntries(
            QUEUE_NAMES.map((queue) => [queue, this.deliveryQueue(name, queue, args)]),
        ) as Record<QueueName, DeliveryQueue>;
        this.alarmTargets = QUEUE_NAMES.map((queue) => ({
            name: queue,
            queueName: this.queues[queue].name,
            deadLetterQueueName: this.queues[queue].deadLetter.name,
        }));
        this.registerOutputs(
            Object.fromEntries(QUEUE_NAMES.map((queue) => [`${queue}QueueUrl`, this.queues[queue].url])),
        );
    }

    /** The orders queue, which the orders service may also send to. */
    get orders(): { url: pulumi.Output<string>; arn: pulumi.Output<string> } {
        return { url: this.queues.orders.url, arn: this.queues.orders.arn };
    }

    private deliveryQueue(name: string, queue: QueueName, args: QueuesArgs): DeliveryQueue {
        const sourceName = `${args.namePrefix}-${queue}`;
        // The source's ARN is known from its name, so the DLQ can name it without waiting for it.
        const sourceArn = `arn:aws:sqs:${args.region}:${args.accountId}:${sourceName}`;
        const encryption = { kmsMasterKeyId: args.messagingKeyArn, kmsDataKeyReusePeriodSeconds: 300 };

        const deadLetter = new aws.sqs.Queue(
            `${name}-${queue}-dlq`,
            {
                name: `${sourceName}-dlq`,
                messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
                redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [sourceArn] }),
                ...encryption,
            },
            { parent: this },
        );
        const source = new aws.sqs.Queue(
            `${name}-${queue}`,
            {
                name: sourceName,
                visibilityTimeoutSeconds: args.queues[queue].visibilityTimeoutSeconds,
                messageRetentionSeconds: args.messageRetentionSeconds,
                redrivePolicy: deadLetter.arn.apply((arn) =>
                    JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: args.maxReceiveCount }),
                ),
                ...encryption,
            },
            { parent: this },
        );

        for (const [suffix, q] of [
            ["", source],
            ["-dlq", deadLetter],
        ] as const) {
            new aws.sqs.QueuePolicy(
                `${name}-${queue}${suffix}`,
                {
                    queueUrl: q.url,
                    policy: q.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))),
                },
                { parent: this },
            );
        }
        const ref = (q: aws.sqs.Queue): QueueRef => ({ name: q.name, url: q.url, arn: q.arn });
        return { ...ref(source), deadLetter: ref(deadLetter) };
    }
}

/** Refuses every request to the queue that does not use TLS, whoever makes it. */
export function tlsOnlyQueuePolicy(queueArn: string) {
    return policyDocument({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": false } },
    });
}

function validate(name: string, args: QueuesArgs): void {
    const fail = (problem: string) => {
        throw new Error(`Queues ${name}: ${problem}`);
    };
    const longest = `${args.namePrefix}-${[...QUEUE_NAMES].sort((a, b) => b.length - a.length)[0]}-dlq`;
    if (!/^[A-Za-z0-9_-]+$/.test(args.namePrefix) || longest.length > MAX_QUEUE_NAME_LENGTH) {
        fail(
            `namePrefix "${args.namePrefix}" makes queue names like ${longest}: SQS allows letters, digits, hyphens and underscores, at most ${MAX_QUEUE_NAME_LENGTH}`,
        );
    }
    if (args.messageRetentionSeconds < 60 || args.messageRetentionSeconds > DEAD_LETTER_RETENTION_SECONDS) {
        fail(
            `messageRetentionSeconds must be 60-${DEAD_LETTER_RETENTION_SECONDS} (a source queue never keeps messages longer than its DLQ), got ${args.messageRetentionSeconds}`,
        );
    }
    if (!Number.isInteger(args.maxReceiveCount) || args.maxReceiveCount < 1 || args.maxReceiveCount > 1000) {
        fail(`maxReceiveCount must be 1-1000, got ${args.maxReceiveCount}`);
    }
    for (const queue of QUEUE_NAMES) {
        const visibility = args.queues[queue].visibilityTimeoutSeconds;
        if (!Number.isInteger(visibility) || visibility < 0 || visibility > 43200)
            fail(`${queue}: visibilityTimeoutSeconds must be 0-43200, got ${visibility}`);
    }
}
