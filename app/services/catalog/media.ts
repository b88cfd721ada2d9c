// Where product images are shown from: the thumbnailer writes renditions of each upload under
// thumbnails/ (app/functions/thumbnailer), and CloudFront serves thumbnails/* from the assets
// bucket on the site's own domain. The originals under uploads/ are never served.
import { thumbnailKey } from "../../shared/media-keys";

export interface ImageRow {
    object_key: string;
    alt_text: string;
    position: number;
}

export class ImageUrls {
    private readonly widths: number[];

    constructor(
        private readonly siteUrl: string,
        widths: number[],
    ) {
        this.widths = [...widths].sort((a, b) => a - b);
    }

    rendition(objectKey: string, width: number): string {
        return `${this.siteUrl}/${thumbnailKey(objectKey, width)}`;
    }

    /** The smallest rendition: for listings. */
    thumbnail(objectKey: string): string {
        return this.rendition(objectKey, this.widths[0]);
    }

    image(row: ImageRow) {
        return {
            url: this.rendition(row.object_key, this.widths[this.widths.length - 1]),
            thumbnailUrl: this.thumbnail(row.object_key),
            renditions: Object.fromEntries(
                this.widths.map((width) => [String(width), this.rendition(row.object_key, width)]),
            ),
            alt: row.alt_text,
            position: row.position,
        };
    }
}
