// The catalogue's settings: the kit's (settings.ts) and what only it reads.
import { EnvReader, type Env } from "../../shared/env";
import { readServiceSettings, type ServiceSettings } from "../kit/settings";

export interface CatalogSettings extends ServiceSettings {
    /** The assets bucket: product images are uploaded under uploads/, thumbnailed under thumbnails/. */
    assetsBucket: string;
    /** The thumbnailer's widths (THUMBNAIL_WIDTHS, as the asynchronous tier configures it). */
    thumbnailWidths: number[];
    /** Largest image an admin may upload (the thumbnailer's MAX_SOURCE_BYTES). */
    uploadMaxBytes: number;
    /** How long a presigned upload form stays valid. */
    uploadExpirySeconds: number;
    /** Cache TTLs: the backstop behind invalidation (stock moved by orders is only seen after it). */
    productTtlSeconds: number;
    listingTtlSeconds: number;
}

export function readCatalogSettings(env?: Env): CatalogSettings {
    const r = new EnvReader(env);
    const settings: CatalogSettings = {
        ...readServiceSettings(r, "catalog"),
        assetsBucket: r.string("ASSETS_BUCKET"),
        thumbnailWidths: r.integerList("THUMBNAIL_WIDTHS", [200, 400], 16, 2048),
        uploadMaxBytes: r.integer("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, 1024, 100 * 1024 * 1024),
        uploadExpirySeconds: r.integer("UPLOAD_EXPIRY_SECONDS", 600, 60, 3600),
        productTtlSeconds: r.integer("CATALOG_PRODUCT_TTL_SECONDS", 300, 1, 86400),
        listingTtlSeconds: r.integer("CATALOG_LISTING_TTL_SECONDS", 60, 1, 86400),
    };
    r.done();
    return settings;
}
