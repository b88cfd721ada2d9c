// Image uploads go straight from the admin's browser to S3 with a presigned POST: the service
// signs a form that allows exactly one key under uploads/products/<product>/, one of the image
// content types, and at most the thumbnailer's size limit, for a few minutes. S3 enforces the
// form's conditions; the bytes never pass through the service. The upload triggers the
// thumbnailer, whose renditions under thumbnails/ are what the catalogue shows.
import { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { randomUUID } from "crypto";
import { SOURCE_PREFIX } from "../../shared/media-keys";
import type { UPLOAD_CONTENT_TYPES } from "./schemas";

const EXTENSIONS: Record<(typeof UPLOAD_CONTENT_TYPES)[number], string> = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
};

export interface UploadForm {
    url: string;
    fields: Record<string, string>;
    objectKey: string;
    maxBytes: number;
    expiresAt: string;
}

export class UploadSigner {
    constructor(
        private readonly s3: S3Client,
        private readonly bucket: string,
        private readonly maxBytes: number,
        private readonly expirySeconds: number,
    ) {}

    async sign(productId: string, contentType: (typeof UPLOAD_CONTENT_TYPES)[number]): Promise<UploadForm> {
        const objectKey = `${SOURCE_PREFIX}products/${productId}/${randomUUID()}.${EXTENSIONS[contentType]}`;
        const { url, fields } = await createPresignedPost(this.s3, {
            Bucket: this.bucket,
            Key: objectKey,
            Conditions: [
                ["content-length-range", 1, this.maxBytes],
                ["eq", "$Content-Type", contentType],
            ],
            Fields: { "Content-Type": contentType },
            Expires: this.expirySeconds,
        });
        return {
            url,
            fields,
            objectKey,
            maxBytes: this.maxBytes,
            expiresAt: new Date(Date.now() + this.expirySeconds * 1000).toISOString(),
        };
    }
}
