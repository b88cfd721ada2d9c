import * as assert from "assert";
import type { Pool } from "pg";
import { SERVICE_ROLES } from "../../../../app/db/roles";
import { CURRENCIES } from "../../../../app/shared/currencies";
import { adminPool, ALL_TABLES, roleEnv } from "../../support/postgres";
import { runTypeScript } from "../../support/processes";
import { startServiceTests, type ServiceTestContext } from "../support/harness";

describe("catalog seed: the demo catalogue (`npm run seed`, PostgreSQL)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let pool: Pool;

    before(async function () {
        context = await startServiceTests();
        pool = adminPool(context.services);
        await pool.query(`TRUNCATE ${ALL_TABLES} CASCADE`);
    });

    after(async function () {
        await pool?.end();
        await context?.stop();
    });

    it("loads a few hundred products over several categories, priced in the five currencies, as svc_catalog; then adds nothing more", async function () {
        const env = { ...process.env, ...roleEnv(context.services, SERVICE_ROLES.catalog) };
        const first = await runTypeScript("app/services/catalog/seed.ts", env);
        assert.strictEqual(first.code, 0, first.stderr);
        const loaded = JSON.parse(first.stdout.trim());
        assert.strictEqual(loaded.productsKept, 0);
        assert.ok(loaded.productsAdded >= 200 && loaded.productsAdded <= 500, String(loaded.productsAdded));

        const [counts] = (
            await pool.query(`SELECT
                (SELECT count(*)::int FROM catalog.products) AS products,
                (SELECT count(*)::int FROM catalog.skus) AS skus,
                (SELECT count(DISTINCT category_id)::int FROM catalog.products) AS categories,
                (SELECT array_agg(DISTINCT currency ORDER BY currency) FROM catalog.prices) AS currencies,
                (SELECT count(*)::int FROM catalog.stock WHERE on_hand = 0) AS out_of_stock,
                (SELECT count(*)::int FROM catalog.skus s WHERE NOT EXISTS (SELECT 1 FROM catalog.prices p WHERE p.sku = s.sku AND p.currency = 'ZAR')) AS unpriced_in_rand`)
        ).rows;
        assert.strictEqual(counts.products, loaded.productsAdded);
        assert.ok(counts.skus > counts.products);
        assert.ok(counts.categories >= 8);
        assert.deepStrictEqual(counts.currencies, [...CURRENCIES].sort());
        assert.ok(counts.out_of_stock > 0);
        assert.strictEqual(counts.unpriced_in_rand, 0);

        const again = await runTypeScript("app/services/catalog/seed.ts", env);
        assert.strictEqual(again.code, 0, again.stderr);
        assert.deepStrictEqual(JSON.parse(again.stdout.trim()), {
            ...loaded,
            productsAdded: 0,
            productsKept: loaded.productsAdded,
        });
    });
});
