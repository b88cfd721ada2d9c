import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IdentityConfig } from "../config";
import { identityCovers, namedMailbox, sesIdentityArn } from "../shared/ses";

/** Cognito groups the services authorise against (the `cognito:groups` claim). */
export const USER_GROUPS = [
    { name: "admins", precedence: 0, description: "Shop staff: catalogue, orders and customer administration" },
    { name: "customers", precedence: 10, description: "Registered shoppers" },
] as const;

/** Scopes the storefront asks for; `openid` makes the hosted UI an OpenID Connect provider. */
const OAUTH_SCOPES = ["openid", "email", "profile"];

/** The validated `identity` settings plus what the stack decides. */
export interface IdentityArgs extends IdentityConfig {
    /** The stack's region: the issuer URL names it, and the SES identity is used there. */
    region: string;
    /** The account that holds the SES identity (Cognito refuses another account's). */
    accountId: string;
    /** The verified SES identity (a domain or an address) the pool sends e-mail as. */
    emailSenderIdentity: string;
    /** The From address (the identity, or an address of its domain) and the name shown with it. */
    emailSenderAddress: string;
    emailSenderName: string;
    /** An SES configuration set applied to the pool's messages. */
    emailConfigurationSet?: string;
    /** Physical name of the user pool and prefix of its client's name. */
    poolName: string;
    deletionProtection: boolean;
}

/**
 * The customers' identity provider: a Cognito user pool where the e-mail address is the user
 * name and is verified, with a strong password policy, recovery by e-mail, TOTP MFA and, when
 * configured, threat protection (the Plus feature plan) that blocks compromised credentials and
 * demands MFA on risky sign-ins; the storefront's public app client (authorization code with
 * PKCE, no secret, rotating refresh tokens); the hosted UI's domain; the customer and admin groups.
 * It mails verification codes and password resets through SES as the platform's verified sender.
 * Its issuer URL and client id are what the HTTP API's JWT authorizer checks tokens against.
 */
export class Identity extends pulumi.ComponentResource {
    readonly userPoolId: pulumi.Output<string>;
    readonly userPoolArn: pulumi.Output<string>;
    /** https://cognito-idp.<region>.amazonaws.com/<poolId>: the JWT issuer. */
    readonly issuerUrl: pulumi.Output<string>;
    /** The storefront's client id: the JWT audience. */
    readonly clientId: pulumi.Output<string>;
    /** The hosted UI's host name. */
    readonly hostedUiDomain: pulumi.Output<string>;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:edge:Identity", name, {}, opts);
        validate(name, args);
        const child = { parent: this };
        const threatProtection = args.threatProtection !== "OFF";

        const pool = new aws.cognito.UserPool(
            `${name}-pool`,
            {
                name: args.poolName,
                // Threat protection exists only in the Plus plan; Essentials has everything else used here.
                userPoolTier: threatProtection ? "PLUS" : "ESSENTIALS",
                userPoolAddOns: { advancedSecurityMode: args.threatProtection },
                deletionProtection: args.deletionProtection ? "ACTIVE" : "INACTIVE",
                // Both are fixed when the pool is created: e-mail is the user name, compared case-insensitively.
                usernameAttributes: ["email"],
                usernameConfiguration: { caseSensitive: false },
                autoVerifiedAttributes: ["email"],
                verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
                // A changed address takes effect only once verified, so a typo cannot lock a user out.
                userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
                adminCreateUserConfig: { allowAdminCreateUserOnly: false },
                passwordPolicy: {
                    minimumLength: args.passwordMinimumLength,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    passwordHistorySize: 5,
                    temporaryPasswordValidityDays: 3,
                },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                // Cognito's own sender stops at 50 messages a day per account, after which sign-ups and
                // password resets fail; DEVELOPER sends through SES within the account's SES quota.
                // Cognito takes an SES identity of the pool's own region in every region (a few also
                // allow us-east-1, us-west-2 or eu-west-1): the notifier's identity, in the same region.
                emailConfiguration: {
                    emailSendingAccount: "DEVELOPER",
                    sourceArn: sesIdentityArn(args.region, args.accountId, args.emailSenderIdentity),
                    fromEmailAddress: namedMailbox(args.emailSenderName, args.emailSenderAddress),
                    configurationSet: args.emailConfigurationSet,
                },
                mfaConfiguration: args.mfa,
                softwareTokenMfaConfiguration: { enabled: true },
                tags: { Name: args.poolName },
            },
            child,
        );

