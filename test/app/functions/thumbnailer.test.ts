import * as assert from "assert";
import {
    CreateBucketCommand,
    GetObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import type { S3Event, SQSBatchResponse } from "aws-lambda";
import { randomUUID } from "crypto";
import sharp from "sharp";
import { createThumbnailer, readThumbnailerConfig } from "../../../app/functions/thumbnailer";
import type { ThumbnailOutcome } from "../../../app/functions/thumbnailer/thumbnails";
import { configProblems } from "./support/fixtures";
import { lambdaContext, TestQueues } from "./support/queues";
import { connectServices, REGION, type ConnectedServices } from "../support/services";

describe("thumbnailer (S3 emulator, sharp)", function () {
    let services: ConnectedServices;
    let s3: S3Client;
    let bucket: string;
    let photo: Buffer;

    const thumbnailer = (env: Record<string, string> = {}) =>
        createThumbnailer(
            readThumbnailerConfig({
                THUMBNAIL_WIDTHS: "200,400",
                MAX_SOURCE_BYTES: "2000000",
                MAX_INPUT_PIXELS: "4000000",
                ...env,
            }),
        );
    const upload = async (key: string, body: Buffer, contentType = "image/jpeg") => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
        return s3Event(bucket, key, body.length);
    };
    const keys = async (prefix: string): Promise<string[]> =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
            .map((o) => o.Key!)
            .sort();
    const run = async (event: S3Event) =>
        (await thumbnailer().handle(event, lambdaContext("thumbnailer"))) as ThumbnailOutcome[];

    before(async function () {
        services = await connectServices();
        s3 = new S3Client({});
        // A real photo-like JPEG: 1600x1200 of noise, with an EXIF orientation of 6 (rotated 90°).
        const noise = Buffer.alloc(1600 * 1200 * 3);
        for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
        photo = await sharp(noise, { raw: { width: 1600, height: 1200, channels: 3 } })
            .jpeg({ quality: 85 })
            .withMetadata({ orientation: 6 })
            .toBuffer();
    });

    beforeEach(async function () {
        bucket = `assets-${randomUUID().slice(0, 8)}`;
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });

    after(async function () {
        await services?.local.stop();
    });

    it("writes WebP thumbnails under thumbnails/ for an image under uploads/, oriented and at each width", async function () {
        const [outcome] = await run(await upload("uploads/products/42/front view.jpg", photo));

        assert.deepStrictEqual(outcome, {
            status: "created",
            key: "uploads/products/42/front view.jpg",
            thumbnails: ["thumbnails/products/42/front view-200w.webp", "thumbnails/products/42/front view-400w.webp"],
        });
        assert.deepStrictEqual(await keys("thumbnails/"), outcome.status === "created" ? outcome.thumbnails : []);
        const small = await s3.send(
            new GetObjectCommand({ Bucket: bucket, Key: "thumbnails/products/42/front view-200w.webp" }),
        );
        assert.strictEqual(small.ContentType, "image/webp");
        const meta = await sharp(Buffer.from(await small.Body!.transformToByteArray())).metadata();
        // Portrait once the EXIF orientation is applied: 1200 wide becomes 200 wide, 1600 high becomes 267.
        assert.deepStrictEqual([meta.format, meta.width, meta.height, meta.orientation], ["webp", 200, 267, undefined]);
    });

    it("rejects a non-image, a corrupt image, an oversized file and a pixel bomb cleanly: no throw, no output", async function () {
        const truncated = photo.subarray(0, Math.floor(photo.length / 3));
        const bomb = await sharp({ create: { width: 4000, height: 2000, channels: 3, background: "#fff" } })
            .png()
            .toBuffer();
        const events = [
            await upload(
                "uploads/readme.jpg",
                Buffer.from("this is not an image, whatever its name says"),
                "image/jpeg",
            ),
            await upload("uploads/broken.jpg", truncated),
            await upload("uploads/huge.jpg", Buffer.concat([photo, Buffer.alloc(2_000_001)])),
            await upload("uploads/bomb.png", bomb, "image/png"),
        ];

        const outcomes = (await run({ Records: events.flatMap((e) => e.Records) })).map((o) => [
            o.status,
            o.key,
            "reason" in o ? o.reason : "",
        ]);

        assert.deepStrictEqual(
            outcomes.map(([status, key, reason]) => [status, key, reason.replace(/:.*$/, "")]),
            [
                ["rejected", "uploads/readme.jpg", "not an image"],
                ["rejected", "uploads/broken.jpg", "corrupt image"],
                ["rejected", "uploads/huge.jpg", "too large"],
                ["rejected", "uploads/bomb.png", "too many pixels"],
            ],
        );
        assert.match(outcomes[2][2], /^too large: \d+ bytes is over 2000000$/);
        assert.strictEqual(outcomes[3][2], "too many pixels: 4000x2000 is over 4000000");
        assert.deepStrictEqual(await keys("thumbnails/"), []);
    });

    it("never triggers itself: objects outside uploads/ (its own thumbnails included) are skipped", async function () {
        const [outcome] = await run(await upload("thumbnails/products/42/front-200w.webp", photo, "image/webp"));

        assert.deepStrictEqual(outcome, {
            status: "skipped",
            key: "thumbnails/products/42/front-200w.webp",
            reason: "not under uploads/",
        });
        assert.deepStrictEqual(await keys("thumbnails/"), ["thumbnails/products/42/front-200w.webp"]);
    });

    it("throws on S3 errors, so the asynchronous invocation is retried", async function () {
        const event = s3Event(`missing-${randomUUID().slice(0, 8)}`, "uploads/a.jpg", 100);
        await assert.rejects(thumbnailer().handle(event), /bucket/i);
    });

    it("takes S3 notifications through an SQS queue too, failing only the messages S3 failed", async function () {
        const queues = new TestQueues();
        const images = await queues.create("images");
        await queues.send(images.url, await upload("uploads/a.jpg", photo));
        await queues.send(images.url, { Service: "Amazon S3", Event: "s3:TestEvent", Bucket: bucket });
        await queues.send(images.url, s3Event(`missing-${randomUUID().slice(0, 8)}`, "uploads/b.jpg", 100));
        const { event } = await queues.receiveEvent(images);

        const response = (await thumbnailer().handle(event)) as SQSBatchResponse;

        const failedBodies = response.batchItemFailures.map(
            (f) => event.Records.find((r) => r.messageId === f.itemIdentifier)!.body,
        );
        assert.strictEqual(failedBodies.length, 1);
        assert.match(failedBodies[0], /uploads\/b\.jpg/);
        assert.deepStrictEqual(await keys("thumbnails/"), ["thumbnails/a-200w.webp", "thumbnails/a-400w.webp"]);
    });

    it("retries an upload that failed every asynchronous attempt from the image queue, its failure destination", async function () {
        const queues = new TestQueues();
        const images = await queues.create("images");
        const uploaded = await upload("uploads/retried.jpg", photo);
        // What Lambda sends to an on-failure destination: the failed invocation's event is requestPayload.
        await queues.send(images.url, {
            version: "1.0",
            timestamp: new Date().toISOString(),
            requestContext: {
                requestId: randomUUID(),
                functionArn: "arn:aws:lambda:af-south-1:000000000000:function:thumbnailer:$LATEST",
                condition: "RetriesExhausted",
                approximateInvokeCount: 3,
            },
            requestPayload: uploaded,
            responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
            responsePayload: { errorType: "SlowDown", errorMessage: "Please reduce your request rate." },
        });
        const { event } = await queues.receiveEvent(images);

        const response = (await thumbnailer().handle(event)) as SQSBatchResponse;

        assert.deepStrictEqual(response.batchItemFailures, []);
        assert.deepStrictEqual(await keys("thumbnails/"), [
            "thumbnails/retried-200w.webp",
            "thumbnails/retried-400w.webp",
        ]);
    });

    it("names bad variables of its environment", function () {
        assert.deepStrictEqual(
            configProblems(() => readThumbnailerConfig({ THUMBNAIL_WIDTHS: "200,big", MAX_SOURCE_BYTES: "-1" })),
            [
                'THUMBNAIL_WIDTHS is "200,big": expected comma-separated integers from 16 to 2048',
                'MAX_SOURCE_BYTES is "-1": expected an integer from 1024 to 209715200',
            ],
        );
    });
});

/** The event S3 sends for an ObjectCreated:Put (keys URL-encoded, spaces as "+"). */
function s3Event(bucket: string, key: string, size: number): S3Event {
    return {
        Records: [
            {
                eventVersion: "2.1",
                eventSource: "aws:s3",
                awsRegion: REGION,
                eventTime: new Date().toISOString(),
                eventName: "ObjectCreated:Put",
                userIdentity: { principalId: "AWS:EXAMPLE" },
                requestParameters: { sourceIPAddress: "127.0.0.1" },
                responseElements: { "x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE" },
                s3: {
                    s3SchemaVersion: "1.0",
                    configurationId: "uploads-thumbnails",
                    bucket: { name: bucket, ownerIdentity: { principalId: "EXAMPLE" }, arn: `arn:aws:s3:::${bucket}` },
                    object: {
                        key: encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/"),
                        size,
                        eTag: "etag",
                        sequencer: "0A1B2C3D4E5F678901",
                    },
                },
            },
        ],
    };
}
