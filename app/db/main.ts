// Entry point of the one-off migration task (ECS RunTask, or `npm run local` against a local
// server): `node main.js`, configured like db-migrate (DB_*, DB_ROLE_AUTH, MIGRATIONS_DIR; see
// app/functions/README.md). Exits 0 when the schema is current, 1 with the reason otherwise.
import { createDbMigrate, readDbMigrateConfig } from "../functions/db-migrate";

async function main(): Promise<void> {
    await createDbMigrate(readDbMigrateConfig()).handle({});
}

main().catch((error: Error) => {
    console.error(JSON.stringify({ level: "ERROR", message: "migration failed", error: error.message }));
    process.exitCode = 1;
});
