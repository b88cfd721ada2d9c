import { AlarmThresholds } from "../../config";
import { AlarmSpec, WINDOWS } from "../alarm";
import { QueueTarget } from "../targets";

/** Each queue: messages waiting too long (consumers stalled or too slow) and anything in its DLQ. */
export function queueAlarms(queues: QueueTarget[], th: AlarmThresholds): AlarmSpec[] {
    return queues.flatMap((queue): AlarmSpec[] => {
        const maxAge = queue.maxMessageAgeSeconds ?? th.queueOldestMessageSeconds;
        return [
            {
                id: `queue-${queue.name}-oldest-message`,
                region: "stack",
                description:
                    `The oldest message in the ${queue.name} queue has waited more than ${maxAge}s in 2 of the last 3 five-minute periods: its consumer is stalled or falling behind. ` +
                    "Do: 1) check the consumer function's errors, throttles and concurrency (and its event source mapping is enabled); " +
                    "2) check what it depends on (database, payment provider); 3) raise its concurrency if it is healthy but too slow.",
                condition: {
                    namespace: "AWS/SQS",
                    metricName: "ApproximateAgeOfOldestMessage",
                    dimensions: { QueueName: queue.queueName },
                    statistic: "Maximum",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: maxAge,
                    ...WINDOWS.burst,
                    treatMissingData: "notBreaching",
                },
            },
            {
                id: `queue-${queue.name}-dlq-messages`,
                region: "stack",
                description:
                    `Messages reached the ${queue.name} dead-letter queue: they failed every retry and will not be processed on their own. ` +
                    "Do: 1) run the dlq-redrive function in report mode to see counts and failure reasons; 2) fix the cause (a bug, a poison message, a dependency outage); " +
                    "3) redrive the messages to the source queue, or archive the poison ones.",
                condition: {
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: queue.deadLetterQueueName },
                    statistic: "Maximum",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 0,
                    ...WINDOWS.immediate,
                    treatMissingData: "notBreaching",
                },
            },
        ];
    });
}
