import * as assert from "assert";
import { namedMailbox } from "../../../infra/shared/ses";
import { Graph, graphOf, STACKS } from "../harness";

for (const stack of STACKS) {
    const prod = stack === "prod";
    const site = prod ? "https://shop.example.co.za" : "https://dev.shop.example.co.za";

    describe(`identity: Cognito (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const pool = () => g.one("aws:cognito/userPool:UserPool");
        const client = () => g.one("aws:cognito/userPoolClient:UserPoolClient");
        const input = (r: { inputs: Record<string, unknown> }, key: string) => r.inputs[key] as any;

        it("builds every Cognito resource under the Identity component in the stack's region, on the pool", () => {
            const identity = g.one("shop:edge:Identity");
            for (const r of g.resources.filter((x) => x.type.startsWith("aws:cognito/"))) {
                assert.strictEqual(r.parent, identity.urn, r.urn);
                assert.strictEqual(r.region, "af-south-1", r.urn);
                if (r !== pool())
                    assert.ok(r.propertyDependencies.userPoolId.includes(pool().urn), `${r.urn} is not on the pool`);
            }
            assert.strictEqual(input(pool(), "name"), `shop-${stack}-users`);
        });

        it("signs users in with their verified, case-insensitive e-mail address", () => {
            assert.deepStrictEqual(input(pool(), "usernameAttributes"), ["email"]);
            assert.deepStrictEqual(input(pool(), "usernameConfiguration"), { caseSensitive: false });
            assert.deepStrictEqual(input(pool(), "autoVerifiedAttributes"), ["email"]);
            assert.deepStrictEqual(input(pool(), "userAttributeUpdateSettings"), {
                attributesRequireVerificationBeforeUpdates: ["email"],
            });
            assert.ok(!input(pool(), "aliasAttributes"), "aliasAttributes conflicts with usernameAttributes");
        });

        it("requires strong passwords and recovers accounts by e-mail only", () => {
            const policy = input(pool(), "passwordPolicy");
            assert.ok(policy.minimumLength >= 12);
            for (const rule of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"])
                assert.strictEqual(policy[rule], true, rule);
            assert.ok(policy.passwordHistorySize > 0);
            assert.deepStrictEqual(input(pool(), "accountRecoverySetting"), {
                recoveryMechanisms: [{ name: "verified_email", priority: 1 }],
            });
        });

        // MFA ON or OPTIONAL is rejected unless a factor is configured.
        it("offers TOTP MFA (optional; prod enforces it on risky sign-ins)", () => {
            assert.strictEqual(input(pool(), "mfaConfiguration"), "OPTIONAL");
            assert.deepStrictEqual(input(pool(), "softwareTokenMfaConfiguration"), { enabled: true });
        });

        // Threat protection outside the Plus plan, and password history in the Lite plan, fail at deploy time.
        it(
            prod
                ? "enforces threat protection on the Plus plan"
                : "runs without threat protection on the Essentials plan",
            () => {
                const mode = input(pool(), "userPoolAddOns").advancedSecurityMode;
                const tier = input(pool(), "userPoolTier");
                assert.deepStrictEqual([mode, tier], prod ? ["ENFORCED", "PLUS"] : ["OFF", "ESSENTIALS"]);
                assert.ok(mode === "OFF" || tier === "PLUS", "threat protection needs the Plus plan");
                assert.notStrictEqual(tier, "LITE", "password history needs Essentials or Plus");
            },
        );

        it(
            prod
                ? "blocks leaked passwords and demands MFA on risky sign-ins"
                : "has no risk configuration without threat protection",
            () => {
                const risks = g.ofType("aws:cognito/riskConfiguration:RiskConfiguration");
                if (!prod)
                    return assert.strictEqual(
                        risks.length,
                        0,
                        "a risk configuration without threat protection is rejected",
                    );
                const [risk] = risks;
                assert.deepStrictEqual(input(risk, "compromisedCredentialsRiskConfiguration").actions, {
                    eventAction: "BLOCK",
                });
                assert.deepStrictEqual(
                    [...input(risk, "compromisedCredentialsRiskConfiguration").eventFilters].sort(),
                    ["PASSWORD_CHANGE", "SIGN_IN", "SIGN_UP"],
                );
                const actions = input(risk, "accountTakeoverRiskConfiguration").actions;
                assert.deepStrictEqual(
                    [actions.mediumAction.eventAction, actions.highAction.eventAction],
                    ["MFA_IF_CONFIGURED", "MFA_REQUIRED"],
                );
            },
        );

        it(prod ? "protects the pool from deletion" : "leaves the dev pool deletable", () => {
            assert.strictEqual(input(pool(), "deletionProtection"), prod ? "ACTIVE" : "INACTIVE");
        });

        it("gives the storefront a public client: no secret, authorization code only, the configured URLs", () => {
            assert.strictEqual(input(client(), "generateSecret"), false);
            assert.strictEqual(input(client(), "allowedOauthFlowsUserPoolClient"), true);
            assert.deepStrictEqual(input(client(), "allowedOauthFlows"), ["code"]);
            assert.ok(input(client(), "allowedOauthScopes").includes("openid"));
            assert.deepStrictEqual(input(client(), "supportedIdentityProviders"), ["COGNITO"]);
            assert.ok(input(client(), "callbackUrls").includes(`${site}/auth/callback`));
            assert.ok(input(client(), "logoutUrls").includes(`${site}/`));
            for (const url of [...input(client(), "callbackUrls"), ...input(client(), "logoutUrls")]) {
                assert.ok(url.startsWith("https://") || (!prod && url.startsWith("http://localhost")), url);
            }
            assert.strictEqual(input(client(), "preventUserExistenceErrors"), "ENABLED");
            assert.strictEqual(input(client(), "enableTokenRevocation"), true);
        });

        // Cognito rejects refresh token rotation on a client that allows REFRESH_TOKEN_AUTH.
        it("rotates refresh tokens, so the client does not allow REFRESH_TOKEN_AUTH", () => {
            assert.strictEqual(input(client(), "refreshTokenRotation").feature, "ENABLED");
            assert.ok(input(client(), "refreshTokenRotation").retryGracePeriodSeconds <= 60);
            assert.deepStrictEqual(input(client(), "explicitAuthFlows"), ["ALLOW_USER_SRP_AUTH"]);
        });

        it("limits token lifetimes within Cognito's bounds, in explicit units", () => {
            assert.deepStrictEqual(input(client(), "tokenValidityUnits"), {
                accessToken: "minutes",
                idToken: "minutes",
                refreshToken: "days",
            });
            for (const key of ["accessTokenValidity", "idTokenValidity"]) {
                const minutes = input(client(), key);
                assert.ok(minutes >= 5 && minutes <= 1440, `${key} ${minutes}`);
                assert.ok(
                    minutes <= input(client(), "refreshTokenValidity") * 1440,
                    `${key} outlives the refresh token`,
                );
            }
            assert.ok(input(client(), "refreshTokenValidity") <= 30);
        });

        // Cognito's own sender stops at 50 messages a day; CreateUserPool refuses an SES identity that
        // is unverified, of another account, or in a region the pool's region cannot use.
        it("mails through SES as the notifier's verified sender, in the pool's own region and account", () => {
            const email = input(pool(), "emailConfiguration");
            const domain = prod ? "shop.example.co.za" : "dev.shop.example.co.za";
            const account = prod ? "222222222222" : "111111111111";
            assert.strictEqual(email.emailSendingAccount, "DEVELOPER");
            assert.strictEqual(email.sourceArn, `arn:aws:ses:${pool().region}:${account}:identity/${domain}`);
            const notifier = g
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .filter((p) => p.name.startsWith("functions-notifier"));
            assert.strictEqual(notifier.length, 1);
            const sendsAs = g
                .policy(notifier[0])
                .Statement.filter((st) => st.Action === "ses:SendEmail")
                .flatMap((st) => st.Resource);
            assert.ok(sendsAs.includes(email.sourceArn), `the notifier sends as ${sendsAs.join(", ")}`);
            assert.strictEqual(email.fromEmailAddress, `"${prod ? "Shop" : "Shop (dev)"}" <no-reply@${domain}>`);
            assert.strictEqual(email.configurationSet, undefined, "neither stack configures an SES configuration set");
            assert.strictEqual(
                email.replyToEmailAddress,
                undefined,
                "replies go to the From address unless a reply-to is set",
            );
        });

        it("hosts the sign-in UI on the configured prefix domain", () => {
            const domain = g.one("aws:cognito/userPoolDomain:UserPoolDomain");
            assert.strictEqual(input(domain, "domain"), `shop-${stack}-${prod ? "222222222222" : "111111111111"}`);
            assert.ok(!input(domain, "certificateArn"), "a prefix domain takes no certificate");
            assert.strictEqual(
                g.plan.outputs.hostedUiDomain,
                `${input(domain, "domain")}.auth.af-south-1.amazoncognito.com`,
            );
        });

        it("creates the customers and admins groups, admins taking precedence", () => {
            const groups = new Map(
                g.ofType("aws:cognito/userGroup:UserGroup").map((r) => [input(r, "name"), input(r, "precedence")]),
            );
            assert.deepStrictEqual([...groups.keys()].sort(), ["admins", "customers"]);
            assert.ok(
                groups.get("admins") < groups.get("customers"),
                "the lower value wins where group settings conflict (cognito:preferred_role)",
            );
        });

        it("exports the pool, the client and the issuer URL the API's JWT authorizer needs", () => {
            const { userPoolId, userPoolClientId, userPoolIssuerUrl } = g.plan.outputs as Record<string, string>;
            assert.match(userPoolId, /^af-south-1_[A-Za-z0-9]+$/);
            assert.strictEqual(userPoolIssuerUrl, `https://cognito-idp.af-south-1.amazonaws.com/${userPoolId}`);
            assert.ok(userPoolClientId.length > 0);
        });
    });
}

describe("identity: the From mailbox", () => {
    // RFC 5322: specials such as ( ) , . need a quoted string, in which " and \ are escaped.
    it("quotes the display name, escaping quotes and backslashes", () => {
        assert.strictEqual(namedMailbox('Shop "Best" \\ Co.', "a@b.co"), '"Shop \\"Best\\" \\\\ Co." <a@b.co>');
    });

    // SES takes 7-bit ASCII only: other characters need RFC 2047 encoded words, each at most 75 long.
    it("encodes a name with non-ASCII characters as RFC 2047 words", () => {
        for (const name of ["Café Ménage", "Ṣọ́ọ̀bù Àṣà ".repeat(5).trim()]) {
            const [words, address] = namedMailbox(name, "a@b.co").split(" <");
            assert.strictEqual(address, "a@b.co>");
            const decoded = words.split(" ").map((word) => {
                const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word);
                assert.ok(match && word.length <= 75, word);
                return Buffer.from(match[1], "base64").toString("utf8");
            });
            assert.strictEqual(decoded.join(""), name);
        }
    });
});
