import * as assert from "assert";
import { randomUUID } from "crypto";
import type { Pool } from "pg";
import type { ServiceKit } from "../../../../app/services/kit/service";
import { adminPool, ALL_TABLES } from "../../support/postgres";
import { seedCatalog } from "../../functions/support/fixtures";
import { bearer, startServiceTests, type ServiceTestContext } from "../support/harness";
import { USER_POOL_ID } from "../support/tokens";
import { startUsers } from "../support/users";

const ADDRESS = {
    label: "Home",
    recipient: "Amina Okafor",
    phone: "+2348031234567",
    country: "NG",
    region: "Lagos",
    city: "Ikeja",
    street: "12 Allen Avenue",
    landmark: "Opposite the filling station; call on arrival",
};

describe("users service: profiles, addresses, export and erasure (PostgreSQL + redis-server + Cognito wire protocol)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let kit: ServiceKit & { logs: Record<string, unknown>[] };
    let pool: Pool;

    /** A signed-in customer: their id and an authorised request helper. */
    const customer = (groups?: string[]) => {
        const sub = randomUUID();
        const headers = bearer(context.issuer.token({ sub, groups }));
        const call = (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: object) =>
            kit.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
        return { sub, headers, call };
    };

    before(async function () {
        context = await startServiceTests();
        pool = adminPool(context.services);
        await pool.query(`TRUNCATE ${ALL_TABLES} CASCADE`);
        kit = await startUsers(context);
    });

    after(async function () {
        await kit?.close();
        await pool?.end();
        await context?.stop();
    });

    it("refuses every customer route without a valid access token (401), and the admin route to customers (403)", async function () {
        const routes: [string, string, object?][] = [
            ["GET", "/users/me"],
            ["PATCH", "/users/me", { name: "x" }],
            ["PUT", "/users/me/email", { idToken: "x".repeat(30) }],
            ["GET", "/users/me/addresses"],
            ["POST", "/users/me/addresses", ADDRESS],
            ["GET", `/users/me/addresses/${randomUUID()}`],
            ["PATCH", `/users/me/addresses/${randomUUID()}`, { city: "x" }],
            ["POST", `/users/me/addresses/${randomUUID()}/default`],
            ["DELETE", `/users/me/addresses/${randomUUID()}`],
            ["GET", "/users/me/export"],
            ["DELETE", "/users/me"],
            ["GET", "/users/admin/customers?email=a"],
        ];
        const issuer = context.issuer;
        const bad = [
            {},
            bearer(issuer.token({ issuer: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_Other" })),
            bearer(issuer.token({ clientId: "another-app" })),
            bearer(issuer.token({ expiresIn: -1 })),
            bearer(issuer.unsignedToken()),
            bearer(issuer.token({ tokenUse: "id" })),
        ];
        for (const [method, url, payload] of routes) {
            for (const headers of bad) {
                const response = await kit.app.inject({
                    method: method as "GET",
                    url,
                    headers,
                    ...(payload ? { payload } : {}),
                });
                assert.strictEqual(response.statusCode, 401, `${method} ${url}: ${response.body}`);
            }
        }
        const search = await customer().call("GET", "/users/admin/customers?email=a");
        assert.strictEqual(search.statusCode, 403);
        assert.strictEqual((await pool.query("SELECT count(*)::int AS n FROM users.profiles")).rows[0].n, 0);
    });

    it("keeps a profile per token subject: created on first use, changed with PATCH, consent timed", async function () {
        const { sub, call } = customer();
        const first = await call("GET", "/users/me");
        assert.strictEqual(first.statusCode, 200);
        assert.match(first.headers["cache-control"] as string, /no-store/);
        assert.deepStrictEqual(
            { ...(first.json() as object), createdAt: undefined, updatedAt: undefined },
            {
                customerId: sub,
                email: null,
                name: null,
                phone: null,
                locale: null,
                preferredCurrency: null,
                marketingConsent: { given: false, at: null },
                createdAt: undefined,
                updatedAt: undefined,
            },
        );
        const changed = await call("PATCH", "/users/me", {
            name: "Wanjiru Kamau",
            phone: "+254712345678",
            locale: "sw-KE",
            preferredCurrency: "KES",
            marketingConsent: true,
        });
        assert.strictEqual(changed.statusCode, 200, changed.body);
        const consentAt = changed.json().marketingConsent.at;
        assert.ok(Date.now() - Date.parse(consentAt) < 5000);
        assert.deepStrictEqual(changed.json().marketingConsent.given, true);
        // Unchanged consent keeps its time; withdrawing it records a new one; null clears a field.
        const renamed = await call("PATCH", "/users/me", { name: "W. Kamau", marketingConsent: true, phone: null });
        assert.deepStrictEqual(
            [renamed.json().name, renamed.json().phone, renamed.json().marketingConsent.at],
            ["W. Kamau", null, consentAt],
        );
        const withdrawn = await call("PATCH", "/users/me", { marketingConsent: false });
        assert.strictEqual(withdrawn.json().marketingConsent.given, false);
        assert.ok(Date.parse(withdrawn.json().marketingConsent.at) >= Date.parse(consentAt));
        assert.strictEqual((await call("GET", "/users/me")).json().locale, "sw-KE");
    });

    it("refuses bad profile changes with every field named, and a customer id in the body", async function () {
        const { call } = customer();
        const bad = await call("PATCH", "/users/me", {
            phone: "0712345678",
            locale: "english",
            preferredCurrency: "EUR",
            marketingConsent: "yes",
            customerId: "someone-else",
        });
        assert.strictEqual(bad.statusCode, 400);
        const fields = bad.json().errors.map((e: { field: string }) => e.field);
        for (const field of [
            "body.phone",
            "body.locale",
            "body.preferredCurrency",
            "body.marketingConsent",
            "body.customerId",
        ])
            assert.ok(fields.includes(field), `${field} in ${fields}`);
        assert.strictEqual((await call("PATCH", "/users/me", {})).statusCode, 400);
        assert.strictEqual(
            (
                await kit.app.inject({
                    method: "PATCH",
                    url: "/users/me",
                    headers: { ...customer().headers, "content-type": "application/json" },
                    payload: "{not json",
                })
            ).statusCode,
            400,
        );
    });

    it("records the e-mail address only from the customer's own, verified, Cognito-signed ID token", async function () {
        const { sub, call } = customer();
        const idToken = (claims: Record<string, unknown>, options: { sub?: string; foreignKey?: boolean } = {}) =>
            context.issuer.token({ sub: options.sub ?? sub, tokenUse: "id", foreignKey: options.foreignKey, claims });
        const ok = await call("PUT", "/users/me/email", {
            idToken: idToken({ email: "wanjiru@example.co.ke", email_verified: true }),
        });
        assert.strictEqual(ok.statusCode, 200, ok.body);
        assert.strictEqual(ok.json().email, "wanjiru@example.co.ke");
        const refusals: [string, number][] = [
            [idToken({ email: "other@example.com", email_verified: true }, { sub: randomUUID() }), 403],
            [idToken({ email: "unverified@example.com", email_verified: false }), 403],
            [idToken({ email: "forged@example.com", email_verified: true }, { foreignKey: true }), 401],
            [context.issuer.token({ sub }), 401], // an access token is not an ID token
        ];
        for (const [token, status] of refusals)
            assert.strictEqual((await call("PUT", "/users/me/email", { idToken: token })).statusCode, status);
        assert.strictEqual((await call("GET", "/users/me")).json().email, "wanjiru@example.co.ke");
    });

    it("keeps an address book: the first address is the default, one default always, no postal code needed", async function () {
        const { call } = customer();
        const home = await call("POST", "/users/me/addresses", ADDRESS);
        assert.strictEqual(home.statusCode, 201, home.body);
        assert.strictEqual(home.headers.location, `/users/me/addresses/${home.json().id}`);
        assert.deepStrictEqual([home.json().isDefault, home.json().postalCode], [true, null]);
        const work = await call("POST", "/users/me/addresses", {
            ...ADDRESS,
            label: "Work",
            street: "1 Marina",
            postalCode: "101001",
        });
        assert.strictEqual(work.json().isDefault, false);
        await call("POST", "/users/me/addresses", { ...ADDRESS, label: "Office", isDefault: true });
        const defaults = async () =>
            (await call("GET", "/users/me/addresses"))
                .json()
                .addresses.filter((a: { isDefault: boolean }) => a.isDefault)
                .map((a: { label: string }) => a.label);
        assert.deepStrictEqual(await defaults(), ["Office"]);
        assert.strictEqual(
            (await call("POST", `/users/me/addresses/${work.json().id}/default`)).json().isDefault,
            true,
        );
        assert.deepStrictEqual(await defaults(), ["Work"]);

        const changed = await call("PATCH", `/users/me/addresses/${home.json().id}`, { city: "Lekki", landmark: null });
        assert.deepStrictEqual([changed.json().city, changed.json().landmark], ["Lekki", null]);
        assert.strictEqual((await call("GET", `/users/me/addresses/${home.json().id}`)).json().city, "Lekki");

        assert.strictEqual((await call("DELETE", `/users/me/addresses/${work.json().id}`)).statusCode, 204);
        assert.deepStrictEqual(await defaults(), ["Home"], "the oldest remaining address becomes the default");
        assert.strictEqual((await call("DELETE", `/users/me/addresses/${work.json().id}`)).statusCode, 404);
        assert.strictEqual((await call("GET", "/users/me/addresses")).json().addresses.length, 2);
    });

    it("refuses bad addresses: missing fields, a phone not in E.164, a country that does not exist", async function () {
        const { call } = customer();
        const bad = await call("POST", "/users/me/addresses", {
            ...ADDRESS,
            phone: "080 3123 4567",
            region: "",
            recipient: undefined,
            country: "ng",
            floor: 3,
        });
        assert.strictEqual(bad.statusCode, 400);
        const fields = bad.json().errors.map((e: { field: string }) => e.field);
        for (const field of ["body.phone", "body.region", "body.recipient", "body.country", "body.floor"])
            assert.ok(fields.includes(field), `${field} in ${fields}`);
        const noCountry = await call("POST", "/users/me/addresses", { ...ADDRESS, country: "XX" });
        assert.deepStrictEqual(
            [noCountry.statusCode, noCountry.json().errors],
            [400, [{ field: "body.country", message: "not a country" }]],
        );
        assert.strictEqual(
            (await call("PATCH", `/users/me/addresses/${randomUUID()}`, { country: "QQ" })).statusCode,
            400,
        );
        assert.strictEqual((await call("GET", "/users/me/addresses/not-a-uuid")).statusCode, 400);
    });

    it("never lets a customer reach another customer's address: 404 for every route", async function () {
        const amina = customer();
        const thabo = customer();
        const address = (await amina.call("POST", "/users/me/addresses", ADDRESS)).json();
        for (const [method, url, body] of [
            ["GET", `/users/me/addresses/${address.id}`],
            ["PATCH", `/users/me/addresses/${address.id}`, { city: "Hijacked" }],
            ["POST", `/users/me/addresses/${address.id}/default`],
            ["DELETE", `/users/me/addresses/${address.id}`],
        ] as [string, string, object?][]) {
            assert.strictEqual((await thabo.call(method as "GET", url, body)).statusCode, 404, `${method} ${url}`);
        }
        assert.deepStrictEqual((await thabo.call("GET", "/users/me/addresses")).json().addresses, []);
        assert.strictEqual((await amina.call("GET", `/users/me/addresses/${address.id}`)).json().city, "Ikeja");
    });

    it("exports everything the shop holds about the customer: profile, addresses, orders with lines, carts", async function () {
        const { sub, call } = customer();
        await call("PATCH", "/users/me", { name: "Kofi Mensah", preferredCurrency: "GHS" });
        await call("POST", "/users/me/addresses", {
            ...ADDRESS,
            country: "GH",
            region: "Greater Accra",
            city: "Accra",
        });
        await seedCatalog(pool, [{ sku: `EXPORT-${sub.slice(0, 8).toUpperCase()}`, onHand: 5 }]);
        const sku = `EXPORT-${sub.slice(0, 8).toUpperCase()}`;
        const orderId = randomUUID();
        await pool.query(
            `INSERT INTO orders.orders (order_id, customer_id, customer_email, customer_phone, status, currency, total_minor, placed_at)
             VALUES ($1, $2, 'kofi@example.com.gh', '+233201234567', 'confirmed', 'ZAR', 20000, now())`,
            [orderId, sub],
        );
        await pool.query(
            "INSERT INTO orders.order_lines (order_id, line_no, sku, quantity, unit_price_minor) VALUES ($1, 1, $2, 2, 10000)",
            [orderId, sku],
        );
        const cartId = randomUUID();
        await pool.query(
            "INSERT INTO orders.carts (cart_id, customer_id, customer_email) VALUES ($1, $2, 'kofi@example.com.gh')",
            [cartId, sub],
        );
        await pool.query("INSERT INTO orders.cart_items (cart_id, sku, quantity) VALUES ($1, $2, 1)", [cartId, sku]);
        // Someone else's order is not in it.
        await pool.query(
            "INSERT INTO orders.orders (order_id, customer_id, customer_email, status, rejection_reason, placed_at) VALUES ($1, 'someone-else', 'x@example.com', 'rejected', 'out_of_stock', now())",
            [randomUUID()],
        );

        const exported = await call("GET", "/users/me/export");
        assert.strictEqual(exported.statusCode, 200, exported.body);
        assert.match(exported.headers["content-disposition"] as string, /attachment/);
        const data = exported.json();
        assert.strictEqual(data.profile.name, "Kofi Mensah");
        assert.deepStrictEqual(
            data.addresses.map((a: { city: string }) => a.city),
            ["Accra"],
        );
        assert.deepStrictEqual(data.orders, [
            {
                orderId,
                status: "confirmed",
                placedAt: data.orders[0].placedAt,
                currency: "ZAR",
                totalMinor: 20000,
                email: "kofi@example.com.gh",
                phone: "+233201234567",
                lines: [{ sku, quantity: 2, unitPriceMinor: 10000 }],
            },
        ]);
        assert.deepStrictEqual(
            data.carts.map((c: { cartId: string; items: object[] }) => [c.cartId, c.items]),
            [[cartId, [{ sku, quantity: 1 }]]],
        );
    });

    it("erases a customer: profile, addresses and carts deleted, orders anonymised and kept, the Cognito user deleted", async function () {
        const { sub, call } = customer();
        const username = sub;
        context.services.local.cognitoUsers.add(`${USER_POOL_ID}/${username}`);
        await call("PATCH", "/users/me", { name: "Thabo Nkosi" });
        await call("POST", "/users/me/addresses", { ...ADDRESS, country: "ZA", region: "Gauteng", city: "Soweto" });
        const orderId = randomUUID();
        await pool.query(
            `INSERT INTO orders.orders (order_id, customer_id, customer_email, customer_phone, status, rejection_reason, placed_at)
             VALUES ($1, $2, 'thabo@example.co.za', '+27821234567', 'rejected', 'out_of_stock', now())`,
            [orderId, sub],
        );
        const cartId = randomUUID();
        await pool.query(
            "INSERT INTO orders.carts (cart_id, customer_id, customer_email) VALUES ($1, $2, 'thabo@example.co.za')",
            [cartId, sub],
        );
        await pool.query("INSERT INTO orders.cart_reminders (cart_id, idle_since) VALUES ($1, now())", [cartId]);

        const erased = await call("DELETE", "/users/me");
        assert.strictEqual(erased.statusCode, 204, erased.body);
        assert.ok(
            !context.services.local.cognitoUsers.has(`${USER_POOL_ID}/${username}`),
            "the Cognito user is deleted",
        );
        const remaining = async (sql: string) => (await pool.query(sql, [sub])).rows[0].n;
        assert.strictEqual(await remaining("SELECT count(*)::int AS n FROM users.profiles WHERE customer_id = $1"), 0);
        assert.strictEqual(await remaining("SELECT count(*)::int AS n FROM users.addresses WHERE customer_id = $1"), 0);
        assert.strictEqual(await remaining("SELECT count(*)::int AS n FROM orders.carts WHERE customer_id = $1"), 0);
        assert.strictEqual(await remaining("SELECT count(*)::int AS n FROM orders.orders WHERE customer_id = $1"), 0);
        const order = (
            await pool.query(
                "SELECT customer_id, customer_email, customer_phone, customer_erased_at FROM orders.orders WHERE order_id = $1",
                [orderId],
            )
        ).rows[0];
        assert.deepStrictEqual([order.customer_id, order.customer_email, order.customer_phone], ["erased", null, null]);
        assert.ok(order.customer_erased_at instanceof Date);
        assert.strictEqual(
            (await pool.query("SELECT count(*)::int AS n FROM orders.cart_reminders WHERE cart_id = $1", [cartId]))
                .rows[0].n,
            0,
        );
        // The log line says what was done, not to whom.
        const line = kit.logs.find((l) => l.msg === "customer erased")!;
        assert.deepStrictEqual([line.profiles, line.carts, line.ordersAnonymised], [1, 1, 1]);
        assert.ok(!JSON.stringify(line).includes(sub));
    });

    it("answers 503 when Cognito fails after the data is erased, and a retry finishes the job", async function () {
        const { sub, call } = customer();
        context.services.local.cognitoUsers.add(`${USER_POOL_ID}/${sub}`);
        await call("PATCH", "/users/me", { name: "Retry Me" });
        context.services.local.failFor(sub, { status: 500, code: "InternalErrorException" });
        const failed = await call("DELETE", "/users/me");
        assert.strictEqual(failed.statusCode, 503);
        assert.strictEqual(failed.headers["retry-after"], "30");
        assert.strictEqual(
            (await pool.query("SELECT count(*)::int AS n FROM users.profiles WHERE customer_id = $1", [sub])).rows[0].n,
            0,
        );
        assert.strictEqual((await call("DELETE", "/users/me")).statusCode, 204);
        assert.ok(!context.services.local.cognitoUsers.has(`${USER_POOL_ID}/${sub}`));
        // Already gone from Cognito too: still done.
        assert.strictEqual((await call("DELETE", "/users/me")).statusCode, 204);
    });

    it("lets admins find customers by the beginning of an e-mail address or a phone number", async function () {
        const admin = customer(["admins"]);
        const people = [
            ["ngozi.adeyemi@example.com.ng", "+2348021112222"],
            ["ngozi.eze@example.com.ng", "+2348033334444"],
            ["john_doe@example.co.za", "+27825556666"],
        ];
        for (const [email, phone] of people) {
            await pool.query("INSERT INTO users.profiles (customer_id, email, phone) VALUES ($1, $2, $3)", [
                randomUUID(),
                email,
                phone,
            ]);
        }
        const find = async (query: string) => {
            const response = await admin.call("GET", `/users/admin/customers?${query}`);
            assert.strictEqual(response.statusCode, 200, response.body);
            return response.json().customers.map((c: { email: string }) => c.email);
        };
        assert.deepStrictEqual(await find("email=NGOZI."), [
            "ngozi.adeyemi@example.com.ng",
            "ngozi.eze@example.com.ng",
        ]);
        assert.deepStrictEqual(await find("phone=%2B27825"), ["john_doe@example.co.za"]);
        // LIKE's wildcards are taken literally.
        assert.deepStrictEqual(await find("email=john_"), ["john_doe@example.co.za"]);
        assert.deepStrictEqual(await find("email=john%25"), []);
        assert.deepStrictEqual(await find("email=ngozi&phone=%2B234803"), ["ngozi.eze@example.com.ng"]);
        for (const query of ["", "name=ngozi", "phone=0803", "email=ab&limit=0"])
            assert.strictEqual((await admin.call("GET", `/users/admin/customers?${query}`)).statusCode, 400, query);
    });

    it("describes every route in its OpenAPI document at /users/openapi.json", async function () {
        const document = (await kit.app.inject({ method: "GET", url: "/users/openapi.json" })).json();
        const routes = Object.entries(document.paths as Record<string, object>).flatMap(([path, methods]) =>
            Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
        );
        assert.deepStrictEqual(routes.sort(), [
            "DELETE /users/me",
            "DELETE /users/me/addresses/{addressId}",
            "GET /users/admin/customers",
            "GET /users/me",
            "GET /users/me/addresses",
            "GET /users/me/addresses/{addressId}",
            "GET /users/me/export",
            "PATCH /users/me",
            "PATCH /users/me/addresses/{addressId}",
            "POST /users/me/addresses",
            "POST /users/me/addresses/{addressId}/default",
            "PUT /users/me/email",
        ]);
    });
});
