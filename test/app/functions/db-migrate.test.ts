import * as assert from "assert";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Client } from "pg";
import { loadMigrations, MIGRATIONS_DIR } from "../../../app/db/migrate";
import { createDbMigrate, readDbMigrateConfig } from "../../../app/functions/db-migrate";
import { configProblems } from "./support/fixtures";
import { dropSchema } from "../support/postgres";
import { lambdaContext } from "./support/queues";
import { connectServices, type ConnectedServices } from "../support/services";

describe("db-migrate: the migrations a deployment runs (PostgreSQL)", function () {
    let services: ConnectedServices;

    const migrator = (env: Record<string, string> = {}) =>
        createDbMigrate(readDbMigrateConfig({ ...services.migratorEnv, ...env }));
    const tables = async (): Promise<string[]> => {
        const c = new Client(services.pg);
        await c.connect();
        try {
            return (
                await c.query<{ name: string }>(
                    "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema <> ALL ('{pg_catalog,information_schema}') ORDER BY 1",
                )
            ).rows.map((r) => r.name);
        } finally {
            await c.end();
        }
    };

    before(async function () {
        services = await connectServices();
        const c = new Client(services.pg);
        await c.connect();
        await dropSchema(c);
        await c.end();
    });

    after(async function () {
        await services?.local.stop();
    });

    it("applies the pending migrations with the credentials from Secrets Manager, then has nothing to do", async function () {
        const first = await migrator().handle({ source: "deployment" }, lambdaContext("db-migrate"));
        assert.deepStrictEqual(first, { applied: loadMigrations().map((m) => m.version) });
        assert.ok((await tables()).includes("orders.orders"));
        assert.deepStrictEqual(await migrator().handle({ source: "deployment" }, lambdaContext("db-migrate")), {
            applied: [],
        });
    });

    it("fails the invocation (and so the deployment) when a migration fails, leaving the schema as it was", async function () {
        const dir = mkdtempSync(join(tmpdir(), "migrations-"));
        try {
            for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file));
            writeFileSync(join(dir, "9999_broken.sql"), "CREATE TABLE half_done (id int); SELECT no_such_function();");
            const before = await tables();

            await assert.rejects(
                migrator({ MIGRATIONS_DIR: dir }).handle({}, lambdaContext("db-migrate")),
                /migration 9999_broken failed: function no_such_function\(\) does not exist/,
            );
            assert.deepStrictEqual(await tables(), before);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names bad variables of its environment", function () {
        assert.deepStrictEqual(
            configProblems(() =>
                readDbMigrateConfig({ DB_NAME: "shop", DB_AUTH: "iam", DB_SECRET_ARN: "arn", DB_PORT: "0" }),
            ),
            [
                "DB_HOST is not set",
                'DB_AUTH is "iam": expected one of secret, password',
                'DB_PORT is "0": expected an integer from 1 to 65535',
                "DB_ROLE_AUTH is not set: expected one of iam, password",
            ],
        );
    });
});
