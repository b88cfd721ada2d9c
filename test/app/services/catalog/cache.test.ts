import * as assert from "assert";
import { readFileSync } from "fs";
import Redis from "ioredis";
import type { Pool } from "pg";
import { ValkeyCache } from "../../../../app/services/kit/cache";
import type { ServiceKit } from "../../../../app/services/kit/service";
import { readServiceSettings } from "../../../../app/services/kit/settings";
import { EnvReader } from "../../../../app/shared/env";
import { adminPool, ALL_TABLES } from "../../support/postgres";
import { killCache, startCache } from "../support/cache-server";
import { seedThroughApi, startCatalog } from "../support/catalog";
import { bearer, serviceEnv, startServiceTests, type ServiceTestContext } from "../support/harness";

describe("catalog service: cache-aside on Valkey (redis-server, killed and restarted)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let kit: ServiceKit;
    let pool: Pool;
    let admin: Record<string, string>;
    let ids: Record<string, string>;

    const title = async (slug = "electric-kettle") =>
        (await kit.app.inject({ method: "GET", url: `/catalog/products/${slug}` })).json().title as string;
    const kettleAvailability = async () =>
        (await kit.app.inject({ method: "GET", url: "/catalog/products?currency=ZAR&category=kitchen" }))
            .json()
            .items.find((item: { slug: string }) => item.slug === "electric-kettle").availability as string;
    /** Changes the database behind the service's back: only a cache miss can see it. */
    const renameInDatabase = (name: string) =>
        pool.query("UPDATE catalog.products SET title = $1 WHERE slug = 'electric-kettle'", [name]);

    before(async function () {
        context = await startServiceTests();
        pool = adminPool(context.services);
        await pool.query(`TRUNCATE ${ALL_TABLES} CASCADE`);
        // A cache that stays "down" only briefly, so that the outage tests are quick.
        const settings = readServiceSettings(new EnvReader(serviceEnv(context, "catalog")), "catalog");
        kit = await startCatalog(context, {
            cache: new ValkeyCache(settings.cache, {
                namespace: `catalog-${Date.now()}:`,
                onError: () => undefined,
                downForMs: 300,
            }),
        });
        admin = bearer(context.issuer.token({ groups: ["admins"] }));
        ids = await seedThroughApi(kit, context.issuer.token({ groups: ["admins"] }));
    });

    after(async function () {
        await kit?.close();
        await pool?.end();
        await context?.stop();
    });

    it("serves a read again from the cache: a change made behind the service's back is not seen", async function () {
        assert.strictEqual(await title(), "Electric Kettle");
        await renameInDatabase("Renamed Behind Its Back");
        assert.strictEqual(await title(), "Electric Kettle");
        await renameInDatabase("Electric Kettle");
    });

    it("invalidates the product and the listings on every write, on every key they were read by", async function () {
        assert.strictEqual(await title(), "Electric Kettle");
        assert.strictEqual(await title(ids["electric-kettle"]), "Electric Kettle");
        assert.strictEqual(await kettleAvailability(), "available");

        const changed = await kit.app.inject({
            method: "PATCH",
            url: `/catalog/admin/products/${ids["electric-kettle"]}`,
            headers: admin,
            payload: { title: "Kettle 2000" },
        });
        assert.strictEqual(changed.statusCode, 200);
        assert.strictEqual(await title(), "Kettle 2000");
        assert.strictEqual(await title(ids["electric-kettle"]), "Kettle 2000");

        for (const sku of ["KETTLE-WHITE", "KETTLE-BLACK"])
            await kit.app.inject({
                method: "PUT",
                url: `/catalog/admin/skus/${sku}/stock`,
                headers: admin,
                payload: { onHand: 0 },
            });
        assert.strictEqual(await kettleAvailability(), "out_of_stock");
        await kit.app.inject({
            method: "PUT",
            url: "/catalog/admin/skus/KETTLE-WHITE/stock",
            headers: admin,
            payload: { onHand: 50 },
        });
    });

    it("keeps serving from PostgreSQL when the cache server is killed, healthy, and caches again once it is back", async function () {
        assert.strictEqual(await title(), "Kettle 2000");
        await killCache(context.cache);
        try {
            await renameInDatabase("Served From PostgreSQL");
            assert.strictEqual(await title(), "Served From PostgreSQL");
            const health = await kit.app.inject({ method: "GET", url: "/healthz" });
            assert.deepStrictEqual(
                [health.statusCode, health.json()],
                [200, { status: "ok", database: "up", cache: "down" }],
            );
            // Writes go on too; their invalidations wait for the cache.
            const write = await kit.app.inject({
                method: "PATCH",
                url: `/catalog/admin/products/${ids["electric-kettle"]}`,
                headers: admin,
                payload: { title: "Written While Down" },
            });
            assert.strictEqual(write.statusCode, 200);
            assert.strictEqual(await title(), "Written While Down");
        } finally {
            await startCache(context.cache);
        }
        await new Promise((resolve) => setTimeout(resolve, 400));
        assert.strictEqual(await title(), "Written While Down");
        await renameInDatabase("Cached Again?");
        assert.strictEqual(await title(), "Written While Down", "the cache is used again");
        assert.strictEqual((await kit.app.inject({ method: "GET", url: "/healthz" })).json().cache, "up");
    });

    it("does not serve what a write replaced while the cache stalled (the invalidation is sent before the next read)", async function () {
        await renameInDatabase("Before The Stall");
        await kit.app.inject({
            method: "PATCH",
            url: `/catalog/admin/products/${ids["electric-kettle"]}`,
            headers: admin,
            payload: { title: "Before The Stall" },
        });
        assert.strictEqual(await title(), "Before The Stall"); // cached
        // The server stops answering writes for a while (keeping its data): the invalidation times out.
        const operator = new Redis({
            host: context.cache.host,
            port: context.cache.port,
            password: context.cache.password,
            tls: { ca: readFileSync(context.cache.caFile) },
        });
        await operator.call("CLIENT", "PAUSE", "800", "WRITE");
        const write = await kit.app.inject({
            method: "PATCH",
            url: `/catalog/admin/products/${ids["electric-kettle"]}`,
            headers: admin,
            payload: { title: "After The Stall" },
        });
        assert.strictEqual(write.statusCode, 200);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await operator.quit();
        assert.strictEqual(await title(), "After The Stall");
    });

    it("lets a TTL expire what nothing invalidated (stock moved by the order pipeline)", async function () {
        const shortLived = await startCatalog(context, { env: { CATALOG_PRODUCT_TTL_SECONDS: "1" } });
        try {
            const read = async () =>
                (await shortLived.app.inject({ method: "GET", url: "/catalog/products/bath-towel" })).json();
            assert.strictEqual((await read()).availability, "available");
            await pool.query("UPDATE catalog.stock SET reserved = on_hand WHERE sku = 'TOWEL-BLUE'");
            assert.strictEqual((await read()).availability, "available");
            await new Promise((resolve) => setTimeout(resolve, 1200));
            assert.strictEqual((await read()).availability, "out_of_stock");
        } finally {
            await shortLived.close();
        }
    });
});
