// The adapters' settings, read from the environment once at start-up and checked as a whole
// (every bad variable named). No variable holds a key: those are in the secret PAYMENT_SECRET_ARN
// names (see secrets.ts).
import { EnvReader, type Env } from "../../../shared/env";
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from "./http";
import type { MpesaSettings } from "./mpesa";
import { PROVIDER_NAMES, type ProviderName } from "./types";

export interface ProviderSettings {
    enabled: ProviderName[];
    /** The Secrets Manager secret with every enabled provider's keys. */
    secretArn: string;
    secretsCacheSeconds: number;
    http: HttpPolicy;
    paystack: { baseUrl: string };
    mpesa?: Omit<MpesaSettings, "http">;
}

export const PAYSTACK_BASE_URL = "https://api.paystack.co";
export const MPESA_BASE_URL = "https://api.safaricom.co.ke";
const TRANSACTION_TYPES = ["CustomerPayBillOnline", "CustomerBuyGoodsOnline"] as const;

/**
 * PAYMENT_PROVIDERS (e.g. "paystack,mpesa"; default "sandbox"), PAYMENT_SECRET_ARN,
 * SECRETS_CACHE_SECONDS, PAYMENT_HTTP_TIMEOUT_MS / _MAX_ATTEMPTS / _BACKOFF_MS, PAYSTACK_BASE_URL,
 * MPESA_BASE_URL, MPESA_SHORTCODE, MPESA_TRANSACTION_TYPE, MPESA_PARTY_B, MPESA_CALLBACK_BASE_URL.
 */
export function readProviderSettings(env?: Env): ProviderSettings {
    const r = new EnvReader(env);
    const enabled = readEnabled(r);
    const settings: ProviderSettings = {
        enabled,
        secretArn: r.string("PAYMENT_SECRET_ARN"),
        secretsCacheSeconds: r.integer("SECRETS_CACHE_SECONDS", 300, 0, 3600),
        http: {
            timeoutMs: r.integer("PAYMENT_HTTP_TIMEOUT_MS", DEFAULT_HTTP_POLICY.timeoutMs, 100, 60_000),
            maxAttempts: r.integer("PAYMENT_HTTP_MAX_ATTEMPTS", DEFAULT_HTTP_POLICY.maxAttempts, 1, 5),
            backoffMs: r.integer("PAYMENT_HTTP_BACKOFF_MS", DEFAULT_HTTP_POLICY.backoffMs, 0, 10_000),
        },
        paystack: { baseUrl: baseUrl(r, "PAYSTACK_BASE_URL", PAYSTACK_BASE_URL) },
    };
    if (enabled.includes("mpesa")) {
        const shortcode = r.string("MPESA_SHORTCODE");
        if (shortcode && !/^\d{5,7}$/.test(shortcode))
            r.problem(`MPESA_SHORTCODE is "${shortcode}": expected the 5 to 7 digit paybill or store number`);
        const partyB = r.optionalString("MPESA_PARTY_B") ?? shortcode;
        if (partyB && !/^\d{5,7}$/.test(partyB))
            r.problem(`MPESA_PARTY_B is "${partyB}": expected the 5 to 7 digit paybill or till number`);
        settings.mpesa = {
            baseUrl: baseUrl(r, "MPESA_BASE_URL", MPESA_BASE_URL),
            shortcode,
            transactionType: r.oneOf("MPESA_TRANSACTION_TYPE", TRANSACTION_TYPES, "CustomerPayBillOnline"),
            partyB,
            callbackBaseUrl: baseUrl(r, "MPESA_CALLBACK_BASE_URL"),
        };
    }
    r.done();
    return settings;
}

function readEnabled(r: EnvReader): ProviderName[] {
    const raw = r.optionalString("PAYMENT_PROVIDERS") ?? "sandbox";
    const names = raw.split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0)
        r.problem(`PAYMENT_PROVIDERS is "${raw}": expected a comma-separated list of ${PROVIDER_NAMES.join(", ")}`);
    // A live provider and the sandbox together would let test tokens through on a live stack.
    if (names.includes("sandbox") && names.length > 1)
        r.problem(`PAYMENT_PROVIDERS is "${raw}": the sandbox cannot be enabled beside a real provider`);
    return [...new Set(names.filter((name): name is ProviderName => !unknown.includes(name)))];
}

/** An https URL; http only on loopback, where the simulators run. Required when there is no default. */
function baseUrl(r: EnvReader, name: string, fallback?: string): string {
    const raw = fallback === undefined ? r.string(name) : (r.optionalString(name) ?? fallback);
    if (!raw) return "";
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        r.problem(`${name} is "${raw}": expected a URL`);
        return raw;
    }
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
        r.problem(`${name} is "${raw}": expected https (http only on loopback, for the simulators)`);
    return raw;
}
