// db-migrate: applies the pending PostgreSQL migrations (app/db/migrations, shipped beside the
// bundle), sets how the application roles log in, and answers {"applied": [...versions]}. The
// deployment invokes it whenever the set of migrations changes, before the functions that use the
// schema are updated; a failed migration fails the invocation, and with it the deployment.
// It is the only program that logs in as the master user (DB_AUTH=secret: the RDS-managed
// secret; `password` against a local server). DB_ROLE_AUTH says how the application roles log in
// (`iam` on Aurora); MIGRATIONS_DIR overrides where the .sql files are.
import type { Context } from "aws-lambda";
import { loadMigrations, migrate, MIGRATIONS_DIR, readRoleLogin, type RoleLogin } from "../../db/migrate";
import { EnvReader, once, type Env } from "../../shared/env";
import { Database, readFunctionDatabaseSettings, type DatabaseSettings } from "../shared/db";
import { instrumented, observability, type Observability } from "../shared/observability";
import { SecretReader } from "../shared/secrets";

export interface DbMigrateConfig {
    db: DatabaseSettings;
    roleLogin: RoleLogin;
    migrationsDir: string;
}

/** The environment contract; see app/functions/README.md. */
export function readDbMigrateConfig(env?: Env): DbMigrateConfig {
    const r = new EnvReader(env);
    const config = {
        db: readFunctionDatabaseSettings(r, ["secret", "password"]),
        roleLogin: readRoleLogin(r),
        migrationsDir: r.optionalString("MIGRATIONS_DIR") ?? MIGRATIONS_DIR,
    };
    r.done();
    return config;
}

export function createDbMigrate(config: DbMigrateConfig, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("db-migrate");

    const handle = (_event: unknown, context?: Context): Promise<{ applied: string[] }> =>
        instrumented(obs, context, async () => {
            // A connection per run, closed after: migrations run once per deployment, and a
            // rotated master password is fetched fresh each time.
            const db = new Database(config.db, new SecretReader(0), "db-migrate", (error) =>
                obs.logger.warn("database connection lost", error),
            );
            try {
                const applied = await db.session((sql) =>
                    migrate(sql, config.roleLogin, loadMigrations(config.migrationsDir)),
                );
                obs.logger.info("schema is current", { applied });
                return { applied };
            } finally {
                await db.end();
            }
        });

    return { handle };
}

const instance = once(() => createDbMigrate(readDbMigrateConfig()));

export const handler = (event: unknown, context: Context): Promise<{ applied: string[] }> =>
    instance().handle(event, context);
