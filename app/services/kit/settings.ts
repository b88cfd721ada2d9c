// What every service reads from its environment (the variables infra/services/microservice.ts
// sets; a test keeps the two in step), validated once at start-up: a bad or missing variable
// stops the service with a message naming it. A service reads its own variables with the same
// EnvReader before calling done() (see catalog/settings.ts).
import { readDatabaseSettings, type DatabaseSettings } from "../../db/connection";
import type { EnvReader } from "../../shared/env";

export const SERVICE_NAMES = ["catalog", "orders", "users", "payments"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface CacheSettings {
    host: string;
    /** Where reads may go (a replica); the primary's when unset. */
    readerHost: string;
    port: number;
    tls: boolean;
    /** PEM file of the CAs to trust; Node's own (ElastiCache's certificates are public) when unset. */
    caFile?: string;
    /** The AUTH token ECS injects from Secrets Manager. */
    authToken?: string;
    /** A command slower than this counts as the cache being down. */
    commandTimeoutMs: number;
}

export interface AuthSettings {
    /** The Cognito user pool's issuer, or a local OpenID provider's (http only on localhost). */
    issuer: string;
    jwksUri: string;
    /** The storefront's app client: the access token's `client_id`. */
    clientId: string;
    /** The pool itself (the users service deletes users from it). */
    userPoolId: string;
}

export interface ServiceSettings {
    service: ServiceName;
    port: number;
    db: DatabaseSettings;
    cache: CacheSettings;
    auth: AuthSettings;
    /** https://<domain>: where the storefront, the images and the thumbnails are served. */
    siteUrl: string;
    logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
    /** How long a SIGTERM drain may take before the pools are closed anyway (below ECS's stopTimeout). */
    shutdownTimeoutMs: number;
}

const COGNITO_POOL_ID = /^([a-z]{2}-[a-z]+-\d)_[A-Za-z0-9]+$/;

/** The variables every service shares; call done() on `env` after the service's own. */
export function readServiceSettings(env: EnvReader, service: ServiceName): ServiceSettings {
    const named = env.optionalString("SERVICE_NAME");
    if (named && named !== service)
        env.problem(`SERVICE_NAME is "${named}" but this image runs the ${service} service`);
    return {
        service,
        port: env.integer("PORT", 8080, 1, 65535),
        db: readDatabaseSettings(env, { auth: ["iam", "password"], maxConnections: 10 }),
        cache: readCacheSettings(env),
        auth: readAuthSettings(env),
        siteUrl: env.url("SITE_URL"),
        logLevel: env.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace"] as const, "info"),
        shutdownTimeoutMs: env.integer("SHUTDOWN_TIMEOUT_MS", 20000, 1000, 120000),
    };
}

function readCacheSettings(env: EnvReader): CacheSettings {
    const host = env.string("CACHE_HOST");
    const tls = env.boolean("CACHE_TLS", true);
    const caFile = env.optionalString("CACHE_CA_FILE");
    if (caFile && !tls) env.problem("CACHE_CA_FILE is set but CACHE_TLS is false");
    return {
        host,
        readerHost: env.optionalString("CACHE_READER_HOST") ?? host,
        port: env.integer("CACHE_PORT", 6379, 1, 65535),
        tls,
        caFile,
        authToken: env.optionalString("CACHE_AUTH_TOKEN"),
        commandTimeoutMs: env.integer("CACHE_COMMAND_TIMEOUT_MS", 250, 10, 10000),
    };
}

/**
 * COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID; the issuer and its keys are the pool's unless
 * AUTH_ISSUER (and AUTH_JWKS_URI) name another provider of Cognito-shaped tokens, e.g. the local
 * OpenID provider of `npm run local`. Either way the same verification runs.
 */
function readAuthSettings(env: EnvReader): AuthSettings {
    const userPoolId = env.string("COGNITO_USER_POOL_ID");
    const match = COGNITO_POOL_ID.exec(userPoolId);
    if (userPoolId && !match)
        env.problem(`COGNITO_USER_POOL_ID is "${userPoolId}": expected <region>_<id>, e.g. af-south-1_AbC123`);
    const issuer =
        env.url("AUTH_ISSUER", "optional") ??
        (match ? `https://cognito-idp.${match[1]}.amazonaws.com/${userPoolId}` : "");
    return {
        issuer,
        jwksUri: env.url("AUTH_JWKS_URI", "optional") ?? `${issuer}/.well-known/jwks.json`,
        clientId: env.string("COGNITO_CLIENT_ID"),
        userPoolId,
    };
}
