import * as assert from "assert";
import { randomBytes } from "crypto";
import { MpesaProvider } from "../../../../../app/services/payments/providers/mpesa";
import { PaystackProvider } from "../../../../../app/services/payments/providers/paystack";
import { createProviders } from "../../../../../app/services/payments/providers/registry";
import {
    parsePaymentSecret,
    PaymentSecretError,
    secretsManagerSource,
} from "../../../../../app/services/payments/providers/secrets";
import { readProviderSettings } from "../../../../../app/services/payments/providers/settings";
import { connectServices, REGION, type ConnectedServices } from "../../../support/services";

describe("payment keys: the secret's shape, Secrets Manager, and the providers built from them", function () {
    const secretArn = `arn:aws:secretsmanager:${REGION}:000000000000:secret:shop-payments-keys-Xy12Ab`;
    const mpesaKeys = {
        consumerKey: "ck",
        consumerSecret: "cs",
        passkey: "pk",
        initiatorName: "shopapi",
        securityCredential: "sc",
        callbackSecret: randomBytes(24).toString("hex"),
    };
    const full = { paystack: { secretKey: "sk_live_abc123" }, mpesa: mpesaKeys };
    let services: ConnectedServices;

    const problems = (value: unknown, enabled = ["paystack", "mpesa"] as const) => {
        try {
            parsePaymentSecret(typeof value === "string" ? value : JSON.stringify(value), secretArn, enabled);
        } catch (error) {
            assert.ok(error instanceof PaymentSecretError);
            assert.ok(error.message.includes(secretArn) && error.message.includes("put-secret-value"));
            return error.problems;
        }
        return assert.fail("the secret was accepted");
    };

    before(async function () {
        services = await connectServices();
    });

    after(async function () {
        await services?.local.stop();
    });

    it("takes a section per enabled provider, and the order processor's older {apiKey} as the sandbox's", function () {
        assert.deepStrictEqual(parsePaymentSecret(JSON.stringify(full), secretArn, ["paystack", "mpesa"]), full);
        assert.deepStrictEqual(parsePaymentSecret('{"apiKey":"sk_sandbox_k1"}', secretArn, ["sandbox"]), {
            sandbox: { apiKey: "sk_sandbox_k1" },
        });
    });

    it("names every missing or invalid field and what belongs there, never a value", function () {
        const found = problems({
            paystack: { secretKey: "pk_live_publicKeyByMistake" },
            mpesa: { ...mpesaKeys, passkey: undefined, callbackSecret: "short" },
        });
        assert.deepStrictEqual(found, [
            "paystack.secretKey: invalid (expected the Paystack secret key (sk_live_… or sk_test_…) from the dashboard's API keys)",
            "mpesa.passkey: missing or not a string (expected the shortcode's Lipa na M-Pesa Online passkey (it makes the STK push Password))",
            "mpesa.callbackSecret: invalid (expected 32 or more random characters; they key the tokens in the callback URLs)",
        ]);
        assert.ok(!found.join(" ").includes("pk_live_publicKeyByMistake"));
        assert.deepStrictEqual(problems({ paystack: full.paystack }), [
            "mpesa: missing; the mpesa provider is enabled and needs its keys here",
        ]);
        assert.deepStrictEqual(problems("{not json"), ["the secret is not JSON"]);
    });

    it("reads the keys from Secrets Manager, cached, and fresh after the provider refused one", async function () {
        services.local.secrets.set(secretArn, JSON.stringify(full));
        const source = secretsManagerSource(secretArn, 300);
        assert.deepStrictEqual(JSON.parse(await source.read(false)), full);
        const rotated = { ...full, paystack: { secretKey: "sk_live_rotated9" } };
        services.local.secrets.set(secretArn, JSON.stringify(rotated));
        assert.deepStrictEqual(JSON.parse(await source.read(false)), full, "cached");
        assert.deepStrictEqual(JSON.parse(await source.read(true)), rotated);
    });

    it("builds the enabled providers at start-up, and refuses to start without their keys", async function () {
        const settings = readProviderSettings({
            PAYMENT_PROVIDERS: "paystack,mpesa",
            PAYMENT_SECRET_ARN: secretArn,
            MPESA_SHORTCODE: "174379",
            MPESA_CALLBACK_BASE_URL: "https://api.shop.example/payments/webhooks/mpesa",
        });
        services.local.secrets.set(secretArn, JSON.stringify(full));
        const providers = await createProviders(settings);
        assert.deepStrictEqual([...providers.keys()], ["paystack", "mpesa"]);
        assert.ok(providers.get("paystack") instanceof PaystackProvider);
        assert.ok(providers.get("mpesa") instanceof MpesaProvider);

        services.local.secrets.set(secretArn, JSON.stringify({ paystack: full.paystack }));
        await assert.rejects(
            createProviders(settings, { secrets: secretsManagerSource(secretArn, 0) }),
            /mpesa: missing; the mpesa provider is enabled/,
        );
        const sandboxOnly = readProviderSettings({ PAYMENT_SECRET_ARN: secretArn });
        services.local.secrets.set(secretArn, '{"apiKey":"sk_sandbox_k1"}');
        await assert.rejects(
            createProviders(sandboxOnly, { secrets: secretsManagerSource(secretArn, 0) }),
            /the sandbox provider is enabled but no ledger database was given/,
        );
    });
});
