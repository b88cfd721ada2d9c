// A service's PostgreSQL: a writer pool on the cluster endpoint and a reader pool on the reader
// endpoint, both as the service's own role (IAM token on Aurora, password locally; see
// app/db/connection.ts). Connecting is retried on transient failures (a failover, a restart, too
// many connections): nothing has run yet, so a retry cannot do anything twice. A statement that
// fails mid-way is retried only on the reader (reads are idempotent); writes report the failure.
import { DatabaseError, Pool, type PoolClient, type QueryResultRow } from "pg";
import {
    isAuthenticationFailure,
    isTransientConnectionError,
    poolConfig,
    type Credentials,
    type DatabaseSettings,
    type PoolRole,
} from "../../db/connection";
import { credentialsFor } from "../../db/credentials";

export type Sql = Pick<PoolClient, "query">;

/** SQL text, or a named statement: prepared once per connection, then executed by name (hot reads). */
export type Statement = string | { name: string; text: string };

export interface RetryPolicy {
    attempts: number;
    /** Doubled after each failure. */
    firstDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 100 };

export interface PostgresOptions {
    applicationName: string;
    /** An idle connection that died (failover, restart): logged, never fatal. */
    onConnectionError: (error: Error, pool: PoolRole) => void;
    retry?: RetryPolicy;
}

export class Postgres {
    private constructor(
        private readonly writer: Pool,
        private readonly reader: Pool,
        private readonly credentials: Record<PoolRole, Credentials>,
        private readonly retry: RetryPolicy,
    ) {}

    static async connect(settings: DatabaseSettings, options: PostgresOptions): Promise<Postgres> {
        const credentials = {
            writer: credentialsFor(settings.auth, { host: settings.host, port: settings.port }),
            reader: credentialsFor(settings.auth, { host: settings.readerHost, port: settings.port }),
        };
        const pool = async (role: PoolRole) => {
            const created = new Pool(
                poolConfig(settings, role, await credentials[role].user(), credentials[role], options.applicationName),
            );
            created.on("error", (error) => options.onConnectionError(error, role));
            return created;
        };
        return new Postgres(await pool("writer"), await pool("reader"), credentials, options.retry ?? DEFAULT_RETRY);
    }

    /** A statement on the writer (reads that must see the latest write too). */
    async query<R extends QueryResultRow>(statement: Statement, values?: unknown[]): Promise<R[]> {
        return this.withClient("writer", (client) => client.query<R>(statement, values)).then((result) => result.rows);
    }

    /** A read on the reader endpoint, retried whole on a transient failure. */
    async read<R extends QueryResultRow>(statement: Statement, values?: unknown[]): Promise<R[]> {
        return this.retrying(() =>
            this.withClient("reader", (client) => client.query<R>(statement, values), { retryConnect: false }),
        ).then((result) => result.rows);
    }

    /** `work` in one transaction on the writer: committed if it returns, rolled back if it throws. */
    transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
        return this.withClient("writer", async (client) => {
            await client.query("BEGIN");
            try {
                const result = await work(client);
                await client.query("COMMIT");
                return result;
            } catch (error) {
                await client.query("ROLLBACK").catch(() => undefined);
                throw error;
            }
        });
    }

    /** Whether the writer answers now (the health check); never throws. */
    async ping(timeoutMs: number): Promise<boolean> {
        const probe = this.withClient("writer", (client) => client.query("SELECT 1"));
        const timeout = new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
        return Promise.race([probe.then(() => true), timeout]).catch(() => false);
    }

    async end(): Promise<void> {
        await Promise.all([this.writer.end(), this.reader.end()]);
    }

    private async withClient<T>(
        role: PoolRole,
        work: (client: PoolClient) => Promise<T>,
        options = { retryConnect: true },
    ): Promise<T> {
        const pool = role === "writer" ? this.writer : this.reader;
        const connect = () =>
            pool.connect().catch((error: unknown) => {
                if (isAuthenticationFailure(error)) this.credentials[role].invalidate();
                throw error;
            });
        const client = await (options.retryConnect ? this.retrying(connect) : connect());
        // A checked-out client whose server dies emits "error" as well as failing its query.
        const ignore = () => undefined;
        client.on("error", ignore);
        try {
            const result = await work(client);
            client.release();
            return result;
        } catch (error) {
            // The server answered an error (a constraint, a timeout): the connection is fine. Any
            // other failure leaves its state unknown (maybe dead): never reuse it.
            client.release(!(error instanceof DatabaseError) || isTransientConnectionError(error));
            throw error;
        } finally {
            client.off("error", ignore);
        }
    }

    private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
        for (let n = 1; ; n++) {
            try {
                return await attempt();
            } catch (error) {
                if (n >= this.retry.attempts || !isTransientConnectionError(error)) throw error;
                await new Promise((resolve) => setTimeout(resolve, this.retry.firstDelayMs * 2 ** (n - 1)));
            }
        }
    }
}
