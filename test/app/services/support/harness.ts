// What the service tests share: PostgreSQL (fresh schema, the services' roles), redis-server,
// the token issuer, each service's environment as the infrastructure sets it (plus the local
// settings: a password, the test CA, an http issuer on loopback), and a logger whose lines the
// tests can read.
import pino, { type Logger } from "pino";
import { Writable } from "stream";
import { SERVICE_ROLES } from "../../../../app/db/roles";
import type { ServiceName } from "../../../../app/services/kit/settings";
import { freshSchema, roleEnv } from "../../support/postgres";
import { connectServices, REGION, type ConnectedServices } from "../../support/services";
import { cacheEnv, testCache, type TestCache } from "./cache-server";
import { TestIssuer } from "./tokens";

export const SITE_URL = "https://shop.example.co.za";
export const ASSETS_BUCKET = "shop-test-assets";

export interface ServiceTestContext {
    services: ConnectedServices;
    cache: TestCache;
    issuer: TestIssuer;
}

/** Connects the servers, migrates a fresh schema and starts the issuer; `stop` in `after`. */
export async function startServiceTests(): Promise<ServiceTestContext & { stop(): Promise<void> }> {
    const services = await connectServices();
    await freshSchema(services);
    const issuer = new TestIssuer();
    await issuer.start();
    return {
        services,
        cache: testCache(),
        issuer,
        stop: async () => {
            await issuer.stop();
            await services.local.stop();
        },
    };
}

/** A service's environment, as ECS would give it, pointed at the local servers. */
export function serviceEnv(
    context: ServiceTestContext,
    service: ServiceName,
    extra: Record<string, string> = {},
): Record<string, string> {
    return {
        SERVICE_NAME: service,
        PORT: "8080",
        AWS_REGION: REGION,
        SITE_URL: SITE_URL,
        ...roleEnv(context.services, SERVICE_ROLES[service]),
        DB_READER_HOST: context.services.pg.host,
        ...cacheEnv(context.cache),
        ...context.issuer.env(),
        ...(service === "catalog" ? { ASSETS_BUCKET, THUMBNAIL_WIDTHS: "200,400" } : {}),
        ...extra,
    };
}

/** A logger whose JSON lines are kept in `lines` (and not printed). */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
            done();
        },
    });
    return { logger: pino({ level: "info" }, sink), lines };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