        if (threatProtection) {
            // What ENFORCED does (AUDIT only records): block sign-ins with leaked passwords; on a
            // risky sign-in ask for MFA, and when the risk is high and the user has none, refuse.
            new aws.cognito.RiskConfiguration(
                `${name}-risk`,
                {
                    userPoolId: pool.id,
                    compromisedCredentialsRiskConfiguration: {
                        eventFilters: ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
                        actions: { eventAction: "BLOCK" },
                    },
                    accountTakeoverRiskConfiguration: {
                        actions: {
                            lowAction: { eventAction: "NO_ACTION", notify: false },
                            mediumAction: { eventAction: "MFA_IF_CONFIGURED", notify: false },
                            highAction: { eventAction: "MFA_REQUIRED", notify: false },
                        },
                    },
                },
                child,
            );
        }

        const client = new aws.cognito.UserPoolClient(
            `${name}-storefront`,
            {
                name: `${args.poolName}-storefront`,
                userPoolId: pool.id,
                // A browser cannot keep a secret: a public client, protected by PKCE instead.
                generateSecret: false,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: OAUTH_SCOPES,
                supportedIdentityProviders: ["COGNITO"],
                callbackUrls: args.callbackUrls,
                logoutUrls: args.logoutUrls,
                // Rotation is incompatible with the REFRESH_TOKEN_AUTH flow: refreshes go through the
                // token endpoint (or GetTokensFromRefreshToken) and each returns a new refresh token.
                explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"],
                refreshTokenRotation: { feature: "ENABLED", retryGracePeriodSeconds: 10 },
                enableTokenRevocation: true,
                preventUserExistenceErrors: "ENABLED",
                authSessionValidity: 3,
                accessTokenValidity: args.accessTokenValidityMinutes,
                idTokenValidity: args.idTokenValidityMinutes,
                refreshTokenValidity: args.refreshTokenValidityDays,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            },
            child,
        );

        const domain = new aws.cognito.UserPoolDomain(
            `${name}-domain`,
            {
                domain: args.domainPrefix,
                userPoolId: pool.id,
            },
            child,
        );

        for (const group of USER_GROUPS) {
            new aws.cognito.UserGroup(
                `${name}-${group.name}`,
                {
                    userPoolId: pool.id,
                    name: group.name,
                    precedence: group.precedence,
                    description: group.description,
                },
                child,
            );
        }

        this.userPoolId = pool.id;
        this.userPoolArn = pool.arn;
        this.issuerUrl = pulumi.interpolate`https://${pool.endpoint}`;
        this.clientId = client.id;
        this.hostedUiDomain = pulumi.interpolate`${domain.domain}.auth.${args.region}.amazoncognito.com`;

        this.registerOutputs({
            userPoolId: this.userPoolId,
            issuerUrl: this.issuerUrl,
            clientId: this.clientId,
            hostedUiDomain: this.hostedUiDomain,
        });
    }
}

function validate(name: string, args: IdentityArgs): void {
    if (args.callbackUrls.length === 0)
        throw new Error(`Identity ${name}: callbackUrls must not be empty (the code flow redirects there)`);
    if (args.logoutUrls.length === 0) throw new Error(`Identity ${name}: logoutUrls must not be empty`);
    if (!identityCovers(args.emailSenderIdentity, args.emailSenderAddress)) {
        throw new Error(
            `Identity ${name}: the SES identity ${args.emailSenderIdentity} does not cover the sender ${args.emailSenderAddress}; Cognito would refuse it`,
        );
    }
    const refreshMinutes = args.refreshTokenValidityDays * 24 * 60;
    if (args.accessTokenValidityMinutes > refreshMinutes || args.idTokenValidityMinutes > refreshMinutes) {
        throw new Error(
            `Identity ${name}: access and ID tokens cannot outlive the refresh token (${args.refreshTokenValidityDays} days)`,
        );
    }
}
