// One uploaded object to its thumbnails. What is wrong with the object itself (not an image, too
// large, too many pixels, corrupt) is an outcome, not an error: retrying cannot fix it, so it is
// logged and counted, never thrown, and the object is never retried in a loop. Only S3 failures
// throw, to be retried. Thumbnails are written under thumbnails/, which the trigger (uploads/
// only) never fires on; objects outside uploads/ are skipped should a trigger be wider.
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import sharp, { type Metadata } from "sharp";
import { SOURCE_PREFIX, thumbnailKey } from "../../shared/media-keys";

export interface ThumbnailSettings {
    widths: number[];
    maxSourceBytes: number;
    /** Width × height; refuses decompression bombs before decoding them. */
    maxInputPixels: number;
}

export type ThumbnailOutcome =
    | { status: "created"; key: string; thumbnails: string[] }
    | { status: "rejected"; key: string; reason: string }
    | { status: "skipped"; key: string; reason: string };

const FORMATS = new Set(["jpeg", "png", "webp", "gif", "avif", "heif", "tiff"]);

export async function makeThumbnails(
    s3: S3Client,
    settings: ThumbnailSettings,
    bucket: string,
    key: string,
    eventSize: number,
): Promise<ThumbnailOutcome> {
    if (!key.startsWith(SOURCE_PREFIX)) return { status: "skipped", key, reason: `not under ${SOURCE_PREFIX}` };
    if (eventSize > settings.maxSourceBytes) return { status: "rejected", key, reason: tooLarge(eventSize, settings) };

    let body: Uint8Array;
    try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if ((object.ContentLength ?? 0) > settings.maxSourceBytes)
            return { status: "rejected", key, reason: tooLarge(object.ContentLength!, settings) };
        body = await object.Body!.transformToByteArray();
    } catch (error) {
        // Deleted (or replaced by a delete marker) since the event: nothing to do.
        if ((error as Error).name === "NoSuchKey") return { status: "skipped", key, reason: "object no longer exists" };
        throw error;
    }

    let metadata: Metadata;
    try {
        // Reads the header only (no pixels are decoded), so no pixel limit is needed yet.
        metadata = await sharp(body, { limitInputPixels: false }).metadata();
    } catch (error) {
        return { status: "rejected", key, reason: `not an image: ${(error as Error).message}` };
    }
    if (!metadata.format || !FORMATS.has(metadata.format))
        return { status: "rejected", key, reason: `unsupported image format: ${metadata.format}` };
    const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
    if (pixels > settings.maxInputPixels) {
        return {
            status: "rejected",
            key,
            reason: `too many pixels: ${metadata.width}x${metadata.height} is over ${settings.maxInputPixels}`,
        };
    }

    const image = () => sharp(body, { limitInputPixels: settings.maxInputPixels, failOn: "truncated" });
    const outputs: { key: string; data: Buffer }[] = [];
    try {
        for (const width of settings.widths) {
            const data = await image()
                .rotate() // apply the EXIF orientation; metadata (GPS and the rest) is dropped
                .resize({ width, withoutEnlargement: true })
                .webp({ quality: 80 })
                .toBuffer();
            outputs.push({ key: thumbnailKey(key, width), data });
        }
    } catch (error) {
        return { status: "rejected", key, reason: `corrupt image: ${(error as Error).message}` };
    }
    for (const output of outputs) {
        await s3.send(
            new PutObjectCommand({
                Bucket: bucket,
                Key: output.key,
                Body: output.data,
                ContentType: "image/webp",
                CacheControl: "public, max-age=31536000, immutable",
                Metadata: { "source-key": encodeURIComponent(key) },
            }),
        );
    }
    return { status: "created", key, thumbnails: outputs.map((output) => output.key) };
}

const tooLarge = (size: number, settings: ThumbnailSettings): string =>
    `too large: ${size} bytes is over ${settings.maxSourceBytes}`;
