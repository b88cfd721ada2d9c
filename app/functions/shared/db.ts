// PostgreSQL (Aurora) access for the functions that run in the VPC. The credentials are the
// RDS-managed master secret ({"username", "password"}), read at run time; RDS rotates it, so a
// rejected password makes the next connection fetch the secret again instead of waiting for the
// cache to expire.
import { Pool, type PoolClient, type QueryResultRow } from "pg";
import { z } from "zod";
import type { EnvReader } from "./env";
import type { SecretReader } from "./secrets";

export interface DatabaseSettings {
    host: string;
    port: number;
    database: string;
    /** ARN of the secret holding {"username", "password"}. */
    secretArn: string;
    /** verify-full: TLS with the server certificate checked (Lambda needs NODE_EXTRA_CA_CERTS for the RDS CA). */
    tls: "verify-full" | "disable";
    /** One connection per container is the Lambda norm: containers scale, connections must not. */
    maxConnections: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
}

/** DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN, DB_TLS, DB_MAX_CONNECTIONS, DB_CONNECT_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS. */
export function readDatabaseSettings(env: EnvReader): DatabaseSettings {
    return {
        host: env.string("DB_HOST"),
        port: env.integer("DB_PORT", 5432, 1, 65535),
        database: env.string("DB_NAME"),
        secretArn: env.string("DB_SECRET_ARN"),
        tls: env.oneOf("DB_TLS", ["verify-full", "disable"] as const, "verify-full"),
        maxConnections: env.integer("DB_MAX_CONNECTIONS", 1, 1, 20),
        connectTimeoutMs: env.integer("DB_CONNECT_TIMEOUT_MS", 5000, 100, 60000),
        statementTimeoutMs: env.integer("DB_STATEMENT_TIMEOUT_MS", 10000, 100, 300000),
    };
}

const Credentials = z.object({ username: z.string().min(1), password: z.string().min(1) });

const INVALID_PASSWORD = "28P01";

export type Sql = Pick<PoolClient, "query">;

export class Database {
    private pool?: Pool;
    private refreshCredentials = false;

    constructor(
        private readonly settings: DatabaseSettings,
        private readonly secrets: SecretReader,
        private readonly applicationName: string,
        private readonly onConnectionError: (error: Error) => void,
    ) {}

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
        await this.pool?.end();
        this.pool = undefined;
    }

    private async connectPool(): Promise<Pool> {
        if (this.pool) return this.pool;
        const { username } = await this.secrets.json(this.settings.secretArn, Credentials);
        const pool = new Pool({
            host: this.settings.host,
            port: this.settings.port,
            database: this.settings.database,
            user: username,
            password: async () => {
                const refresh = this.refreshCredentials;
                this.refreshCredentials = false;
                return (await this.secrets.json(this.settings.secretArn, Credentials, refresh)).password;
            },
            ssl: this.settings.tls === "verify-full" ? { rejectUnauthorized: true } : false,
            max: this.settings.maxConnections,
            connectionTimeoutMillis: this.settings.connectTimeoutMs,
            statement_timeout: this.settings.statementTimeoutMs,
            idle_in_transaction_session_timeout: this.settings.statementTimeoutMs,
            application_name: this.applicationName,
            // Lambda freezes containers between invocations; a long-idle socket is likely dead.
            idleTimeoutMillis: 60000,
        });
        // An idle connection dies with the server (failover, restart): without a listener the
        // error would crash the container.
        pool.on("error", this.onConnectionError);
        this.pool = pool;
        return pool;
    }

    private async guard<T>(operation: Promise<T>): Promise<T> {
        try {
            return await operation;
        } catch (error) {
            if ((error as { code?: string }).code === INVALID_PASSWORD) this.refreshCredentials = true;
            throw error;
        }
    }
}
