import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { globMatches, MAX_CSP_LENGTH } from "../../../infra/config/edge";
import { expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith } from "../harness";

describe("edge and identity configuration", () => {
    it("reads both stack files", () => {
        const dev = loadConfig(configWith("dev", {}));
        const prod = loadConfig(configWith("prod", {}));
        assert.deepStrictEqual([dev.edge.priceClass, prod.edge.priceClass], ["PriceClass_200", "PriceClass_200"]);
        assert.deepStrictEqual([dev.edge.blockAnonymousIps, prod.edge.blockAnonymousIps], [false, true]);
        assert.deepStrictEqual([dev.identity.threatProtection, prod.identity.threatProtection], ["OFF", "ENFORCED"]);
        assert.strictEqual(prod.identity.domainPrefix, "shop-prod-222222222222");
    });

    it("matches CloudFront path patterns as CloudFront does (* any run, ? one character)", () => {
        assert.ok(globMatches("/static/*", "/static/errors/5xx.html"));
        assert.ok(globMatches("/img?/*", "/img1/a.png"));
        assert.ok(!globMatches("/static/*", "/statics/a.css"));
        assert.ok(!globMatches("/static/*.css", "/static/a.js"));
    });

    describe("rejects bad edge values with the key, the value and the fix", () => {
        it("a price class without African edge locations", () =>
            expectProblem(
                "dev",
                { "edge.priceClass": "PriceClass_100" },
                "shop:edge.priceClass",
                /no edge location in Africa/,
                /PriceClass_200/,
            ));
        it("an unknown price class", () =>
            expectProblem(
                "dev",
                { "edge.priceClass": "PriceClass_300" },
                "shop:edge.priceClass",
                /not one of: PriceClass_200, PriceClass_All/,
            ));
        // CloudFront rejects the response headers policy at deploy time.
        it("a content security policy longer than CloudFront accepts", () =>
            expectProblem(
                "dev",
                { "edge.contentSecurityPolicy": `default-src 'self'; img-src ${"https://a.example ".repeat(110)}` },
                "shop:edge.contentSecurityPolicy",
                new RegExp(`at most ${MAX_CSP_LENGTH}`),
            ));
        it("a content security policy over several lines", () =>
            expectProblem(
                "dev",
                { "edge.contentSecurityPolicy": "default-src 'self';\nimg-src 'self'" },
                "shop:edge.contentSecurityPolicy",
                /not printable ASCII/,
            ));
        it("a rate limit below WAF's minimum", () =>
            expectProblem(
                "dev",
                { "edge.rateLimitPer5Minutes": 5 },
                "shop:edge.rateLimitPer5Minutes",
                /between 10 and 2000000000/,
            ));
        it("a static pattern that would capture the API", () =>
            expectProblem(
                "dev",
                { "edge.staticPathPatterns": ["/*"] },
                "shop:edge.staticPathPatterns",
                /would also send \/api\/\* to the bucket/,
            ));
        it("a static pattern that would serve raw uploads", () =>
            expectProblem(
                "dev",
                { "edge.staticPathPatterns": ["/static/*", "/uploads/*"] },
                "shop:edge.staticPathPatterns",
                /\/uploads\/\* to the bucket/,
            ));
        it("a static pattern for the thumbnails, which have a behavior of their own", () =>
            expectProblem(
                "dev",
                { "edge.staticPathPatterns": ["/static/*", "/thumbnails/*"] },
                "shop:edge.staticPathPatterns",
                /always served from the bucket \(the thumbnails\)/,
            ));
        it("a static pattern CloudFront does not accept", () =>
            expectProblem(
                "dev",
                { "edge.staticPathPatterns": ["static/*"] },
                "shop:edge.staticPathPatterns",
                /not a CloudFront path pattern/,
            ));
        it("an error page the bucket does not serve", () =>
            expectProblem(
                "dev",
                { "edge.errorPagePath": "/errors/5xx.html" },
                "shop:edge.errorPagePath",
                /not under any of edge.staticPathPatterns/,
                /from the bucket/,
            ));
        it("a health check path served by the bucket", () =>
            expectProblem(
                "dev",
                { "edge.healthCheckPath": "/static/health" },
                "shop:edge.healthCheckPath",
                /would test the bucket/,
            ));
        it("a misspelt edge setting", () =>
            expectProblem(
                "dev",
                { "edge.rateLimit": 100 },
                "shop:edge.rateLimit",
                /not a known setting of edge/,
                /rateLimitPer5Minutes/,
            ));
    });

    describe("rejects bad identity values with the key, the value and the fix", () => {
        it("a missing identity section", () =>
            expectProblem("dev", { identity: undefined }, "shop:identity", /is required/, /callbackUrls/));
        it("no callback URLs", () =>
            expectProblem("dev", { "identity.callbackUrls": [] }, "shop:identity.callbackUrls", /at least 1 required/));
        // Cognito refuses such redirect URIs when the client is created.
        it("a plain-http callback URL", () =>
            expectProblem(
                "dev",
                { "identity.callbackUrls": ["http://dev.shop.example.co.za/auth/callback"] },
                "shop:identity.callbackUrls",
                /must use https/,
            ));
        it("a callback URL with a fragment", () =>
            expectProblem(
                "dev",
                { "identity.callbackUrls": ["https://dev.shop.example.co.za/#/callback"] },
                "shop:identity.callbackUrls",
                /fragment/,
            ));
        it("a logout URL that is not absolute", () =>
            expectProblem(
                "dev",
                { "identity.logoutUrls": ["/signed-out"] },
                "shop:identity.logoutUrls",
                /not an absolute URL/,
            ));
        it("a hosted UI prefix with a word Cognito reserves", () =>
            expectProblem(
                "dev",
                { "identity.domainPrefix": "shop-aws-login" },
                "shop:identity.domainPrefix",
                /"aws", which Cognito reserves/,
            ));
        it("a hosted UI prefix with upper-case letters", () =>
            expectProblem(
                "dev",
                { "identity.domainPrefix": "Shop-Login" },
                "shop:identity.domainPrefix",
                /not a Cognito domain prefix/,
            ));
        it("the default hosted UI prefix when the project name contains a reserved word", () => {
            const raw = configWith("dev", {});
            const renamed = {
                ...raw,
                project: "awsshop",
                values: Object.fromEntries(
                    Object.entries(raw.values).map(([k, v]) => [k.replace(/^shop:/, "awsshop:"), v]),
                ),
            };
            assert.throws(
                () => loadConfig(renamed),
                /awsshop:identity.domainPrefix = "awsshop-dev-111111111111": contains "aws"/,
            );
        });
        it("a password length Cognito does not allow", () =>
            expectProblem(
                "dev",
                { "identity.passwordMinimumLength": 6 },
                "shop:identity.passwordMinimumLength",
                /between 8 and 99/,
            ));
        it("MFA switched off", () =>
            expectProblem("dev", { "identity.mfa": "OFF" }, "shop:identity.mfa", /not one of: OPTIONAL, ON/));
        it("an access token validity beyond a day", () =>
            expectProblem(
                "dev",
                { "identity.accessTokenValidityMinutes": 1441 },
                "shop:identity.accessTokenValidityMinutes",
                /between 5 and 1440/,
            ));
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            { key: "edge.blockAnonymousIps", value: false, minimum: /anonymous IP list/ },
            { key: "identity.threatProtection", value: "AUDIT", minimum: /threat protection ENFORCED/ },
            { key: "identity.passwordMinimumLength", value: 10, minimum: /at least 12 characters/ },
            {
                key: "identity.callbackUrls",
                value: ["https://shop.example.co.za/auth/callback", "http://localhost:3000/auth/callback"],
                minimum: /no localhost URLs/,
            },
        ]);
    });
});
