import * as assert from "assert";
import { Signer } from "@aws-sdk/rds-signer";
import { SERVICE_ROLES } from "../../../../app/db/roles";
import { IAM_TOKEN_REFRESH_MS, IamTokenCredentials } from "../../../../app/db/credentials";
import { Postgres } from "../../../../app/services/kit/postgres";
import { readServiceSettings } from "../../../../app/services/kit/settings";
import { EnvReader } from "../../../../app/shared/env";
import { freshSchema, killPostgres, startPostgres } from "../../support/postgres";
import { serviceEnv, startServiceTests, type ServiceTestContext } from "../support/harness";

describe("service kit: PostgreSQL (TLS verify-full, IAM tokens, reader pool, retries)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };

    const connect = (env: Record<string, string> = {}) => {
        const settings = readServiceSettings(new EnvReader(serviceEnv(context, "catalog", env)), "catalog");
        return Postgres.connect(settings.db, {
            applicationName: "kit-test",
            onConnectionError: () => undefined,
            retry: { attempts: 8, firstDelayMs: 50 },
        });
    };

    before(async function () {
        context = await startServiceTests();
    });

    after(async function () {
        await context?.stop();
    });

    it("connects over TLS verify-full as the service's role, trusting only the CA it is given (the RDS bundle by default)", async function () {
        const db = await connect({ DB_SSL_MODE: "verify-full", DB_SSL_CA_FILE: process.env.TEST_TLS_CA! });
        try {
            const [row] = await db.read<{ user: string; ssl: boolean }>(
                "SELECT current_user AS user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            );
            assert.deepStrictEqual(row, { user: SERVICE_ROLES.catalog, ssl: true });
        } finally {
            await db.end();
        }
        // The default trust is the RDS CA bundle: a local server's certificate is refused.
        const untrusted = await connect({ DB_SSL_MODE: "verify-full" });
        try {
            await assert.rejects(
                untrusted.read("SELECT 1"),
                /self[- ]signed certificate|unable to verify|certificate/i,
            );
        } finally {
            await untrusted.end();
        }
    });

    it("signs an IAM token for its user and endpoint, and signs a new one before the 15 minutes are up", async function () {
        let now = Date.parse("2026-12-01T10:00:00Z");
        let signed = 0;
        const signer = new Signer({
            hostname: "shop.cluster-abc.af-south-1.rds.amazonaws.com",
            port: 5432,
            username: "svc_catalog",
            region: "af-south-1",
        });
        const credentials = new IamTokenCredentials(
            "svc_catalog",
            { getAuthToken: () => (signed++, signer.getAuthToken()) },
            () => now,
        );
        const token = await credentials.password();
        assert.match(
            token,
            /^shop\.cluster-abc\.af-south-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=svc_catalog&X-Amz-Algorithm=AWS4-HMAC-SHA256&/,
        );
        assert.match(token, /X-Amz-Expires=900/);
        assert.match(token, /X-Amz-Credential=[^&]*%2Faf-south-1%2Frds-db%2Faws4_request/);
        now += IAM_TOKEN_REFRESH_MS - 1;
        await credentials.password();
        assert.strictEqual(signed, 1, "the token is reused while fresh");
        now += 1;
        await credentials.password();
        assert.strictEqual(signed, 2, "a new token before the old one expires");
        credentials.invalidate();
        await credentials.password();
        assert.strictEqual(signed, 3, "and at once after a refused login");
        assert.ok(IAM_TOKEN_REFRESH_MS < 15 * 60 * 1000);
    });

    it("rides out a PostgreSQL restart: reads retry until the server is back, the health check says when it is down", async function () {
        const db = await connect();
        try {
            assert.strictEqual(await db.ping(1000), true);
            killPostgres(context.services);
            assert.strictEqual(await db.ping(1000), false);
            const restart = new Promise<void>((resolve) =>
                setTimeout(() => {
                    startPostgres(context.services);
                    resolve();
                }, 300),
            );
            const [rows] = await Promise.all([db.read<{ ok: number }>("SELECT 1 AS ok"), restart]);
            assert.deepStrictEqual(rows, [{ ok: 1 }]);
            assert.strictEqual(await db.ping(1000), true);
        } finally {
            await db.end();
            await freshSchema(context.services).catch(() => undefined);
        }
    });
});
