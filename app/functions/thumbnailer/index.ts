// thumbnailer: makes WebP thumbnails of images uploaded under uploads/ (see thumbnails.ts).
// It takes either event shape, so the trigger can be chosen in the infrastructure:
//  - an S3 event (ObjectCreated notification invoking the function asynchronously): an S3 error
//    throws, Lambda retries twice, then the on-failure destination gets the event;
//  - an SQS event whose messages are S3 notifications (S3 → image queue → function), or Lambda's
//    records of failed asynchronous invocations (the on-failure destination is the image queue,
//    the S3 event in `requestPayload`): an S3 error fails only that message (batchItemFailures);
//    the queue's DLQ gets it after maxReceiveCount.
// A bad image is never an error in either shape: it is logged, counted and left alone.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { S3Client } from "@aws-sdk/client-s3";
import type { Context, S3Event, S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { EnvReader, once, type Env } from "../../shared/env";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { makeThumbnails, type ThumbnailOutcome, type ThumbnailSettings } from "./thumbnails";

/** The environment contract; see app/functions/README.md. */
export function readThumbnailerConfig(env?: Env): ThumbnailSettings {
    const r = new EnvReader(env);
    const config: ThumbnailSettings = {
        widths: r.integerList("THUMBNAIL_WIDTHS", [200, 400], 16, 2048),
        maxSourceBytes: r.integer("MAX_SOURCE_BYTES", 20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
        maxInputPixels: r.integer("MAX_INPUT_PIXELS", 40_000_000, 10_000, 268_402_689),
    };
    r.done();
    return config;
}

export function createThumbnailer(settings: ThumbnailSettings, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("thumbnailer");
    const s3 = new S3Client({});

    const processS3Record = async (record: S3EventRecord): Promise<ThumbnailOutcome> => {
        // Keys arrive URL-encoded, with "+" for spaces.
        const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
        const outcome = await makeThumbnails(s3, settings, record.s3.bucket.name, key, record.s3.object.size ?? 0);
        if (outcome.status === "created") obs.logger.info("thumbnails created", { ...outcome });
        else obs.logger.warn(`upload ${outcome.status}`, { ...outcome });
        obs.metrics.addMetric(`Thumbnails_${outcome.status}`, MetricUnit.Count, 1);
        return outcome;
    };

    const processS3Event = async (event: S3Event): Promise<ThumbnailOutcome[]> => {
        const outcomes: ThumbnailOutcome[] = [];
        for (const record of event.Records ?? []) outcomes.push(await processS3Record(record));
        return outcomes;
    };

    const processQueueMessage = async (record: SQSRecord): Promise<void> => {
        type Notification = Partial<S3Event> & { Event?: string };
        const body = JSON.parse(record.body) as Notification & {
            requestContext?: unknown;
            requestPayload?: Notification;
        };
        // A destination record: the event of the invocation that failed is its requestPayload.
        const notification =
            body.requestContext !== undefined && body.requestPayload !== undefined ? body.requestPayload : body;
        // S3 sends s3:TestEvent when the notification is configured; it has no records.
        if (notification.Event === "s3:TestEvent" || !Array.isArray(notification.Records)) {
            obs.logger.info("not an S3 object notification; ignored", { messageId: record.messageId });
            return;
        }
        await processS3Event(notification as S3Event);
    };

    const handle = (event: S3Event | SQSEvent, context?: Context): Promise<ThumbnailOutcome[] | SQSBatchResponse> =>
        instrumented(obs, context, async () => {
            if (event.Records?.[0]?.eventSource === "aws:sqs") {
                return processPartialResponse(
                    event as SQSEvent,
                    processQueueMessage,
                    new BatchProcessor(EventType.SQS),
                    { context },
                );
            }
            return processS3Event(event as S3Event);
        });

    return { handle };
}

const instance = once(() => createThumbnailer(readThumbnailerConfig()));

export const handler = (event: S3Event | SQSEvent, context: Context): Promise<ThumbnailOutcome[] | SQSBatchResponse> =>
    instance().handle(event, context);
