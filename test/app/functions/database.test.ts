import * as assert from "assert";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Client, type Pool } from "pg";
import { loadMigrations, migrate } from "../../../app/db/migrate";
import { Database, readFunctionDatabaseSettings } from "../../../app/functions/shared/db";
import { EnvReader } from "../../../app/shared/env";
import { SecretReader } from "../../../app/functions/shared/secrets";
import { adminPool, dropSchema, ROLE_LOGIN } from "../support/postgres";
import { runTypeScript } from "../support/processes";
import { connectServices, DB_SECRET_ARN, testServices, type ConnectedServices } from "../support/services";

describe("database: migrations and credentials (PostgreSQL)", function () {
    let services: ConnectedServices;
    let pool: Pool;

    const client = async (): Promise<Client> => {
        const c = new Client(services.pg);
        await c.connect();
        return c;
    };

    before(async function () {
        services = await connectServices();
        pool = adminPool(services);
    });

    after(async function () {
        await pool?.end();
        await services?.local.stop();
    });

    it("applies every migration once, records it, and has nothing to do the second time", async function () {
        const c = await client();
        try {
            await dropSchema(c);
            const versions = loadMigrations().map((m) => m.version);
            assert.deepStrictEqual(await migrate(c, ROLE_LOGIN), versions);
            assert.deepStrictEqual(await migrate(c, ROLE_LOGIN), []);
            assert.deepStrictEqual(
                (await c.query("SELECT version FROM schema_migrations ORDER BY version")).rows.map((r) => r.version),
                versions,
            );
        } finally {
            await c.end();
        }
    });

    it("lets two runners start at once: one applies, the other waits and finds nothing to do", async function () {
        const [a, b] = [await client(), await client()];
        try {
            await dropSchema(a);
            const results = await Promise.all([migrate(a, ROLE_LOGIN), migrate(b, ROLE_LOGIN)]);
            assert.deepStrictEqual(results.map((applied) => applied.length).sort(), [0, loadMigrations().length]);
        } finally {
            await Promise.all([a.end(), b.end()]);
        }
    });

    it("refuses to run when an applied migration was edited, and rolls back a failing one", async function () {
        const dir = mkdtempSync(join(tmpdir(), "migrations-"));
        const c = await client();
        try {
            await c.query("DROP TABLE IF EXISTS scratch; DELETE FROM schema_migrations WHERE version LIKE '9%'");
            writeFileSync(join(dir, "9001_scratch.sql"), "CREATE TABLE scratch (id int);");
            await migrate(c, ROLE_LOGIN, [...loadMigrations(), ...loadMigrations(dir)]);
            writeFileSync(join(dir, "9001_scratch.sql"), "CREATE TABLE scratch (id bigint);");
            await assert.rejects(
                migrate(c, ROLE_LOGIN, [...loadMigrations(), ...loadMigrations(dir)]),
                /migration 9001_scratch was edited after it was applied/,
            );

            writeFileSync(join(dir, "9001_scratch.sql"), "CREATE TABLE scratch (id int);");
            writeFileSync(join(dir, "9002_broken.sql"), "CREATE TABLE half_done (id int); SELECT no_such_function();");
            await assert.rejects(
                migrate(c, ROLE_LOGIN, [...loadMigrations(), ...loadMigrations(dir)]),
                /migration 9002_broken failed: function no_such_function\(\) does not exist/,
            );
            assert.strictEqual((await c.query("SELECT to_regclass('half_done') AS t")).rows[0].t, null);
        } finally {
            await c.query("DROP TABLE IF EXISTS scratch; DELETE FROM schema_migrations WHERE version LIKE '9%'");
            await c.end();
        }
    });

    it("connects with the credentials from Secrets Manager, and fetches them again when a rotation makes them stale", async function () {
        const env = new EnvReader(services.migratorEnv);
        let dropped!: () => void;
        const connectionDropped = new Promise<void>((resolve) => (dropped = resolve));
        const db = new Database(
            readFunctionDatabaseSettings(env, ["secret"]),
            new SecretReader(300),
            "rotation-test",
            () => dropped(),
        );
        const original = services.pg.password;
        const rotated = `${original}-rotated`;
        try {
            assert.deepStrictEqual(await db.query("SELECT current_user AS user"), [{ user: services.pg.user }]);

            // RDS rotates the master password and the secret together; the cached value is now stale.
            await pool.query(`ALTER USER ${services.pg.user} PASSWORD '${rotated}'`);
            services.local.secrets.set(
                DB_SECRET_ARN,
                JSON.stringify({ username: services.pg.user, password: rotated }),
            );
            await pool.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rotation-test'",
            );
            await connectionDropped; // the next query needs a new connection, and so a password

            await assert.rejects(db.query("SELECT 1"), /password authentication failed/);
            assert.deepStrictEqual(await db.query("SELECT 1 AS ok"), [{ ok: 1 }]);
        } finally {
            await pool.query(`ALTER USER ${services.pg.user} PASSWORD '${original}'`);
            services.local.secrets.set(
                DB_SECRET_ARN,
                JSON.stringify({ username: services.pg.user, password: original }),
            );
            await db.end();
        }
    });

    it("runs as the one-off migration task: configured by the environment, exit code 0 when current, 1 with the reason", async function () {
        const c = await client();
        await dropSchema(c);
        await c.end();

        const task = await runTypeScript("app/db/main.ts", {
            ...process.env,
            ...services.migratorEnv,
            POWERTOOLS_LOG_LEVEL: "INFO",
        });
        assert.strictEqual(task.code, 0, task.stderr);
        assert.deepStrictEqual(
            JSON.parse(task.stdout.trim().split("\n").pop()!).applied,
            loadMigrations().map((m) => m.version),
        );

        const misconfigured = await runTypeScript("app/db/main.ts", {
            ...process.env,
            ...services.migratorEnv,
            DB_HOST: "",
            DB_SSL_MODE: "maybe",
        });
        assert.strictEqual(misconfigured.code, 1);
        assert.match(
            misconfigured.stderr,
            /DB_HOST is not set\\n {2}- DB_SSL_MODE is \\"maybe\\": expected one of verify-full, disable/,
        );
    });

    it("says how to get PostgreSQL when the tests run without it", function () {
        const saved = process.env.TEST_PG_HOST;
        delete process.env.TEST_PG_HOST;
        try {
            assert.throws(
                testServices,
                /TEST_PG_HOST is not set\. Run them through `npm test` or `npm run test:app`, which start both/,
            );
        } finally {
            process.env.TEST_PG_HOST = saved;
        }
    });
});
