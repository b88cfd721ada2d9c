import * as assert from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { Client } from "pg";
import { loadMigrations, migrate, MIGRATIONS_DIR, readRoleLogin } from "../../../app/db/migrate";
import { APPLICATION_ROLES, APPLICATION_SCHEMAS, FUNCTION_ROLES, SERVICE_ROLES } from "../../../app/db/roles";
import { CURRENCIES } from "../../../app/shared/currencies";
import { EnvReader, type ConfigurationError } from "../../../app/shared/env";
import { dropSchema, ROLE_LOGIN, ROLE_PASSWORD } from "../support/postgres";
import { testServices, type TestServices } from "../support/services";

/** Each role's grants, as statements it must be able to run and statements it must be refused. */
const CAN: Record<string, string[]> = {
    svc_catalog: [
        "SELECT * FROM catalog.products, catalog.skus, catalog.prices, catalog.stock, catalog.categories, catalog.product_images, catalog.currencies LIMIT 1",
        "INSERT INTO catalog.categories (category_id, name) VALUES ('t', 'T')",
        "UPDATE catalog.products SET title = title",
        "UPDATE catalog.stock SET on_hand = on_hand, low_stock_threshold = low_stock_threshold",
        "DELETE FROM catalog.prices WHERE false",
        "DELETE FROM catalog.product_images WHERE false",
        "SELECT extensions.word_similarity('a', 'b')",
    ],
    svc_users: [
        "INSERT INTO users.profiles (customer_id) VALUES ('t')",
        "UPDATE users.addresses SET city = city",
        "DELETE FROM users.profiles WHERE false",
        "SELECT * FROM orders.orders, orders.order_lines, orders.carts, orders.cart_items LIMIT 1",
        "UPDATE orders.orders SET customer_email = NULL WHERE false",
        "DELETE FROM orders.carts WHERE false",
    ],
    svc_orders: [
        "INSERT INTO orders.carts (cart_id, customer_id) VALUES (gen_random_uuid(), 't')",
        "DELETE FROM orders.cart_items WHERE false",
        "SELECT * FROM orders.orders, catalog.prices, catalog.stock LIMIT 1",
    ],
    svc_payments: ["SELECT * FROM payments.charges LIMIT 1"],
    fn_order_processor: [
        "SELECT * FROM catalog.stock WHERE false FOR UPDATE",
        "UPDATE catalog.stock SET reserved = reserved, updated_at = now() WHERE false",
        "INSERT INTO orders.outbox (dedupe_key, destination, body) VALUES ('t', 'notifications', '{}') ON CONFLICT (dedupe_key) DO NOTHING",
        "UPDATE orders.outbox SET sent_at = now() WHERE false",
        "UPDATE orders.carts SET status = 'ordered', updated_at = now() WHERE false",
        "SELECT * FROM payments.charges, payment_sandbox.charges LIMIT 1",
        "UPDATE payment_sandbox.charges SET status = 'refunded', refunded_at = now() WHERE false",
    ],
    fn_cart_abandonment: [
        "SELECT * FROM orders.carts, orders.cart_items, catalog.skus LIMIT 1",
        "INSERT INTO orders.cart_reminders (cart_id, idle_since) SELECT cart_id, now() FROM orders.carts WHERE false",
        "UPDATE orders.cart_reminders SET enqueued_at = now() WHERE false",
    ],
};

const CANNOT: Record<string, string[]> = {
    svc_catalog: [
        "UPDATE catalog.stock SET reserved = 0", // the order pipeline's column
        "DELETE FROM catalog.products",
        "DELETE FROM catalog.skus",
        "SELECT * FROM orders.orders",
        "SELECT * FROM users.profiles",
        "CREATE TABLE catalog.scratch (id int)",
        "DROP TABLE catalog.stock",
        "SELECT * FROM public.schema_migrations",
    ],
    svc_users: [
        "UPDATE orders.orders SET total_minor = 0",
        "DELETE FROM orders.orders",
        "SELECT * FROM payments.charges",
        "UPDATE catalog.prices SET amount_minor = 0",
        "CREATE TABLE users.scratch (id int)",
    ],
    svc_orders: [
        "UPDATE catalog.prices SET amount_minor = 0",
        "UPDATE orders.orders SET status = 'confirmed'",
        "SELECT * FROM users.profiles",
        "SELECT * FROM payments.charges",
    ],
    svc_payments: [
        "SELECT * FROM orders.orders",
        "INSERT INTO payments.charges DEFAULT VALUES",
        "SELECT * FROM users.addresses",
    ],
    fn_order_processor: [
        "UPDATE catalog.stock SET on_hand = 0",
        "UPDATE catalog.prices SET amount_minor = 0",
        "DELETE FROM orders.orders",
        "UPDATE orders.orders SET total_minor = 0",
        "SELECT * FROM users.profiles",
        "DELETE FROM payment_sandbox.charges",
    ],
    fn_cart_abandonment: [
        "SELECT * FROM orders.orders",
        "UPDATE orders.carts SET status = 'expired'",
        "SELECT * FROM catalog.prices",
        "DELETE FROM orders.cart_reminders",
    ],
};

