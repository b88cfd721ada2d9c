// Where product images live in the assets bucket: admins upload originals under uploads/ (the
// thumbnailer's trigger), the thumbnailer writes its renditions under thumbnails/ (served by
// CloudFront). The infrastructure uses the same prefixes (infra/edge/assets.ts,
// infra/async/functions.ts); a test keeps them in step.
export const SOURCE_PREFIX = "uploads/";
export const THUMBNAIL_PREFIX = "thumbnails/";

/** uploads/products/42/front.jpg → thumbnails/products/42/front-200w.webp */
export function thumbnailKey(sourceKey: string, width: number): string {
    const path = sourceKey.slice(SOURCE_PREFIX.length);
    const base = path.replace(/\.[^./]*$/, "");
    return `${THUMBNAIL_PREFIX}${base}-${width}w.webp`;
}
