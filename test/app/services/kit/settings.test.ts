import * as assert from "assert";
import { readServiceSettings } from "../../../../app/services/kit/settings";
import { EnvReader } from "../../../../app/shared/env";
import { configProblems } from "../../functions/support/fixtures";

const VALID = {
    SERVICE_NAME: "catalog",
    DB_HOST: "shop.cluster-abc.af-south-1.rds.amazonaws.com",
    DB_READER_HOST: "shop.cluster-ro-abc.af-south-1.rds.amazonaws.com",
    DB_NAME: "shop",
    DB_USER: "svc_catalog",
    DB_AUTH: "iam",
    DB_SSL_MODE: "verify-full",
    AWS_REGION: "af-south-1",
    CACHE_HOST: "master.shop.abc.afs1.cache.amazonaws.com",
    CACHE_READER_HOST: "replica.shop.abc.afs1.cache.amazonaws.com",
    CACHE_PORT: "6379",
    CACHE_TLS: "true",
    CACHE_AUTH_TOKEN: "secret-token",
    COGNITO_USER_POOL_ID: "af-south-1_AbC123",
    COGNITO_CLIENT_ID: "client123",
    SITE_URL: "https://shop.example.co.za",
};

const read = (env: Record<string, string>) => {
    const reader = new EnvReader(env);
    const settings = readServiceSettings(reader, "catalog");
    reader.done();
    return settings;
};

describe("service kit: settings, validated once at start-up", function () {
    it("reads what ECS sets: IAM auth, TLS, the reader endpoints, the Cognito pool's issuer and keys", function () {
        const settings = read(VALID);
        assert.deepStrictEqual(settings.db.auth, { kind: "iam", user: "svc_catalog", region: "af-south-1" });
        assert.deepStrictEqual(
            [settings.db.host, settings.db.readerHost, settings.db.sslMode],
            [VALID.DB_HOST, VALID.DB_READER_HOST, "verify-full"],
        );
        assert.deepStrictEqual(settings.auth, {
            issuer: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_AbC123",
            jwksUri: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_AbC123/.well-known/jwks.json",
            clientId: "client123",
            userPoolId: "af-south-1_AbC123",
        });
        assert.deepStrictEqual(
            [
                settings.cache.readerHost,
                settings.cache.tls,
                settings.cache.authToken,
                settings.port,
                settings.shutdownTimeoutMs,
            ],
            [VALID.CACHE_READER_HOST, true, "secret-token", 8080, 20000],
        );
    });

    it("names every missing or bad variable, and stops", function () {
        assert.deepStrictEqual(
            configProblems(() =>
                read({
                    SERVICE_NAME: "users",
                    DB_AUTH: "secret",
                    DB_SSL_MODE: "prefer",
                    CACHE_TLS: "yes",
                    COGNITO_USER_POOL_ID: "pool",
                    SITE_URL: "http://shop.example.co.za",
                    AUTH_ISSUER: "http://idp.example.com",
                    PORT: "99999",
                }),
            ),
            [
                'SERVICE_NAME is "users" but this image runs the catalog service',
                'PORT is "99999": expected an integer from 1 to 65535',
                "DB_HOST is not set",
                'DB_AUTH is "secret": expected one of iam, password',
                'DB_SSL_MODE is "prefer": expected one of verify-full, disable',
                "DB_NAME is not set",
                "CACHE_HOST is not set",
                'CACHE_TLS is "yes": expected one of true, false',
                'COGNITO_USER_POOL_ID is "pool": expected <region>_<id>, e.g. af-south-1_AbC123',
                'AUTH_ISSUER is "http://idp.example.com": expected an https URL (http only for localhost)',
                "COGNITO_CLIENT_ID is not set",
                'SITE_URL is "http://shop.example.co.za": expected an https URL (http only for localhost)',
            ],
        );
        assert.deepStrictEqual(
            configProblems(() => read({ ...VALID, DB_AUTH: "password" })),
            ["DB_PASSWORD is not set"],
        );
        assert.deepStrictEqual(
            configProblems(() => read({ ...VALID, AWS_REGION: "" })),
            ["AWS_REGION is not set: IAM database authentication signs for a region"],
        );
    });

    it("accepts a local provider of Cognito-shaped tokens on http://localhost, through the same settings", function () {
        const settings = read({
            ...VALID,
            AUTH_ISSUER: "http://127.0.0.1:9000/local",
            AUTH_JWKS_URI: "http://localhost:9000/jwks.json",
        });
        assert.deepStrictEqual(
            [settings.auth.issuer, settings.auth.jwksUri],
            ["http://127.0.0.1:9000/local", "http://localhost:9000/jwks.json"],
        );
    });
});
