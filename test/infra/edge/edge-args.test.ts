import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { Assets, AssetsArgs } from "../../../infra/edge/assets";
import { Edge, EdgeArgs } from "../../../infra/edge/edge";
import { Identity, IdentityArgs } from "../../../infra/edge/identity";
import { createWebAcl } from "../../../infra/edge/web-acl";
import { EvaluationError, Program } from "../../../infra/offline/evaluate";
import { configWith, planWith } from "../harness";

/** The message of the error the program fails with. */
async function failureOf(program: Program): Promise<string> {
    const failure = await planWith(configWith("dev", {}), program).then(
        () => assert.fail("the program should fail"),
        (err: unknown) => err,
    );
    assert.ok(failure instanceof EvaluationError, String(failure));
    return failure.message;
}

const providers = () => ({
    regional: new aws.Provider("test-regional", { region: "af-south-1" }),
    usEast1: new aws.Provider("test-us-east-1", { region: "us-east-1" }),
});

const ASSETS: AssetsArgs = {
    bucketName: "shop-test-assets",
    kmsKeyArn: "arn:aws:kms:af-south-1:111111111111:key/x",
    noncurrentVersionRetentionDays: 7,
    forceDestroy: true,
};

const IDENTITY: IdentityArgs = {
    region: "af-south-1",
    poolName: "shop-test-users",
    domainPrefix: "shop-test",
    callbackUrls: ["https://shop.example.com/auth/callback"],
    logoutUrls: ["https://shop.example.com/"],
    passwordMinimumLength: 12,
    mfa: "OPTIONAL",
    threatProtection: "OFF",
    accessTokenValidityMinutes: 60,
    idTokenValidityMinutes: 60,
    refreshTokenValidityDays: 30,
    deletionProtection: false,
    accountId: "111111111111",
    emailSenderIdentity: "shop.example.com",
    emailSenderAddress: "no-reply@shop.example.com",
    emailSenderName: "Shop",
};

function edgeArgs(edgeProvider: aws.Provider): EdgeArgs {
    return {
        accountId: "111111111111",
        region: "af-south-1",
        namePrefix: "shop-test",
        edgeProvider,
        zoneId: "Z0TEST",
        siteDomainNames: ["shop.example.com", "www.shop.example.com"],
        siteCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/x",
        assetsBucketName: "shop-test-assets",
        assetsBucketArn: "arn:aws:s3:::shop-test-assets",
        assetsBucketRegionalDomainName: "shop-test-assets.s3.af-south-1.amazonaws.com",
        webOriginDomainName: "origin.shop.example.com",
        originVerifySecret: "secret",
        apiDomainName: "x.execute-api.af-south-1.amazonaws.com",
        publicLoadBalancerArn: "arn:aws:elasticloadbalancing:af-south-1:111111111111:loadbalancer/app/x/y",
        priceClass: "PriceClass_200",
        contentSecurityPolicy: "default-src 'self'",
        staticPathPatterns: ["/static/*"],
        errorPagePath: "/static/5xx.html",
        healthCheckPath: "/health",
        rateLimitPer5Minutes: 1000,
        blockAnonymousIps: false,
        logRetentionDays: 30,
        edgeLogsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/x",
        regionalLogsKeyArn: "arn:aws:kms:af-south-1:111111111111:key/y",
    };
}

describe("edge components reject contradictory arguments", () => {
    it("accepts the baseline arguments (so each case below fails for its own reason)", async () => {
        const graph = await planWith(configWith("dev", {}), () => {
            const { regional, usEast1 } = providers();
            new Assets("assets", ASSETS, { provider: regional });
            new Identity("identity", IDENTITY, { provider: regional });
            new Edge("edge", edgeArgs(usEast1), { provider: regional });
            return {};
        });
        assert.strictEqual(
            graph.resources.filter((r) => r.type === "aws:cloudfront/distribution:Distribution").length,
            1,
        );
    });

    it("a pool that sends as an address identity, with a configuration set, is accepted as given", async () => {
        const graph = await planWith(configWith("dev", {}), () => {
            new Identity(
                "identity",
                { ...IDENTITY, emailSenderIdentity: "no-reply@shop.example.com", emailConfigurationSet: "shop-mail" },
                { provider: providers().regional },
            );
            return {};
        });
        assert.deepStrictEqual(
            graph.resources.find((r) => r.type === "aws:cognito/userPool:UserPool")?.inputs.emailConfiguration,
            {
                emailSendingAccount: "DEVELOPER",
                sourceArn: "arn:aws:ses:af-south-1:111111111111:identity/no-reply@shop.example.com",
                fromEmailAddress: '"Shop" <no-reply@shop.example.com>',
                configurationSet: "shop-mail",
            },
        );
    });

    it("a CLOUDFRONT-scope web ACL outside us-east-1", async () => {
        const message = await failureOf(() => {
            const { regional } = providers();
            const parent = new pulumi.ComponentResource("shop:test:Parent", "parent", {}, { provider: regional });
            createWebAcl("waf", {
                aclName: "x",
                scope: "CLOUDFRONT",
                accountId: "111111111111",
                region: "af-south-1",
                rateLimitPer5Minutes: 100,
                blockAnonymousIps: false,
                logRetentionDays: 30,
                logsKeyArn: "arn:aws:kms:af-south-1:111111111111:key/x",
                parent,
            });
            return {};
        });
        assert.match(message, /CLOUDFRONT-scope web ACL must be created in us-east-1, not af-south-1/);
    });

    it("a bucket name S3 does not accept", async () => {
        const message = await failureOf(() => {
            new Assets("assets", { ...ASSETS, bucketName: "Shop_Assets" }, { provider: providers().regional });
            return {};
        });
        assert.match(message, /"Shop_Assets" is not a valid S3 bucket name/);
    });

    it("a client without callback URLs", async () => {
        const message = await failureOf(() => {
            new Identity("identity", { ...IDENTITY, callbackUrls: [] }, { provider: providers().regional });
            return {};
        });
        assert.match(message, /callbackUrls must not be empty/);
    });

    // Cognito: an access or ID token cannot be valid longer than the refresh token.
    it("tokens that outlive the refresh token", async () => {
        const message = await failureOf(() => {
            new Identity(
                "identity",
                { ...IDENTITY, accessTokenValidityMinutes: 1440, refreshTokenValidityDays: 0.5 },
                { provider: providers().regional },
            );
            return {};
        });
        assert.match(message, /cannot outlive the refresh token/);
    });

    // CreateUserPool refuses a From address that its SES identity (sourceArn) does not cover.
    it("a sender outside the SES identity", async () => {
        const message = await failureOf(() => {
            new Identity(
                "identity",
                { ...IDENTITY, emailSenderAddress: "no-reply@other.example.com" },
                { provider: providers().regional },
            );
            return {};
        });
        assert.match(
            message,
            /the SES identity shop\.example\.com does not cover the sender no-reply@other\.example\.com/,
        );
    });
});
