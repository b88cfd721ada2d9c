// PostgreSQL (Aurora) access for the functions that run in the VPC. Each connects as its own
// least-privilege role with IAM authentication (app/db/connection.ts); only the migrator uses
// the RDS-managed master secret ({"username", "password"}), read at run time: RDS rotates it, so
// a rejected password makes the next connection fetch the secret again instead of waiting for
// the cache to expire.
import { Pool, type PoolClient, type QueryResultRow } from "pg";
import { z } from "zod";
import {
    isAuthenticationFailure,
    poolConfig,
    readDatabaseSettings,
    type Credentials,
    type DatabaseAuthKind,
    type DatabaseSettings,
} from "../../db/connection";
import { credentialsFor } from "../../db/credentials";
import type { EnvReader } from "../../shared/env";
import type { SecretReader } from "./secrets";

export type { DatabaseSettings } from "../../db/connection";

/**
 * The DB_* variables (app/db/connection.ts). A function's pool holds one connection by default,
 * the Lambda norm: containers scale, connections must not. Only the migrator may pass "secret".
 */
export function readFunctionDatabaseSettings(
    env: EnvReader,
    auth: readonly DatabaseAuthKind[] = ["iam", "password"],
): DatabaseSettings {
    return readDatabaseSettings(env, { auth, maxConnections: 1 });
}

const MasterCredentials = z.object({ username: z.string().min(1), password: z.string().min(1) });

export type Sql = Pick<PoolClient, "query">;

export class Database {
    private pool?: Promise<Pool>;
    private readonly credentials: Credentials;

    constructor(
        private readonly settings: DatabaseSettings,
        secrets: SecretReader,
        private readonly applicationName: string,
        private readonly onConnectionError: (error: Error) => void,
    ) {
        this.credentials = credentialsFor(settings.auth, settings, (arn, fresh) =>
            secrets.json(arn, MasterCredentials, fresh),
        );
    }

    async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
        const pool = await this.connectPool();
        return (await this.guard(pool.query<R>(text, values))).rows;
    }

    /** Runs `work` on one connection of its own (e.g. for session-level advisory locks). */
    async session<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
        const pool = await this.connectPool();
        const client = await this.guard(pool.connect());
        // A checked-out client whose server dies emits "error"; unheard, it would crash the
        // container. The failing query rejects too, which is what the caller acts on.
        client.on("error", this.onConnectionError);
        let failed = true;
        try {
            const result = await work(client);
            failed = false;
            return result;
        } finally {
            client.off("error", this.onConnectionError);
            // After an error the connection's state is unknown (maybe dead): never reuse it.
            client.release(failed);
        }
    }

    /** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
    async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
        return this.session(async (sql) => {
            await sql.query("BEGIN");
            try {
                const result = await work(sql);
                await sql.query("COMMIT");
                return result;
            } catch (error) {
                await sql.query("ROLLBACK").catch(() => undefined);
                throw error;
            }
        });
    }

    async end(): Promise<void> {
        const pool = this.pool;
        this.pool = undefined;
        await (await pool?.catch(() => undefined))?.end();
    }

    private connectPool(): Promise<Pool> {
        if (this.pool) return this.pool;
        const pool = this.credentials.user().then((user: string) => {
            const created = new Pool(poolConfig(this.settings, "writer", user, this.credentials, this.applicationName));
            // An idle connection dies with the server (failover, restart): without a listener the
            // error would crash the container.
            created.on("error", this.onConnectionError);
            return created;
        });
        // A failed start (the secret unreadable) is not kept: the next call tries again.
        pool.catch(() => (this.pool = undefined));
        this.pool = pool;
        return pool;
    }

    private async guard<T>(operation: Promise<T>): Promise<T> {
        try {
            return await operation;
        } catch (error) {
            if (isAuthenticationFailure(error)) this.credentials.invalidate();
            throw error;
        }
    }
}
