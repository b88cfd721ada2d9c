// Fresh random keys for a simulated merchant account, in the shape of the payment secret the
// adapters read (see app/services/payments/providers/secrets.ts): the simulators are built with
// them, and the adapters given them.
import { randomBytes } from "crypto";

export function simulatedCredentials() {
    const hex = (bytes: number) => randomBytes(bytes).toString("hex");
    return {
        paystack: { secretKey: `sk_test_${hex(16)}` },
        mpesa: {
            consumerKey: hex(12),
            consumerSecret: hex(12),
            passkey: hex(16),
            initiatorName: "shopapi",
            securityCredential: randomBytes(24).toString("base64"),
            callbackSecret: hex(24),
        },
    };
}
