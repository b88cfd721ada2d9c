import * as assert from "assert";
import { DEFAULT_HTTP_POLICY } from "../../../../../app/services/payments/providers/http";
import { readProviderSettings } from "../../../../../app/services/payments/providers/settings";
import { configProblems } from "../../../functions/support/fixtures";

describe("payment provider settings (environment)", function () {
    const arn = "arn:aws:secretsmanager:af-south-1:000000000000:secret:shop-payments-AbCdEf";

    it("defaults to the sandbox and the providers' real endpoints", function () {
        assert.deepStrictEqual(readProviderSettings({ PAYMENT_SECRET_ARN: arn }), {
            enabled: ["sandbox"],
            secretArn: arn,
            secretsCacheSeconds: 300,
            http: DEFAULT_HTTP_POLICY,
            paystack: { baseUrl: "https://api.paystack.co" },
        });
        const mpesa = readProviderSettings({
            PAYMENT_SECRET_ARN: arn,
            PAYMENT_PROVIDERS: "mpesa, paystack",
            MPESA_SHORTCODE: "174379",
            MPESA_CALLBACK_BASE_URL: "https://api.shop.example/payments/webhooks/mpesa",
            MPESA_BASE_URL: "http://127.0.0.1:4010",
            PAYMENT_HTTP_TIMEOUT_MS: "5000",
        });
        assert.deepStrictEqual(mpesa.enabled, ["mpesa", "paystack"]);
        assert.deepStrictEqual(mpesa.mpesa, {
            baseUrl: "http://127.0.0.1:4010",
            shortcode: "174379",
            transactionType: "CustomerPayBillOnline",
            partyB: "174379",
            callbackBaseUrl: "https://api.shop.example/payments/webhooks/mpesa",
        });
        assert.strictEqual(mpesa.http.timeoutMs, 5000);
    });

    it("names every bad or missing variable at once", function () {
        assert.deepStrictEqual(
            configProblems(() =>
                readProviderSettings({
                    PAYMENT_PROVIDERS: "paystack,mpesa,flutterwave",
                    PAYSTACK_BASE_URL: "http://api.paystack.co",
                    MPESA_SHORTCODE: "17A379",
                    MPESA_TRANSACTION_TYPE: "CustomerPayBill",
                    PAYMENT_HTTP_MAX_ATTEMPTS: "9",
                }),
            ),
            [
                'PAYMENT_PROVIDERS is "paystack,mpesa,flutterwave": expected a comma-separated list of paystack, mpesa, sandbox',
                "PAYMENT_SECRET_ARN is not set",
                'PAYMENT_HTTP_MAX_ATTEMPTS is "9": expected an integer from 1 to 5',
                'PAYSTACK_BASE_URL is "http://api.paystack.co": expected https (http only on loopback, for the simulators)',
                'MPESA_SHORTCODE is "17A379": expected the 5 to 7 digit paybill or store number',
                'MPESA_PARTY_B is "17A379": expected the 5 to 7 digit paybill or till number',
                'MPESA_TRANSACTION_TYPE is "CustomerPayBill": expected one of CustomerPayBillOnline, CustomerBuyGoodsOnline',
                "MPESA_CALLBACK_BASE_URL is not set",
            ],
        );
        assert.deepStrictEqual(
            configProblems(() =>
                readProviderSettings({ PAYMENT_SECRET_ARN: arn, PAYMENT_PROVIDERS: "sandbox,paystack" }),
            ),
            ['PAYMENT_PROVIDERS is "sandbox,paystack": the sandbox cannot be enabled beside a real provider'],
        );
    });
});
