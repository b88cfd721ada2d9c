// A small forward-only migration runner: applies app/db/migrations/NNNN_name.sql in order, each in
// its own transaction, records what it applied with a checksum, and refuses to run when an
// applied file was edited afterwards. A session advisory lock lets two runners (two deploys, or a
// task retried by ECS) start at once: the second waits, then finds nothing to do.
import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { Sql } from "../functions/shared/db";

export const MIGRATIONS_DIR = join(__dirname, "migrations");

/** Arbitrary, fixed: the advisory lock id that serialises migration runners on one database. */
const MIGRATION_LOCK_ID = 7_001_001;

export interface Migration {
    version: string;
    sql: string;
    checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
    return readdirSync(dir)
        .filter((file) => file.endsWith(".sql"))
        .sort()
        .map((file) => {
            if (!/^\d{4}_[a-z0-9_]+\.sql$/.test(file)) {
                throw new Error(`migration file ${file} must be named NNNN_lowercase_words.sql`);
            }
            const sql = readFileSync(join(dir, file), "utf8");
            return {
                version: file.replace(/\.sql$/, ""),
                sql,
                checksum: createHash("sha256").update(sql).digest("hex"),
            };
        });
}

/** Applies the pending migrations on `sql` (a dedicated connection); returns their versions. */
export async function migrate(sql: Sql, migrations = loadMigrations()): Promise<string[]> {
    await sql.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
        await sql.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
            version    text PRIMARY KEY,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())`);
        const { rows } = await sql.query<{ version: string; checksum: string }>(
            "SELECT version, checksum FROM schema_migrations",
        );
        const applied = new Map(rows.map((row) => [row.version, row.checksum]));
        for (const [version, checksum] of applied) {
            const file = migrations.find((migration) => migration.version === version);
            if (!file) throw new Error(`migration ${version} is applied but its file is missing`);
            if (file.checksum !== checksum) {
                throw new Error(`migration ${version} was edited after it was applied; add a new migration instead`);
            }
        }
        const pending = migrations.filter((migration) => !applied.has(migration.version));
        for (const migration of pending) {
            await sql.query("BEGIN");
            try {
                await sql.query(migration.sql);
                await sql.query("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", [
                    migration.version,
                    migration.checksum,
                ]);
                await sql.query("COMMIT");
            } catch (error) {
                await sql.query("ROLLBACK");
                throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, { cause: error });
            }
        }
        return pending.map((migration) => migration.version);
    } finally {
        await sql.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
}
