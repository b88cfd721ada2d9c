// The servers the catalogue benchmark loads, in a process of their own (the load generator must
// not share their event loop): started on free loopback ports, announced on stdout as one JSON
// line, stopped on SIGTERM. Run by catalog.bench.ts under test/with-services.sh.
import Fastify from "fastify";
import { readFileSync } from "fs";
import Redis from "ioredis";
import { Pool } from "pg";
import pino from "pino";
import { SERVICE_ROLES } from "../../app/db/roles";
import { NoCache } from "../../app/services/kit/cache";
import type { ServiceKit } from "../../app/services/kit/service";
import { createCatalogService } from "../../app/services/catalog/service";
import { readCatalogSettings } from "../../app/services/catalog/settings";
import { roleEnv } from "../app/support/postgres";
import { testServices } from "../app/support/services";
import { cacheEnv, testCache } from "../app/services/support/cache-server";

const productId = process.argv[2];

async function main(): Promise<void> {
    const services = testServices();
    const cache = testCache();
    const env = {
        SERVICE_NAME: "catalog",
        AWS_REGION: "af-south-1",
        SITE_URL: "https://shop.example.co.za",
        ASSETS_BUCKET: "bench-assets",
        COGNITO_USER_POOL_ID: "af-south-1_Bench",
        COGNITO_CLIENT_ID: "bench",
        ...roleEnv(services, SERVICE_ROLES.catalog),
        ...cacheEnv(cache),
    };
    const quiet = pino({ level: "warn" });
    const listen = async (kit: ServiceKit) => {
        await kit.app.listen({ host: "127.0.0.1", port: 0 });
        return (kit.app.server.address() as { port: number }).port;
    };

    // (b) and (d): the catalogue as it runs, cache on; (c): the same with the cache off.
    const cached = await createCatalogService(readCatalogSettings(env), { logger: quiet });
    const uncached = await createCatalogService(readCatalogSettings(env), { logger: quiet, cache: new NoCache() });

    // (a): a minimal fastify route answering the product's bytes from Valkey (one GET).
    const redis = new Redis({
        host: cache.host,
        port: cache.port,
        password: cache.password,
        tls: { ca: readFileSync(cache.caFile) },
    });
    const bytes = (await cached.app.inject({ method: "GET", url: `/catalog/products/${productId}` })).body;
    await redis.set("bench:product", bytes);
    const minimalCache = Fastify();
    minimalCache.get("/product", async (_request, reply) =>
        reply.type("application/json").send(await redis.get("bench:product")),
    );

    // The floor of (c): a minimal fastify route reading the product's row by primary key.
    const pool = new Pool({ ...services.pg, max: 10 });
    const minimalDatabase = Fastify();
    minimalDatabase.get("/product", async () => {
        const { rows } = await pool.query({
            name: "product-by-id",
            text: "SELECT product_id, slug, title, description, brand, category_id, attributes FROM catalog.products WHERE product_id = $1",
            values: [productId],
        });
        return rows[0];
    });
    await minimalCache.listen({ host: "127.0.0.1", port: 0 });
    await minimalDatabase.listen({ host: "127.0.0.1", port: 0 });

    console.log(
        JSON.stringify({
            cached: await listen(cached),
            uncached: await listen(uncached),
            minimalCache: (minimalCache.server.address() as { port: number }).port,
            minimalDatabase: (minimalDatabase.server.address() as { port: number }).port,
        }),
    );
    process.on("SIGTERM", () => {
        Promise.allSettled([
            cached.close(),
            uncached.close(),
            minimalCache.close(),
            minimalDatabase.close(),
            pool.end(),
            redis.quit(),
        ]).then(() => process.exit(0));
    });
}

main().catch((error: Error) => {
    console.error(error);
    process.exit(1);
});
