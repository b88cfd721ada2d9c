import * as assert from "assert";
import type { Pool } from "pg";
import type { ServiceKit } from "../../../../app/services/kit/service";
import { adminPool, ALL_TABLES } from "../../support/postgres";
import { startCatalog, seedThroughApi } from "../support/catalog";
import { bearer, SITE_URL, startServiceTests, type ServiceTestContext } from "../support/harness";

describe("catalog service: public reads (PostgreSQL + redis-server)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let kit: ServiceKit;
    let pool: Pool;
    let ids: Record<string, string>;

    const get = async (url: string, headers: Record<string, string> = {}) =>
        kit.app.inject({ method: "GET", url, headers });
    const list = async (query: string) => {
        const response = await get(`/catalog/products?${query}`);
        assert.strictEqual(response.statusCode, 200, response.body);
        return response.json() as {
            items: { slug: string; price: { fromMinor: number }; availability: string }[];
            nextCursor: string | null;
        };
    };
    const slugs = async (query: string) => (await list(query)).items.map((item) => item.slug);

    before(async function () {
        context = await startServiceTests();
        pool = adminPool(context.services);
        await pool.query(`TRUNCATE ${ALL_TABLES} CASCADE`);
        kit = await startCatalog(context);
        ids = await seedThroughApi(kit, context.issuer.token({ groups: ["admins"] }));
    });

    after(async function () {
        await kit?.close();
        await pool?.end();
        await context?.stop();
    });

    it("answers the category tree depth first, parents before children, siblings by position", async function () {
        const response = await get("/catalog/categories");
        assert.strictEqual(response.statusCode, 200);
        assert.deepStrictEqual(
            response.json().categories.map((c: { id: string; path: string[] }) => [c.id, c.path.join("/")]),
            [
                ["home", "home"],
                ["kitchen", "home/kitchen"],
                ["electronics", "electronics"],
                ["phones", "electronics/phones"],
            ],
        );
    });

    it("shows a product by id or slug: every SKU's prices in minor units, availability, category path", async function () {
        const bySlug = await get("/catalog/products/electric-kettle");
        const byId = await get(`/catalog/products/${ids["electric-kettle"]}`);
        assert.strictEqual(bySlug.statusCode, 200);
        assert.deepStrictEqual(byId.json(), bySlug.json());
        const product = bySlug.json();
        assert.deepStrictEqual(
            {
                brand: product.brand,
                category: product.category,
                availability: product.availability,
                attributes: product.attributes,
            },
            {
                brand: "Defy",
                category: { id: "kitchen", name: "Kitchen", path: ["home", "kitchen"] },
                availability: "available",
                attributes: { capacity: "1.7 l" },
            },
        );
        assert.deepStrictEqual(
            product.skus.map((s: { sku: string; prices: object; availability: string }) => [
                s.sku,
                s.prices,
                s.availability,
            ]),
            [
                ["KETTLE-WHITE", { ZAR: 49900, NGN: 4200000, USD: 2700 }, "available"],
                ["KETTLE-BLACK", { ZAR: 52900, USD: 2900 }, "low"],
            ],
        );
        assert.strictEqual((await get("/catalog/products/cast-iron-pot")).json().availability, "out_of_stock");
    });

    it("answers 404 as problem details for a product that does not exist, and 400 for a malformed id", async function () {
        const missing = await get("/catalog/products/no-such-product");
        assert.strictEqual(missing.statusCode, 404);
        assert.match(missing.headers["content-type"] as string, /^application\/problem\+json/);
        const problem = missing.json();
        assert.deepStrictEqual(
            { type: problem.type, status: problem.status, instance: problem.instance, requestId: problem.requestId },
            {
                type: "urn:shop:problem:not-found",
                status: 404,
                instance: "/catalog/products/no-such-product",
                requestId: missing.headers["x-request-id"],
            },
        );
        assert.strictEqual((await get("/catalog/products/NOT_A_SLUG")).statusCode, 400);
    });

    it("lists what is sold in the currency, filtered by category (and its children), price range and stock", async function () {
        assert.deepStrictEqual((await slugs("currency=ZAR&sort=title")).sort(), [
            "bath-towel",
            "cast-iron-pot",
            "electric-kettle",
            "phone-case",
            "smartphone-x1",
        ]);
        // Only the phone is priced in cedis and shillings... and the towel in cedis, the pot in shillings.
        assert.deepStrictEqual(await slugs("currency=GHS&sort=title"), ["bath-towel", "smartphone-x1"]);
        assert.deepStrictEqual(await slugs("currency=ZAR&category=home&sort=title"), [
            "bath-towel",
            "cast-iron-pot",
            "electric-kettle",
        ]);
        assert.deepStrictEqual(await slugs("currency=ZAR&category=kitchen&availability=in_stock"), ["electric-kettle"]);
        assert.deepStrictEqual(await slugs("currency=ZAR&minPrice=19900&maxPrice=89900&sort=price_asc"), [
            "bath-towel",
            "electric-kettle",
            "cast-iron-pot",
        ]);
        const kettle = (await list("currency=USD&category=kitchen&sort=price_desc")).items;
        assert.deepStrictEqual(
            kettle.map((item) => [item.slug, item.price.fromMinor, item.availability]),
            [
                ["cast-iron-pot", 4900, "out_of_stock"],
                ["electric-kettle", 2700, "available"],
            ],
        );
    });

    it("pages with keyset cursors through every sort: each product once, in order", async function () {
        for (const sort of ["newest", "price_asc", "price_desc", "title"]) {
            const seen: string[] = [];
            let cursor: string | null = null;
            do {
                const page: { items: { slug: string }[]; nextCursor: string | null } = await list(
                    `currency=ZAR&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
                );
                seen.push(...page.items.map((item) => item.slug));
                cursor = page.nextCursor;
            } while (cursor);
            assert.deepStrictEqual(seen, await slugs(`currency=ZAR&sort=${sort}`), sort);
            assert.strictEqual(seen.length, 5, sort);
        }
    });

    it("searches with full text (title above description) and tolerates typos", async function () {
        assert.deepStrictEqual(await slugs("currency=ZAR&q=kettle"), ["electric-kettle", "phone-case"]);
        assert.deepStrictEqual(await slugs("currency=ZAR&q=ketle"), ["electric-kettle"]);
        // Stemmed: "smartphon" is the stem of "Smartphone", which the case's description names too.
        assert.deepStrictEqual(await slugs("currency=ZAR&q=smartphon"), ["smartphone-x1", "phone-case"]);
        assert.deepStrictEqual(await slugs("currency=ZAR&q=potjiekos"), ["cast-iron-pot"]);
        const firstPage = await list("currency=ZAR&q=kettle&limit=1");
        assert.deepStrictEqual(
            (await list(`currency=ZAR&q=kettle&limit=1&cursor=${firstPage.nextCursor}`)).items.map((item) => item.slug),
            ["phone-case"],
        );
        assert.deepStrictEqual(await slugs("currency=ZAR&q=zzzzqqqq"), []);
    });

    it("refuses bad listing queries with 400 and names each field", async function () {
        const cases: [string, string][] = [
            ["", "querystring.currency"],
            ["currency=EUR", "querystring.currency"],
            ["currency=ZAR&limit=0", "querystring.limit"],
            ["currency=ZAR&minPrice=-1", "querystring.minPrice"],
            ["currency=ZAR&sort=cheapest", "querystring.sort"],
            ["currency=ZAR&colour=red", "querystring.colour"],
        ];
        for (const [query, field] of cases) {
            const response = await get(`/catalog/products?${query}`);
            assert.strictEqual(response.statusCode, 400, query);
            assert.ok(
                response.json().errors.some((e: { field: string }) => e.field === field),
                `${query}: ${response.body}`,
            );
        }
        for (const query of [
            "currency=ZAR&sort=relevance",
            "currency=ZAR&minPrice=500&maxPrice=100",
            "currency=ZAR&cursor=bm90LWEtY3Vyc29y",
            `currency=ZAR&sort=title&cursor=${Buffer.from(JSON.stringify(["newest", "x", ids["bath-towel"]])).toString("base64url")}`,
            `currency=ZAR&sort=price_asc&cursor=${Buffer.from(JSON.stringify(["price_asc", "1; DROP TABLE", ids["bath-towel"]])).toString("base64url")}`,
        ]) {
            const response = await get(`/catalog/products?${query}`);
            assert.strictEqual(response.statusCode, 400, `${query}: ${response.body}`);
        }
    });

    it("carries an ETag and Cache-Control on public reads, and answers 304 when the client has the bytes", async function () {
        for (const url of [
            "/catalog/products/electric-kettle",
            "/catalog/products?currency=ZAR",
            "/catalog/categories",
        ]) {
            const first = await get(url);
            assert.match(first.headers.etag as string, /^"[A-Za-z0-9_-]{27}"$/);
            assert.match(first.headers["cache-control"] as string, /^public, max-age=\d+, s-maxage=\d+/);
            const again = await get(url, { "if-none-match": `W/${first.headers.etag}, "other"` });
            assert.strictEqual(again.statusCode, 304, url);
            assert.strictEqual(again.body, "");
            assert.strictEqual((await get(url, { "if-none-match": '"stale"' })).statusCode, 200);
        }
    });

    it("ignores a token on public reads (nothing there is personal), even a forged one", async function () {
        for (const token of [context.issuer.token(), context.issuer.token({ foreignKey: true }), "garbage"]) {
            assert.strictEqual((await get("/catalog/products/electric-kettle", bearer(token))).statusCode, 200);
        }
    });

    it("gives image and thumbnail URLs on the site's domain, under thumbnails/", async function () {
        const admin = bearer(context.issuer.token({ groups: ["admins"] }));
        const objectKey = `uploads/products/${ids["bath-towel"]}/front.jpg`;
        const added = await kit.app.inject({
            method: "POST",
            url: `/catalog/admin/products/${ids["bath-towel"]}/images`,
            headers: admin,
            payload: { objectKey, alt: "A blue towel", position: 0 },
        });
        assert.strictEqual(added.statusCode, 200, added.body);
        const [image] = (await get("/catalog/products/bath-towel")).json().images;
        const base = `${SITE_URL}/thumbnails/products/${ids["bath-towel"]}/front`;
        assert.deepStrictEqual(image, {
            url: `${base}-400w.webp`,
            thumbnailUrl: `${base}-200w.webp`,
            renditions: { "200": `${base}-200w.webp`, "400": `${base}-400w.webp` },
            alt: "A blue towel",
            position: 0,
        });
        const item = (await list("currency=ZAR&category=home&q=towel")).items[0] as unknown as { thumbnailUrl: string };
        assert.strictEqual(item.thumbnailUrl, `${base}-200w.webp`);
    });

    it("describes every route in its OpenAPI document at /catalog/openapi.json", async function () {
        const response = await get("/catalog/openapi.json");
        assert.strictEqual(response.statusCode, 200);
        const document = response.json();
        assert.strictEqual(document.openapi, "3.1.0");
        const routes = Object.entries(document.paths as Record<string, object>).flatMap(([path, methods]) =>
            Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
        );
        assert.deepStrictEqual(routes.sort(), [
            "DELETE /catalog/admin/products/{productId}/images/{position}",
            "GET /catalog/admin/products/{productId}",
            "GET /catalog/categories",
            "GET /catalog/products",
            "GET /catalog/products/{product}",
            "PATCH /catalog/admin/products/{productId}",
            "PATCH /catalog/admin/skus/{sku}",
            "POST /catalog/admin/products",
            "POST /catalog/admin/products/{productId}/archive",
            "POST /catalog/admin/products/{productId}/images",
            "POST /catalog/admin/products/{productId}/skus",
            "POST /catalog/admin/skus/{sku}/archive",
            "POST /catalog/admin/uploads",
            "PUT /catalog/admin/categories/{categoryId}",
            "PUT /catalog/admin/skus/{sku}/prices",
            "PUT /catalog/admin/skus/{sku}/stock",
        ]);
        assert.ok(document.paths["/catalog/products"].get.responses["400"], "problem responses are documented");
    });
});
