// The servers the function tests run against, as test/with-services.sh started them, and the
// process environment that points the handlers' SDK clients at them.
import { LocalAwsEndpoint } from "./aws-endpoint";
import { ROLE_PASSWORD } from "./postgres";

export interface TestServices {
    pg: { host: string; port: number; user: string; password: string; database: string };
    pgControl: { bin: string; data: string; log: string; osUser: string };
    /** fauxqs: SQS, SNS topics and S3. */
    awsEndpoint: string;
}

const REQUIRED = [
    "TEST_PG_HOST",
    "TEST_PG_PORT",
    "TEST_PG_USER",
    "TEST_PG_PASSWORD",
    "TEST_PG_DATABASE",
    "TEST_PG_BIN",
    "TEST_PG_DATA",
    "TEST_AWS_ENDPOINT",
];

export function testServices(): TestServices {
    const missing = REQUIRED.filter((name) => !process.env[name]);
    if (missing.length > 0) {
        throw new Error(
            `the function tests need PostgreSQL and the SQS/S3 emulator, but ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set. ` +
                "Run them through `npm test` or `npm run test:app`, which start both (test/with-services.sh).",
        );
    }
    const env = process.env as Record<string, string>;
    return {
        pg: {
            host: env.TEST_PG_HOST,
            port: Number(env.TEST_PG_PORT),
            user: env.TEST_PG_USER,
            password: env.TEST_PG_PASSWORD,
            database: env.TEST_PG_DATABASE,
        },
        pgControl: {
            bin: env.TEST_PG_BIN,
            data: env.TEST_PG_DATA,
            log: env.TEST_PG_LOG ?? "/dev/null",
            osUser: env.TEST_PG_OS_USER ?? "",
        },
        awsEndpoint: env.TEST_AWS_ENDPOINT,
    };
}

export const REGION = "af-south-1";
export const DB_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:000000000000:secret:shop-db-master-AbCdEf`;
export const PAYMENT_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:000000000000:secret:shop-payments-AbCdEf`;

export interface ConnectedServices extends TestServices {
    local: LocalAwsEndpoint;
    localUrl: string;
    /** The migrator's environment (DB_*, DB_ROLE_*): the master user, from Secrets Manager. */
    migratorEnv: Record<string, string>;
}

/**
 * Points the AWS SDK at the emulators (fauxqs for SQS/S3, the local endpoint for SES v2, SMS and
 * Secrets Manager), puts the database and payment secrets in the local endpoint, and quiets
 * Powertools. Call in a `before` hook; stop the returned endpoint in `after`.
 */
export async function connectServices(): Promise<ConnectedServices> {
    const services = testServices();
    const local = new LocalAwsEndpoint();
    const localUrl = await local.start();
    Object.assign(process.env, {
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_ENDPOINT_URL: services.awsEndpoint,
        AWS_ENDPOINT_URL_SESV2: localUrl,
        AWS_ENDPOINT_URL_SNS: localUrl,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: localUrl,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: localUrl,
        // The tests decide what fails; the SDK's own retries would only slow them down.
        AWS_MAX_ATTEMPTS: "1",
        // The project runs Node 20 (the functions run on 22); the SDK says so once per process.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        POWERTOOLS_LOG_LEVEL: "SILENT",
        POWERTOOLS_METRICS_DISABLED: "true",
    });
    delete process.env.AWS_PROFILE;
    local.secrets.set(
        DB_SECRET_ARN,
        JSON.stringify({ username: services.pg.user, password: services.pg.password, engine: "postgres" }),
    );
    local.secrets.set(PAYMENT_SECRET_ARN, JSON.stringify({ apiKey: "sk_sandbox_test_key" }));
    return {
        ...services,
        local,
        localUrl,
        migratorEnv: {
            DB_HOST: services.pg.host,
            DB_PORT: String(services.pg.port),
            DB_NAME: services.pg.database,
            DB_AUTH: "secret",
            DB_SECRET_ARN,
            DB_SSL_MODE: "disable",
            DB_ROLE_AUTH: "password",
            DB_ROLE_PASSWORD: ROLE_PASSWORD,
        },
    };
}
