import * as assert from "assert";
import { chooseProvider, NoProvider } from "../../../../../app/services/payments/providers/routing";

describe("choosing a payment provider by market, currency and method", function () {
    const live = ["paystack", "mpesa"] as const;

    it("sends Kenyan mobile money to M-Pesa and cards to Paystack where it takes the currency", function () {
        assert.strictEqual(chooseProvider({ market: "KE", currency: "KES", method: "mobile_money" }, live), "mpesa");
        assert.strictEqual(chooseProvider({ market: "ke", currency: "kes", method: "card" }, live), "paystack");
        assert.strictEqual(chooseProvider({ market: "NG", currency: "USD", method: "card" }, live), "paystack");
        assert.strictEqual(chooseProvider({ market: "ZA", currency: "ZAR", method: "card" }, ["sandbox"]), "sandbox");
    });

    it("says so, naming what was asked and what is enabled, when no provider takes it", function () {
        const refused = [
            { market: "UG", currency: "UGX", method: "mobile_money" as const },
            { market: "ZA", currency: "USD", method: "card" as const },
            { market: "KE", currency: "KES", method: "mobile_money" as const },
        ].map((choice, i) => {
            try {
                chooseProvider(choice, i === 2 ? ["paystack"] : live);
            } catch (error) {
                assert.ok(error instanceof NoProvider);
                return error.message;
            }
            return assert.fail("a provider was chosen");
        });
        assert.deepStrictEqual(refused, [
            "no enabled payment provider takes mobile_money in UG (UGX); enabled: paystack, mpesa",
            "no enabled payment provider takes card in ZA (USD); enabled: paystack, mpesa",
            "no enabled payment provider takes mobile_money in KE (KES); enabled: paystack",
        ]);
    });
});
