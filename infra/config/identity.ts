import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

export const MFA_MODES = ["OPTIONAL", "ON"] as const;
export type MfaMode = (typeof MFA_MODES)[number];

/** Cognito threat protection (formerly advanced security); anything but OFF needs the Plus tier. */
export const THREAT_PROTECTION_MODES = ["OFF", "AUDIT", "ENFORCED"] as const;
export type ThreatProtectionMode = (typeof THREAT_PROTECTION_MODES)[number];

export const PROD_MIN_PASSWORD_LENGTH = 12;

export interface IdentityConfig {
    /** Where the hosted UI may send users back after sign-in (authorization code + PKCE). */
    callbackUrls: string[];
    /** Where the hosted UI may send users after sign-out. */
    logoutUrls: string[];
    /** The hosted UI's prefix domain: https://<prefix>.auth.<region>.amazoncognito.com. */
    domainPrefix: string;
    passwordMinimumLength: number;
    mfa: MfaMode;
    threatProtection: ThreatProtectionMode;
    accessTokenValidityMinutes: number;
    idTokenValidityMinutes: number;
    refreshTokenValidityDays: number;
}

const FIELDS = [
    "callbackUrls",
    "logoutUrls",
    "domainPrefix",
    "passwordMinimumLength",
    "mfa",
    "threatProtection",
    "accessTokenValidityMinutes",
    "idTokenValidityMinutes",
    "refreshTokenValidityDays",
] as const;

// Cognito prefix domains: lower-case letters, digits and inner hyphens, 1-63 characters.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = ["aws", "amazon", "cognito"];

export function readIdentityConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): IdentityConfig {
    r.section("identity", FIELDS, { required: true });

    const [callbackUrls, logoutUrls] = (["callbackUrls", "logoutUrls"] as const).map((field) => {
        const key = `identity.${field}`;
        const urls = r.stringList(key, {
            minItems: 1,
            maxItems: 100,
            unique: true,
            check: checkRedirectUrl,
            fix: "list absolute https URLs of the storefront (http only for localhost)",
            example: `["https://${stack.domain.name}/auth/${field === "callbackUrls" ? "callback" : "signed-out"}"]`,
        });
        const local = urls.filter(isLocalhost);
        minimums.require(
            key,
            urls,
            local.length === 0,
            "no localhost URLs (any program on a user's machine could receive the tokens)",
            `remove ${local.join(", ")}`,
        );
        return urls;
    });

    const domainPrefix = r.string("identity.domainPrefix", { default: `${stack.namePrefix}-${stack.accountId}` });
    const reserved = RESERVED_IN_PREFIX.find((word) => domainPrefix.includes(word));
    if (!DOMAIN_PREFIX.test(domainPrefix) || reserved) {
        r.problem(
            "identity.domainPrefix",
            domainPrefix,
            reserved
                ? `contains "${reserved}", which Cognito reserves`
                : "is not a Cognito domain prefix (1-63 lower-case letters, digits and inner hyphens)",
            r.fixWith("identity.domainPrefix", "choose a prefix that is unique in the region", "shop-prod-auth"),
        );
    }

    const passwordMinimumLength = r.integer("identity.passwordMinimumLength", {
        min: 8,
        max: 99,
        default: PROD_MIN_PASSWORD_LENGTH,
    });
    minimums.require(
        "identity.passwordMinimumLength",
        passwordMinimumLength,
        passwordMinimumLength >= PROD_MIN_PASSWORD_LENGTH,
        `passwords of at least ${PROD_MIN_PASSWORD_LENGTH} characters`,
        `set ${PROD_MIN_PASSWORD_LENGTH} or more`,
    );

    const mfa = r.oneOf("identity.mfa", MFA_MODES, { default: "OPTIONAL" });
    const threatProtection = r.oneOf("identity.threatProtection", THREAT_PROTECTION_MODES, {
        default: stack.isProduction ? "ENFORCED" : "OFF",
    });
    minimums.require(
        "identity.threatProtection",
        threatProtection,
        threatProtection === "ENFORCED",
        "threat protection ENFORCED (blocks compromised credentials, demands MFA on risky sign-ins)",
        "set it to ENFORCED",
    );

    return {
        callbackUrls,
        logoutUrls,
        domainPrefix,
        passwordMinimumLength,
        mfa,
        threatProtection,
        accessTokenValidityMinutes: r.integer("identity.accessTokenValidityMinutes", {
            min: 5,
            max: 1440,
            default: 60,
        }),
        idTokenValidityMinutes: r.integer("identity.idTokenValidityMinutes", { min: 5, max: 1440, default: 60 }),
        refreshTokenValidityDays: r.integer("identity.refreshTokenValidityDays", { min: 1, max: 3650, default: 30 }),
    };
}

function isLocalhost(url: string): boolean {
    try {
        return new URL(url).hostname === "localhost";
    } catch {
        return false;
    }
}

/** Cognito's rules for redirect URIs: absolute, no fragment, https except http://localhost. */
function checkRedirectUrl(url: string): string | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return "is not an absolute URL";
    }
    if (parsed.hash || url.includes("#")) return "has a fragment (#...), which Cognito rejects";
    if (parsed.protocol === "https:") return undefined;
    if (parsed.protocol === "http:" && parsed.hostname === "localhost") return undefined;
    return "must use https (Cognito allows http only for localhost)";
}
