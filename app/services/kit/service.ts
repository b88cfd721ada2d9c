// Builds what every service runs on from its validated settings, and runs it:
//  - createServiceKit: the logger, PostgreSQL (writer + reader), the cache, the token verifier
//    and the HTTP app with its health check; a service adds its routes to `app`. Tests build
//    the same kit (with their own logger or cache) and drive `app` directly.
//  - runService: listens on PORT and, on SIGTERM (ECS stopping the task, after the load balancer
//    has deregistered it), drains: no new connection is accepted (so the health check fails),
//    requests in flight finish, then the pools close; all within SHUTDOWN_TIMEOUT_MS, below
//    ECS's stop timeout, after which it exits anyway.
import pino, { type Logger } from "pino";
import { TokenVerifier } from "./auth";
import { ValkeyCache, type Cache } from "./cache";
import { createServiceApp, type ServiceApp } from "./http";
import { Postgres } from "./postgres";
import type { ServiceSettings } from "./settings";

const HEALTH_CHECK_DATABASE_TIMEOUT_MS = 2000;
/** How long start-up waits for the cache; it starts without (and reconnects) if it is down. */
const CACHE_CONNECT_TIMEOUT_MS = 2000;

export interface ServiceKit {
    settings: ServiceSettings;
    logger: Logger;
    db: Postgres;
    cache: Cache;
    auth: TokenVerifier;
    app: ServiceApp;
    /** Stops the HTTP server (draining it), then closes the pools and the cache. */
    close(): Promise<void>;
}

export interface ServiceInfo {
    version: string;
    description: string;
}

export interface KitOverrides {
    logger?: Logger;
    /** Another cache (the benchmark's cache-off run); the settings' Valkey otherwise. */
    cache?: Cache;
}

/** Structured JSON logs on stdout (CloudWatch through awslogs); credentials never logged. */
export function serviceLogger(settings: Pick<ServiceSettings, "service" | "logLevel">): Logger {
    return pino(
        {
            level: settings.logLevel,
            base: { service: settings.service },
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
            redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.authToken"],
        },
        // Written at once, in order: nothing is lost when the process exits after a drain.
        pino.destination({ sync: true }),
    );
}

export async function createServiceKit(
    settings: ServiceSettings,
    info: ServiceInfo,
    overrides: KitOverrides = {},
): Promise<ServiceKit> {
    const logger = overrides.logger ?? serviceLogger(settings);
    const db = await Postgres.connect(settings.db, {
        applicationName: `${settings.service}-service`,
        onConnectionError: (error, pool) => logger.warn({ err: error, pool }, "database connection lost"),
    });
    let lastCacheError = 0;
    const cache =
        overrides.cache ??
        new ValkeyCache(settings.cache, {
            namespace: `${settings.service}:`,
            // Reconnection attempts repeat the error; one line per 10 s says enough.
            onError: (error) => {
                if (Date.now() - lastCacheError < 10000) return;
                lastCacheError = Date.now();
                logger.warn({ err: error }, "cache unavailable: serving from PostgreSQL");
            },
        });
    await cache.connect(CACHE_CONNECT_TIMEOUT_MS);
    const app = await createServiceApp({
        service: settings.service,
        ...info,
        logger,
        health: {
            database: () => db.ping(HEALTH_CHECK_DATABASE_TIMEOUT_MS),
            cache: () => cache.state(),
        },
    });
    return {
        settings,
        logger,
        db,
        cache,
        auth: new TokenVerifier(settings.auth),
        app,
        close: once(async () => {
            // No new connection is accepted from here on (the load balancer's health checks
            // fail); requests in flight finish; then the pools close.
            await app.close();
            await Promise.allSettled([db.end(), cache.close()]);
        }),
    };
}

/** The first call's promise, for every call. */
function once(run: () => Promise<void>): () => Promise<void> {
    let running: Promise<void> | undefined;
    return () => (running ??= run());
}

/** Listens on the settings' port and drains on SIGTERM/SIGINT; resolves once listening. */
export async function runService(kit: ServiceKit): Promise<void> {
    const { settings, logger } = kit;
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal, timeoutMs: settings.shutdownTimeoutMs }, "draining");
        const deadline = setTimeout(() => {
            logger.error("drain timed out: exiting with requests still open");
            process.exit(1);
        }, settings.shutdownTimeoutMs);
        deadline.unref();
        kit.close().then(
            () => {
                logger.info("stopped");
                process.exit(0);
            },
            (error: unknown) => {
                logger.error({ err: error }, "stopping failed");
                process.exit(1);
            },
        );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    await kit.app.listen({ host: "0.0.0.0", port: settings.port });
}

/** A service's entry point: settings read (and any problem reported) before anything starts. */
export function main(start: () => Promise<ServiceKit>): void {
    start()
        .then(runService)
        .catch((error: Error) => {
            // Before the logger exists (bad settings): one JSON line on stderr, exit 1.
            console.error(
                JSON.stringify({ level: "fatal", message: "the service did not start", error: error.message }),
            );
            process.exit(1);
        });
}