describe("database: schemas, roles and grants (PostgreSQL)", function () {
    let services: TestServices;

    const connect = async (user?: string): Promise<Client> => {
        const client = new Client(user ? { ...services.pg, user, password: ROLE_PASSWORD } : services.pg);
        await client.connect();
        return client;
    };

    before(async function () {
        services = testServices();
    });

    it("migrates an empty database (no schema, no role) to every schema and role, with logins as configured", async function () {
        const admin = await connect();
        try {
            await dropSchema(admin);
            for (const role of APPLICATION_ROLES) {
                await admin.query(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
                    EXECUTE 'DROP OWNED BY ${role}'; EXECUTE 'DROP ROLE ${role}'; END IF; END $$`);
            }
            assert.deepStrictEqual(
                await migrate(admin, ROLE_LOGIN),
                loadMigrations().map((m) => m.version),
            );
            const schemas = (
                await admin.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1", [
                    APPLICATION_SCHEMAS,
                ])
            ).rows;
            assert.deepStrictEqual(
                schemas.map((r) => r.nspname),
                [...APPLICATION_SCHEMAS].sort(),
            );
            const roles = (
                await admin.query(
                    "SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1",
                    [APPLICATION_ROLES],
                )
            ).rows;
            assert.deepStrictEqual(
                roles,
                [...APPLICATION_ROLES].sort().map((rolname) => ({
                    rolname,
                    rolcanlogin: true,
                    rolsuper: false,
                    rolcreaterole: false,
                    rolcreatedb: false,
                })),
            );
            // Every table belongs to the migrator, none to an application role.
            const owners = (
                await admin.query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = ANY($1)", [
                    APPLICATION_SCHEMAS,
                ])
            ).rows;
            assert.deepStrictEqual(owners, [{ tableowner: services.pg.user }]);
        } finally {
            await admin.end();
        }
    });

    it("lists the same roles in app/db/roles.ts as the migration creates, and the infrastructure's naming", function () {
        const sql = readFileSync(join(MIGRATIONS_DIR, "0006_roles.sql"), "utf8");
        const created = /ARRAY\[([^\]]+)\]/
            .exec(sql)![1]
            .match(/'([a-z_]+)'/g)!
            .map((quoted) => quoted.slice(1, -1));
        assert.deepStrictEqual(created.sort(), [...APPLICATION_ROLES].sort());
        for (const [service, role] of Object.entries(SERVICE_ROLES)) assert.strictEqual(role, `svc_${service}`);
        for (const [fn, role] of Object.entries(FUNCTION_ROLES))
            assert.strictEqual(role, `fn_${fn.replace(/-/g, "_")}`);
    });

    it("holds the same market currencies as app/shared/currencies.ts", async function () {
        const admin = await connect();
        try {
            const rows = (await admin.query("SELECT currency FROM catalog.currencies ORDER BY currency")).rows;
            assert.deepStrictEqual(
                rows.map((r) => r.currency),
                [...CURRENCIES].sort(),
            );
        } finally {
            await admin.end();
        }
    });

    for (const role of APPLICATION_ROLES) {
        it(`lets ${role} do what its code does, and nothing outside its grants`, async function () {
            const client = await connect(role);
            try {
                for (const statement of CAN[role]) {
                    await client.query("BEGIN");
                    try {
                        await client.query(statement);
                    } catch (error) {
                        assert.fail(`${role} was refused ${statement}: ${(error as Error).message}`);
                    } finally {
                        await client.query("ROLLBACK");
                    }
                }
                for (const statement of CANNOT[role]) {
                    await client.query("BEGIN");
                    await assert.rejects(
                        client.query(statement),
                        /permission denied|must be owner/,
                        `${role}: ${statement}`,
                    );
                    await client.query("ROLLBACK");
                }
            } finally {
                await client.end();
            }
        });
    }

    it("gives the roles rds_iam and no password when they log in with IAM (Aurora), a password locally", async function () {
        const admin = await connect();
        try {
            // rds_iam exists only on RDS; a stand-in lets the IAM branch run here.
            await admin.query(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF; END $$",
            );
            await migrate(admin, { kind: "iam" });
            const iam = (
                await admin.query(
                    `SELECT r.rolname, r.rolpassword IS NULL AS no_password, pg_has_role(r.rolname, 'rds_iam', 'member') AS iam
                 FROM pg_authid r WHERE r.rolname = ANY($1) ORDER BY 1`,
                    [APPLICATION_ROLES],
                )
            ).rows;
            assert.ok(
                iam.every((r) => r.no_password && r.iam),
                JSON.stringify(iam),
            );
            await assert.rejects(connect("svc_catalog"), /password authentication failed/);
        } finally {
            await admin.query(`REVOKE rds_iam FROM ${APPLICATION_ROLES.join(", ")}; DROP ROLE rds_iam`);
            await migrate(admin, ROLE_LOGIN);
            await admin.end();
        }
        const back = await connect("svc_catalog");
        await back.end();
    });

    it("says how the roles log in only when told: DB_ROLE_AUTH, and a local password of 16 characters or more", function () {
        const problems = (env: Record<string, string>) => {
            const reader = new EnvReader(env);
            readRoleLogin(reader);
            try {
                reader.done();
                return [];
            } catch (error) {
                return (error as ConfigurationError).problems;
            }
        };
        assert.deepStrictEqual(problems({}), ["DB_ROLE_AUTH is not set: expected one of iam, password"]);
        assert.deepStrictEqual(problems({ DB_ROLE_AUTH: "password", DB_ROLE_PASSWORD: "short" }), [
            "DB_ROLE_PASSWORD is too short: use at least 16 characters",
        ]);
        assert.deepStrictEqual(problems({ DB_ROLE_AUTH: "iam" }), []);
    });
});
