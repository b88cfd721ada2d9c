// Entry point of the one-off migration task (ECS RunTask before a deploy shifts traffic):
// `node main.js`, configured like the functions (DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN,
// DB_TLS; MIGRATIONS_DIR when the .sql files are not beside it). Exits 0 when the schema is
// current, 1 with the reason otherwise.
import { Logger } from "@aws-lambda-powertools/logger";
import { Database, readDatabaseSettings } from "../functions/shared/db";
import { EnvReader } from "../functions/shared/env";
import { SecretReader } from "../functions/shared/secrets";
import { loadMigrations, migrate, MIGRATIONS_DIR } from "./migrate";

async function main(): Promise<void> {
    const logger = new Logger({ serviceName: "db-migrate" });
    const env = new EnvReader();
    const settings = readDatabaseSettings(env);
    const dir = env.optionalString("MIGRATIONS_DIR") ?? MIGRATIONS_DIR;
    env.done();
    const db = new Database(settings, new SecretReader(0), "db-migrate", (error) =>
        logger.warn("database connection lost", error),
    );
    try {
        const applied = await db.session((sql) => migrate(sql, loadMigrations(dir)));
        logger.info("schema is current", { applied });
    } finally {
        await db.end();
    }
}

main().catch((error: Error) => {
    console.error(JSON.stringify({ level: "ERROR", message: "migration failed", error: error.message }));
    process.exitCode = 1;
});
