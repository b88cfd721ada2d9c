// The catalogue service, assembled: the kit, then its domain modules with their dependencies,
// then its routes. main.ts runs it; the tests and the benchmark build it the same way.
import { S3Client } from "@aws-sdk/client-s3";
import { createServiceKit, type KitOverrides, type ServiceKit } from "../kit/service";
import { CatalogAdmin } from "./admin";
import { ImageUrls } from "./media";
import { CatalogReads } from "./reads";
import { catalogRoutes } from "./routes";
import type { CatalogSettings } from "./settings";
import { UploadSigner } from "./uploads";

export const CATALOG_INFO = {
    version: "1.0.0",
    description:
        "Products, SKUs, prices in each market currency, stock availability and categories; " +
        "public cached reads and admin writes",
};

export async function createCatalogService(
    settings: CatalogSettings,
    overrides: KitOverrides = {},
): Promise<ServiceKit> {
    const kit = await createServiceKit(settings, CATALOG_INFO, overrides);
    const images = new ImageUrls(settings.siteUrl, settings.thumbnailWidths);
    const reads = new CatalogReads(kit.db, kit.cache, images, settings);
    const uploads = new UploadSigner(
        new S3Client({}),
        settings.assetsBucket,
        settings.uploadMaxBytes,
        settings.uploadExpirySeconds,
    );
    catalogRoutes(kit.app, {
        reads,
        admin: new CatalogAdmin(kit.db, kit.cache),
        uploads,
        auth: kit.auth,
        freshness: {
            product: { maxAgeSeconds: 60, sharedMaxAgeSeconds: settings.productTtlSeconds },
            listing: { maxAgeSeconds: 30, sharedMaxAgeSeconds: settings.listingTtlSeconds },
        },
    });
    return kit;
}
