// notifier: consumes the notifications queue (SQS, ReportBatchItemFailures), renders each
// message's template and sends it by e-mail (SES v2) or SMS (SNS). A message that can never be
// delivered goes to the DLQ at once with the reason; a throttle or an outage is retried.
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { once } from "../../shared/env";
import { Notification } from "../shared/notifications";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { DeadLetterQueue, PermanentFailure, processQueueBatch } from "../shared/sqs-batch";
import { isPermanentDeliveryError, sendEmail, sendSms } from "./channels";
import { readNotifierConfig, type NotifierConfig } from "./config";
import { render } from "./templates";

export function createNotifier(config: NotifierConfig, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("notifier");
    const ses = new SESv2Client({});
    const sns = new SNSClient({});
    const deadLetter = new DeadLetterQueue(new SQSClient({}), config.deadLetterQueueUrl, "notifier");

    const deliver = async (notification: Notification): Promise<void> => {
        const content = render(notification, config.store);
        try {
            if (notification.channel === "email")
                await sendEmail(ses, config.email, notification.to, notification.template, content);
            else await sendSms(sns, config.smsSenderId, notification.to, content);
        } catch (error) {
            if (isPermanentDeliveryError(error)) {
                // The reason is logged and kept on the DLQ copy: it names the error, not the recipient.
                throw new PermanentFailure(
                    `${notification.channel} refused: ${(error as Error).name}: ${(error as Error).message}`,
                );
            }
            throw error;
        }
        obs.logger.info("notification sent", {
            notificationId: notification.notificationId,
            template: notification.template,
            channel: notification.channel,
        });
        obs.metrics.addMetric(`Sent_${notification.channel}`, MetricUnit.Count, 1);
    };

    const handle = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
        instrumented(obs, context, () =>
            // Sends are independent calls: the whole batch at once.
            processQueueBatch(event, context, {
                schema: Notification,
                handle: deliver,
                deadLetter,
                obs,
                inParallel: true,
            }),
        );

    return { handle };
}

const instance = once(() => createNotifier(readNotifierConfig()));

export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    instance().handle(event, context);
