// A small forward-only migration runner: applies app/db/migrations/NNNN_name.sql in order, each in
// its own transaction, records what it applied with a checksum, and refuses to run when an
// applied file was edited afterwards. A session advisory lock lets two runners (two deploys, or a
// task retried by ECS) start at once: the second waits, then finds nothing to do.
// Then it sets how the application roles log in (every run, so a changed setting applies):
// on Aurora with IAM authentication (`GRANT rds_iam`, no password), locally with a password.
import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { PoolClient } from "pg";
import type { EnvReader } from "../shared/env";
import { APPLICATION_ROLES } from "./roles";

type Sql = Pick<PoolClient, "query">;

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

/** How the application roles log in: `iam` on Aurora (rds_iam), `password` on a local server. */
export type RoleLogin = { kind: "iam" } | { kind: "password"; password: string };

/** DB_ROLE_AUTH (`iam` | `password`) and, for `password`, DB_ROLE_PASSWORD (at least 16 characters). */
export function readRoleLogin(env: EnvReader): RoleLogin {
    const kind = env.choice("DB_ROLE_AUTH", ["iam", "password"] as const);
    if (kind !== "password") return { kind: "iam" };
    const password = env.string("DB_ROLE_PASSWORD");
    if (password && password.length < 16) env.problem("DB_ROLE_PASSWORD is too short: use at least 16 characters");
    return { kind, password };
}

/**
 * Applies the pending migrations on `sql` (a dedicated connection) and sets how the application
 * roles log in; returns the versions applied.
 */
export async function migrate(sql: Sql, login: RoleLogin, migrations = loadMigrations()): Promise<string[]> {
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
        await setRoleLogin(sql, login);
        return pending.map((migration) => migration.version);
    } finally {
        await sql.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
}

async function setRoleLogin(sql: Sql, login: RoleLogin): Promise<void> {
    const { rows } = await sql.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", [
        APPLICATION_ROLES,
    ]);
    for (const { rolname } of rows) {
        const role = quoteIdentifier(rolname);
        // IAM only: with rds_iam a role cannot log in with a password at all, so none is kept.
        if (login.kind === "iam") await sql.query(`GRANT rds_iam TO ${role}; ALTER ROLE ${role} PASSWORD NULL`);
        else await sql.query(`ALTER ROLE ${role} PASSWORD ${quoteLiteral(login.password)}`);
    }
}

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;
