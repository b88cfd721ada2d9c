// The providers' keys. They come only from a secret source: in the cloud the Secrets Manager
// secret that PAYMENT_SECRET_ARN names, holding one JSON object with a section per provider:
//
//   {
//     "paystack": { "secretKey": "sk_live_…" },
//     "mpesa": { "consumerKey": "…", "consumerSecret": "…", "passkey": "…",
//                "initiatorName": "…", "securityCredential": "…", "callbackSecret": "…" },
//     "sandbox": { "apiKey": "sk_sandbox_…" }
//   }
//
// Only the sections of the enabled providers are required. The order processor's older
// {"apiKey": "sk_sandbox_…"} is read as the sandbox section, so one secret serves both while the
// processor moves onto this module. Errors name the secret and the fields, never a value.
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { z } from "zod";
import type { ProviderName } from "./types";

const required = z.string().trim().min(1);

const PaystackKeys = z.object({ secretKey: z.string().regex(/^sk_(live|test)_[A-Za-z0-9]+$/) });
const MpesaKeys = z.object({
    consumerKey: required,
    consumerSecret: required,
    passkey: required,
    initiatorName: required,
    securityCredential: required,
    callbackSecret: z.string().min(32),
});
const SandboxKeys = z.object({ apiKey: z.string().regex(/^sk_sandbox_\w+$/) });

const PaymentSecret = z.preprocess(
    (value) =>
        isRecord(value) && typeof value.apiKey === "string" && value.sandbox === undefined
            ? { ...value, sandbox: { apiKey: value.apiKey } }
            : value,
    z.object({ paystack: PaystackKeys.optional(), mpesa: MpesaKeys.optional(), sandbox: SandboxKeys.optional() }),
);

export type PaymentSecret = z.infer<typeof PaymentSecret>;
export type KeysOf<P extends ProviderName> = NonNullable<PaymentSecret[P]>;

/** What each field holds, for the error that says it is missing or wrong. */
const FIELD_HELP: Record<string, string> = {
    "paystack.secretKey": "the Paystack secret key (sk_live_… or sk_test_…) from the dashboard's API keys",
    "mpesa.consumerKey": "the Daraja app's consumer key",
    "mpesa.consumerSecret": "the Daraja app's consumer secret",
    "mpesa.passkey": "the shortcode's Lipa na M-Pesa Online passkey (it makes the STK push Password)",
    "mpesa.initiatorName": "the API operator's user name (reversals)",
    "mpesa.securityCredential": "the operator's password encrypted with Safaricom's certificate (reversals)",
    "mpesa.callbackSecret": "32 or more random characters; they key the tokens in the callback URLs",
    "sandbox.apiKey": "a sandbox key, sk_sandbox_…",
};

export class PaymentSecretError extends Error {
    constructor(
        readonly secretName: string,
        readonly problems: string[],
    ) {
        super(
            `payment secret ${secretName} cannot be used:\n  - ${problems.join("\n  - ")}\n` +
                "Fix it with `aws secretsmanager put-secret-value --secret-id <arn> --secret-string file://keys.json` " +
                "(the shape is in app/services/payments/providers/README.md).",
        );
        this.name = "PaymentSecretError";
    }
}

/** Reads the secret's text, checks its shape and that every enabled provider has its section. */
export function parsePaymentSecret(text: string, secretName: string, enabled: readonly ProviderName[]): PaymentSecret {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new PaymentSecretError(secretName, ["the secret is not JSON"]);
    }
    const parsed = PaymentSecret.safeParse(json);
    const problems = parsed.success
        ? []
        : parsed.error.issues.map((issue) => {
              const field = issue.path.join(".") || "(the secret)";
              const help = FIELD_HELP[field];
              return `${field}: ${issue.code === "invalid_type" ? "missing or not a string" : "invalid"}${help ? ` (expected ${help})` : ""}`;
          });
    for (const provider of enabled) {
        if (parsed.success && parsed.data[provider] === undefined)
            problems.push(`${provider}: missing; the ${provider} provider is enabled and needs its keys here`);
    }
    if (problems.length > 0) throw new PaymentSecretError(secretName, problems);
    return parsed.data!;
}

/** Where the keys come from. */
export interface SecretSource {
    /** Names the secret in errors (its ARN), never its value. */
    readonly name: string;
    /** The secret's text. `fresh` skips any cache: the provider refused a key, which may have been rotated. */
    read(fresh: boolean): Promise<string>;
}

/** The secret in Secrets Manager, cached for `maxAgeSeconds`, so a rotation is seen within that time. */
export function secretsManagerSource(secretId: string, maxAgeSeconds: number): SecretSource {
    const secrets = new SecretsProvider();
    return {
        name: secretId,
        read: async (fresh) => {
            const value = await secrets.get(secretId, { maxAge: maxAgeSeconds, forceFetch: fresh });
            if (typeof value !== "string") throw new PaymentSecretError(secretId, ["the secret has no SecretString"]);
            return value;
        },
    };
}

/** A provider's keys, read when needed; `fresh` re-reads past the cache. */
export type KeyReader<K> = (fresh: boolean) => Promise<K>;

export class ProviderKeys {
    constructor(
        private readonly source: SecretSource,
        private readonly enabled: readonly ProviderName[],
    ) {}

    /** Checks the secret now, so a bad one stops the service at start-up rather than at the first payment. */
    async check(): Promise<void> {
        parsePaymentSecret(await this.source.read(false), this.source.name, this.enabled);
    }

    reader<P extends ProviderName>(provider: P): KeyReader<KeysOf<P>> {
        if (!this.enabled.includes(provider)) throw new Error(`the ${provider} provider is not enabled`);
        return async (fresh) =>
            parsePaymentSecret(await this.source.read(fresh), this.source.name, this.enabled)[provider]!;
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
