// `npm run seed`: loads the demo catalogue (demo-catalogue.ts) through the catalogue's own write
// path and role (svc_catalog, DB_* as the service reads them), so the cache is invalidated as
// for any admin write when CACHE_* are set. Run again, it adds only what is missing.
//   DB_HOST=127.0.0.1 DB_NAME=shop DB_AUTH=password DB_USER=svc_catalog DB_PASSWORD=... DB_SSL_MODE=disable npm run seed
import { readDatabaseSettings } from "../../db/connection";
import { EnvReader } from "../../shared/env";
import { NoCache, ValkeyCache, type Cache } from "../kit/cache";
import { Postgres } from "../kit/postgres";
import { Problem } from "../kit/problems";
import type { CacheSettings } from "../kit/settings";
import { CatalogAdmin } from "./admin";
import { demoCatalogue } from "./demo-catalogue";

export interface SeedResult {
    categories: number;
    productsAdded: number;
    productsKept: number;
}

/** Adds the demo catalogue's categories and the products whose slug is not taken yet. */
export async function seedCatalogue(admin: CatalogAdmin, productsPerFamily?: number): Promise<SeedResult> {
    const { categories, products } = demoCatalogue(productsPerFamily);
    for (const { id, ...category } of categories) await admin.putCategory(id, category);
    let added = 0;
    for (const product of products) {
        try {
            await admin.createProduct(product);
            added++;
        } catch (error) {
            if (!(error instanceof Problem && error.status === 409)) throw error;
        }
    }
    return { categories: categories.length, productsAdded: added, productsKept: products.length - added };
}

async function main(): Promise<void> {
    const env = new EnvReader();
    const db = readDatabaseSettings(env, { auth: ["iam", "password"], maxConnections: 4 });
    const cacheHost = env.optionalString("CACHE_HOST");
    const cacheSettings: CacheSettings | undefined = cacheHost
        ? {
              host: cacheHost,
              readerHost: cacheHost,
              port: env.integer("CACHE_PORT", 6379, 1, 65535),
              tls: env.boolean("CACHE_TLS", true),
              caFile: env.optionalString("CACHE_CA_FILE"),
              authToken: env.optionalString("CACHE_AUTH_TOKEN"),
              commandTimeoutMs: 1000,
          }
        : undefined;
    env.done();
    const postgres = await Postgres.connect(db, {
        applicationName: "catalog-seed",
        onConnectionError: () => undefined,
    });
    const cache: Cache = cacheSettings
        ? new ValkeyCache(cacheSettings, { namespace: "catalog:", onError: () => undefined })
        : new NoCache();
    await cache.connect(2000);
    try {
        const result = await seedCatalogue(new CatalogAdmin(postgres, cache));
        console.log(JSON.stringify({ message: "demo catalogue loaded", ...result }));
    } finally {
        await Promise.allSettled([postgres.end(), cache.close()]);
    }
}

if (require.main === module) {
    main().catch((error: Error) => {
        console.error(JSON.stringify({ message: "seeding failed", error: error.message }));
        process.exitCode = 1;
    });
}
