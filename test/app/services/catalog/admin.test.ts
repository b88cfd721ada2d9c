import * as assert from "assert";
import { createHmac } from "crypto";
import type { Pool } from "pg";
import type { ServiceKit } from "../../../../app/services/kit/service";
import { adminPool, ALL_TABLES } from "../../support/postgres";
import { REGION } from "../../support/services";
import { PRODUCTS, seedThroughApi, startCatalog } from "../support/catalog";
import { ASSETS_BUCKET, bearer, startServiceTests, type ServiceTestContext } from "../support/harness";

describe("catalog service: admin routes (PostgreSQL + redis-server)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let kit: ServiceKit;
    let pool: Pool;
    let ids: Record<string, string>;
    let admin: Record<string, string>;

    const call = (
        method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
        url: string,
        payload?: object,
        headers = admin,
    ) => kit.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const publicProduct = async (slug: string) => kit.app.inject({ method: "GET", url: `/catalog/products/${slug}` });

    before(async function () {
        context = await startServiceTests();
        pool = adminPool(context.services);
        await pool.query(`TRUNCATE ${ALL_TABLES} CASCADE`);
        kit = await startCatalog(context);
        admin = bearer(context.issuer.token({ groups: ["admins"] }));
        ids = await seedThroughApi(kit, context.issuer.token({ groups: ["admins"] }));
    });

    after(async function () {
        await kit?.close();
        await pool?.end();
        await context?.stop();
    });

    it("lets only a valid admins-group token through: 401 without or with a bad token, 403 for a customer", async function () {
        const issuer = context.issuer;
        const routes: [string, string, object?][] = [
            ["GET", `/catalog/admin/products/${ids["bath-towel"]}`],
            ["POST", "/catalog/admin/products", PRODUCTS[0]],
            ["PATCH", `/catalog/admin/products/${ids["bath-towel"]}`, { title: "Towel" }],
            ["POST", `/catalog/admin/products/${ids["bath-towel"]}/archive`],
            ["POST", `/catalog/admin/products/${ids["bath-towel"]}/skus`, PRODUCTS[0].skus[0]],
            ["PATCH", "/catalog/admin/skus/TOWEL-BLUE", { name: "x" }],
            ["POST", "/catalog/admin/skus/TOWEL-BLUE/archive"],
            ["PUT", "/catalog/admin/skus/TOWEL-BLUE/prices", { ZAR: 1 }],
            ["PUT", "/catalog/admin/skus/TOWEL-BLUE/stock", { onHand: 1 }],
            ["POST", "/catalog/admin/uploads", { productId: ids["bath-towel"], contentType: "image/png" }],
            ["POST", `/catalog/admin/products/${ids["bath-towel"]}/images`, { objectKey: "uploads/x", position: 0 }],
            ["DELETE", `/catalog/admin/products/${ids["bath-towel"]}/images/0`],
            ["PUT", "/catalog/admin/categories/garden", { name: "Garden" }],
        ];
        const refused: [string, Record<string, string>, number][] = [
            ["no token", {}, 401],
            ["not a bearer token", { authorization: "Basic YWRtaW46YWRtaW4=" }, 401],
            [
                "another issuer",
                bearer(
                    issuer.token({
                        groups: ["admins"],
                        issuer: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_Other",
                    }),
                ),
                401,
            ],
            ["another client", bearer(issuer.token({ groups: ["admins"], clientId: "another-app" })), 401],
            ["expired", bearer(issuer.token({ groups: ["admins"], expiresIn: -60 })), 401],
            ["an ID token", bearer(issuer.token({ groups: ["admins"], tokenUse: "id" })), 401],
            ["alg none", bearer(issuer.unsignedToken({ groups: ["admins"] })), 401],
            ["signed by another key", bearer(issuer.token({ groups: ["admins"], foreignKey: true })), 401],
            ["a customer", bearer(issuer.token({ groups: ["customers"] })), 403],
        ];
        for (const [method, url, payload] of routes) {
            for (const [why, headers, status] of refused) {
                const response = await call(method as "GET", url, payload, headers);
                assert.strictEqual(response.statusCode, status, `${method} ${url} with ${why}: ${response.body}`);
                assert.strictEqual(response.json().status, status);
                if (status === 401) assert.match(response.headers["www-authenticate"] as string, /^Bearer/);
            }
        }
        // Nothing was changed by any of them.
        assert.strictEqual((await publicProduct("bath-towel")).json().title, "Bath Towel");
    });

    it("creates a product with its SKUs, prices and stock, and refuses a bad one with every field named", async function () {
        const created = await call("POST", "/catalog/admin/products", {
            slug: "maize-meal",
            title: "Maize Meal",
            brand: "Iwisa",
            categoryId: "kitchen",
            skus: [
                {
                    sku: "MAIZE-5KG",
                    name: "Maize Meal, 5 kg",
                    prices: { ZAR: 7999, KES: 55000 },
                    stock: { onHand: 40, lowStockThreshold: 10 },
                },
            ],
        });
        assert.strictEqual(created.statusCode, 201, created.body);
        assert.strictEqual(created.headers.location, `/catalog/admin/products/${created.json().id}`);
        assert.deepStrictEqual(created.json().skus[0], {
            sku: "MAIZE-5KG",
            name: "Maize Meal, 5 kg",
            attributes: {},
            status: "active",
            position: 0,
            prices: { KES: 55000, ZAR: 7999 },
            stock: { onHand: 40, reserved: 0, lowStockThreshold: 10 },
        });
        assert.strictEqual((await publicProduct("maize-meal")).statusCode, 200);

        const bad = await call("POST", "/catalog/admin/products", {
            slug: "Not A Slug",
            brand: "",
            categoryId: "kitchen",
            colour: "red",
            skus: [{ sku: "lower-case", name: "x", prices: { EUR: 100, ZAR: -1 }, stock: { onHand: 1.5 } }],
        });
        assert.strictEqual(bad.statusCode, 400);
        const fields = bad.json().errors.map((e: { field: string }) => e.field);
        for (const field of [
            "body.slug",
            "body.title",
            "body.brand",
            "body.colour",
            "body.skus.0.sku",
            "body.skus.0.prices.EUR",
            "body.skus.0.prices.ZAR",
            "body.skus.0.stock.onHand",
        ])
            assert.ok(fields.includes(field), `${field} in ${fields.join(", ")}`);

        const duplicate = await call("POST", "/catalog/admin/products", {
            ...PRODUCTS[4],
            skus: [{ ...PRODUCTS[4].skus[0], sku: "TOWEL-RED" }],
        });
        assert.strictEqual(duplicate.statusCode, 409);
        assert.match(duplicate.json().detail, /slug bath-towel/);
        const sameSku = await call("POST", "/catalog/admin/products", { ...PRODUCTS[4], slug: "towel-2" });
        assert.strictEqual(sameSku.statusCode, 409);
        const noCategory = await call("POST", "/catalog/admin/products", {
            ...PRODUCTS[4],
            slug: "towel-3",
            categoryId: "garden",
            skus: [{ ...PRODUCTS[4].skus[0], sku: "TOWEL-3" }],
        });
        assert.strictEqual(noCategory.statusCode, 422);
        assert.strictEqual((await publicProduct("towel-3")).statusCode, 404, "nothing of a refused product is kept");
        assert.strictEqual(
            (await pool.query("SELECT count(*)::int AS n FROM catalog.skus WHERE sku = 'TOWEL-3'")).rows[0].n,
            0,
        );
    });

    it("changes a product (a new slug moves it), archives it (no longer shown or listed), 404 for an unknown one", async function () {
        const id = ids["phone-case"];
        const changed = await call("PATCH", `/catalog/admin/products/${id}`, { slug: "x1-case", title: "X1 Case" });
        assert.strictEqual(changed.statusCode, 200, changed.body);
        assert.strictEqual((await publicProduct("phone-case")).statusCode, 404);
        assert.strictEqual((await publicProduct("x1-case")).json().title, "X1 Case");
        assert.strictEqual((await call("PATCH", `/catalog/admin/products/${id}`, {})).statusCode, 400);
        assert.strictEqual(
            (await call("PATCH", `/catalog/admin/products/${id}`, { categoryId: "nowhere" })).statusCode,
            422,
        );

        assert.strictEqual((await call("POST", `/catalog/admin/products/${id}/archive`)).json().status, "archived");
        assert.strictEqual((await publicProduct("x1-case")).statusCode, 404);
        const listed = await kit.app.inject({ method: "GET", url: "/catalog/products?currency=ZAR&category=phones" });
        assert.deepStrictEqual(
            listed.json().items.map((item: { slug: string }) => item.slug),
            ["smartphone-x1"],
        );
        // The admin view keeps it, archived.
        assert.strictEqual((await call("GET", `/catalog/admin/products/${id}`)).json().status, "archived");

        const unknown = "00000000-0000-4000-8000-000000000000";
        for (const [method, url, body] of [
            ["GET", `/catalog/admin/products/${unknown}`],
            ["PATCH", `/catalog/admin/products/${unknown}`, { title: "x" }],
            ["POST", `/catalog/admin/products/${unknown}/archive`],
            ["POST", `/catalog/admin/products/${unknown}/skus`, { ...PRODUCTS[0].skus[0], sku: "NEW-1" }],
            ["PATCH", "/catalog/admin/skus/NO-SUCH-SKU", { name: "x" }],
            ["PUT", "/catalog/admin/skus/NO-SUCH-SKU/prices", { ZAR: 1 }],
            ["PUT", "/catalog/admin/skus/NO-SUCH-SKU/stock", { onHand: 1 }],
            ["POST", "/catalog/admin/skus/NO-SUCH-SKU/archive"],
            ["POST", "/catalog/admin/uploads", { productId: unknown, contentType: "image/png" }],
        ] as [string, string, object?][]) {
            assert.strictEqual((await call(method as "GET", url, body)).statusCode, 404, `${method} ${url}`);
        }
    });

    it("adds, changes and archives SKUs, and replaces their prices: a currency left out is no longer sold in", async function () {
        const id = ids["smartphone-x1"];
        const added = await call("POST", `/catalog/admin/products/${id}/skus`, {
            sku: "PHONE-X1-128",
            name: "Smartphone X1, 128 GB",
            attributes: { storage: "128 GB" },
            prices: { ZAR: 449900, USD: 24900 },
            stock: { onHand: 5 },
        });
        assert.strictEqual(added.statusCode, 201, added.body);
        assert.deepStrictEqual(
            added.json().skus.map((s: { sku: string; position: number }) => [s.sku, s.position]),
            [
                ["PHONE-X1-64", 0],
                ["PHONE-X1-128", 1],
            ],
        );
        const renamed = await call("PATCH", "/catalog/admin/skus/PHONE-X1-128", { name: "X1, 128 GB", position: 0 });
        assert.strictEqual(renamed.statusCode, 200);
        assert.deepStrictEqual(
            (await publicProduct("smartphone-x1")).json().skus.map((s: { sku: string }) => s.sku),
            ["PHONE-X1-128", "PHONE-X1-64"],
        );

        const priced = await call("PUT", "/catalog/admin/skus/PHONE-X1-64/prices", { ZAR: 379900, USD: 20900 });
        assert.deepStrictEqual(priced.json().skus.find((s: { sku: string }) => s.sku === "PHONE-X1-64").prices, {
            USD: 20900,
            ZAR: 379900,
        });
        const inNaira = await kit.app.inject({ method: "GET", url: "/catalog/products?currency=NGN&category=phones" });
        assert.deepStrictEqual(inNaira.json().items, [], "no longer sold in naira");
        for (const body of [{}, { ZAR: 1.5 }, { EUR: 100 }, { ZAR: -5 }])
            assert.strictEqual(
                (await call("PUT", "/catalog/admin/skus/PHONE-X1-64/prices", body)).statusCode,
                400,
                JSON.stringify(body),
            );

        const archived = await call("POST", "/catalog/admin/skus/PHONE-X1-128/archive");
        assert.strictEqual(
            archived.json().skus.find((s: { sku: string }) => s.sku === "PHONE-X1-128").status,
            "archived",
        );
        assert.deepStrictEqual(
            (await publicProduct("smartphone-x1")).json().skus.map((s: { sku: string }) => s.sku),
            ["PHONE-X1-64"],
        );
    });

    it("sets stock levels, never below what orders have reserved (409), and shows the availability", async function () {
        await pool.query("UPDATE catalog.stock SET reserved = 4 WHERE sku = 'TOWEL-BLUE'");
        const low = await call("PUT", "/catalog/admin/skus/TOWEL-BLUE/stock", { onHand: 6, lowStockThreshold: 3 });
        assert.strictEqual(low.statusCode, 200, low.body);
        assert.deepStrictEqual(low.json().skus[0].stock, { onHand: 6, reserved: 4, lowStockThreshold: 3 });
        assert.strictEqual((await publicProduct("bath-towel")).json().availability, "low");
        const below = await call("PUT", "/catalog/admin/skus/TOWEL-BLUE/stock", { onHand: 3 });
        assert.strictEqual(below.statusCode, 409);
        assert.match(below.json().detail, /reserved/);
        assert.strictEqual((await call("PUT", "/catalog/admin/skus/TOWEL-BLUE/stock", { onHand: -1 })).statusCode, 400);
        assert.strictEqual((await call("PUT", "/catalog/admin/skus/TOWEL-BLUE/stock", { onHand: 4 })).statusCode, 200);
        assert.strictEqual((await publicProduct("bath-towel")).json().availability, "out_of_stock");
    });

    it("signs an upload form for one key under uploads/, limited in size and content type, with a valid SigV4 signature", async function () {
        const response = await call("POST", "/catalog/admin/uploads", {
            productId: ids["electric-kettle"],
            contentType: "image/webp",
        });
        assert.strictEqual(response.statusCode, 201, response.body);
        const form = response.json();
        assert.match(form.objectKey, new RegExp(`^uploads/products/${ids["electric-kettle"]}/[0-9a-f-]{36}\\.webp$`));
        assert.strictEqual(form.maxBytes, 20 * 1024 * 1024);
        assert.ok(form.url.includes(ASSETS_BUCKET));
        const policy = JSON.parse(Buffer.from(form.fields.Policy, "base64").toString("utf8"));
        assert.ok(Date.parse(policy.expiration) - Date.now() <= 600_000 + 5000);
        for (const condition of [
            { bucket: ASSETS_BUCKET },
            { key: form.objectKey },
            ["content-length-range", 1, 20 * 1024 * 1024],
            ["eq", "$Content-Type", "image/webp"],
        ])
            assert.ok(
                policy.conditions.some((c: unknown) => JSON.stringify(c) === JSON.stringify(condition)),
                JSON.stringify(condition),
            );
        assert.strictEqual(form.fields["Content-Type"], "image/webp");
        // The signature is S3's POST policy signature (SigV4), made with the caller's credentials.
        const [, date, region, service] = /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(
            form.fields["X-Amz-Credential"],
        )!;
        assert.deepStrictEqual([region, service], [REGION, "s3"]);
        const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
        const signingKey = hmac(
            hmac(hmac(hmac(`AWS4${process.env.AWS_SECRET_ACCESS_KEY}`, date), region), service),
            "aws4_request",
        );
        assert.strictEqual(
            form.fields["X-Amz-Signature"],
            createHmac("sha256", signingKey).update(form.fields.Policy).digest("hex"),
        );

        for (const body of [
            { productId: ids["electric-kettle"], contentType: "image/gif" },
            { productId: "x", contentType: "image/png" },
            { contentType: "image/png" },
        ])
            assert.strictEqual(
                (await call("POST", "/catalog/admin/uploads", body)).statusCode,
                400,
                JSON.stringify(body),
            );
    });

    it("shows an uploaded image at a position, replaces and removes it; only this product's uploads", async function () {
        const id = ids["cast-iron-pot"];
        const key = (name: string) => `uploads/products/${id}/${name}`;
        assert.strictEqual(
            (await call("POST", `/catalog/admin/products/${id}/images`, { objectKey: key("a.jpg"), position: 0 }))
                .statusCode,
            200,
        );
        const replaced = await call("POST", `/catalog/admin/products/${id}/images`, {
            objectKey: key("b.jpg"),
            alt: "Lid on",
            position: 0,
        });
        assert.deepStrictEqual(replaced.json().images, [{ objectKey: key("b.jpg"), alt: "Lid on", position: 0 }]);
        const otherProduct = `uploads/products/${ids["bath-towel"]}/a.jpg`;
        assert.strictEqual(
            (await call("POST", `/catalog/admin/products/${id}/images`, { objectKey: otherProduct, position: 1 }))
                .statusCode,
            400,
        );
        assert.strictEqual(
            (
                await call("POST", `/catalog/admin/products/${id}/images`, {
                    objectKey: "thumbnails/x.webp",
                    position: 1,
                })
            ).statusCode,
            400,
        );
        assert.strictEqual((await call("DELETE", `/catalog/admin/products/${id}/images/0`)).json().images.length, 0);
        assert.strictEqual((await call("DELETE", `/catalog/admin/products/${id}/images/0`)).statusCode, 404);
    });

    it("creates and moves categories, refusing an unknown parent or a cycle (422)", async function () {
        assert.strictEqual(
            (await call("PUT", "/catalog/admin/categories/cookware", { name: "Cookware", parentId: "kitchen" }))
                .statusCode,
            204,
        );
        assert.strictEqual(
            (await call("PUT", "/catalog/admin/categories/home", { name: "Home", parentId: "cookware" })).statusCode,
            422,
        );
        assert.strictEqual(
            (await call("PUT", "/catalog/admin/categories/garden", { name: "Garden", parentId: "nowhere" })).statusCode,
            422,
        );
        assert.strictEqual((await call("PUT", "/catalog/admin/categories/Bad_Id", { name: "x" })).statusCode, 400);
        assert.strictEqual(
            (await call("PUT", "/catalog/admin/categories/kitchen", { name: "Kitchen & Dining", parentId: "home" }))
                .statusCode,
            204,
        );
        const tree = await kit.app.inject({ method: "GET", url: "/catalog/categories" });
        assert.deepStrictEqual(
            tree
                .json()
                .categories.filter((c: { id: string }) => ["kitchen", "cookware"].includes(c.id))
                .map((c: { name: string; path: string[] }) => [c.name, c.path.join("/")]),
            [
                ["Kitchen & Dining", "home/kitchen"],
                ["Cookware", "home/kitchen/cookware"],
            ],
        );
        // A product shows its category's new name at once.
        assert.strictEqual((await publicProduct("electric-kettle")).json().category.name, "Kitchen & Dining");
    });
});
