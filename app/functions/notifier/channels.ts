// Delivery by e-mail (SES v2) and SMS (SNS), and which of their errors are permanent. Only
// errors that say this message can never be delivered are permanent (they go to the DLQ at
// once); throttles, quota and service errors, and anything unknown are retried through SQS, and
// end in the DLQ after maxReceiveCount receives if they never clear.
import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Rendered } from "./templates";

export interface EmailSettings {
    from: string;
    configurationSet?: string;
}

export async function sendEmail(
    ses: SESv2Client,
    settings: EmailSettings,
    to: string,
    template: string,
    content: Rendered,
): Promise<void> {
    await ses.send(
        new SendEmailCommand({
            FromEmailAddress: settings.from,
            Destination: { ToAddresses: [to] },
            Content: {
                Simple: {
                    Subject: { Data: content.subject, Charset: "UTF-8" },
                    Body: {
                        Text: { Data: content.text, Charset: "UTF-8" },
                        Html: { Data: content.html, Charset: "UTF-8" },
                    },
                },
            },
            ConfigurationSetName: settings.configurationSet,
            // Per-template delivery, bounce and complaint figures in the configuration set's events.
            EmailTags: [{ Name: "template", Value: template }],
        }),
    );
}

export async function sendSms(
    sns: SNSClient,
    senderId: string | undefined,
    phoneNumber: string,
    content: Rendered,
): Promise<void> {
    await sns.send(
        new PublishCommand({
            PhoneNumber: phoneNumber,
            Message: content.sms,
            MessageAttributes: {
                // Transactional: routed for reliability (order updates), not for the lowest cost.
                "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
                ...(senderId ? { "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: senderId } } : {}),
            },
        }),
    );
}

/** SES v2 and SNS error names that mean "this message, as it is, will never be accepted". */
const PERMANENT_ERRORS = new Set([
    "MessageRejected", // SES: content or recipient refused
    "BadRequestException", // SES: e.g. a malformed address
    "InvalidParameterException", // SNS: e.g. not a valid phone number
    "InvalidParameterValueException",
]);

export function isPermanentDeliveryError(error: unknown): boolean {
    return PERMANENT_ERRORS.has((error as { name?: string }).name ?? "");
}
