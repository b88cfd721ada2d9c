// Runs both payment simulators on loopback for local development (`npm run simulators`) and
// prints, as one JSON line, their base URLs, the customer pages, and the adapters' environment and
// payment secret (the shape PAYMENT_SECRET_ARN holds) that point the adapters at them. Every setting is optional:
//   PAYSTACK_SIM_PORT, MPESA_SIM_PORT             fixed ports (default: free ones)
//   PAYSTACK_SIM_WEBHOOK_URL                      where Paystack webhooks go
//   MPESA_SIM_SHORTCODE                           default 174379, Daraja's sandbox paybill
//   MPESA_SIM_PROMPT_TIMEOUT_MS                   an unanswered prompt times out (default 60000)
// Stops on SIGINT/SIGTERM.
import { simulatedCredentials } from "./credentials";
import { MpesaSimulator } from "./mpesa";
import { PaystackSimulator } from "./paystack";

async function main(): Promise<void> {
    const env = process.env;
    const secret = simulatedCredentials();
    const paystack = new PaystackSimulator({
        secretKey: secret.paystack.secretKey,
        webhookUrl: env.PAYSTACK_SIM_WEBHOOK_URL,
    });
    const shortcode = env.MPESA_SIM_SHORTCODE ?? "174379";
    const mpesa = new MpesaSimulator({
        ...secret.mpesa,
        shortcode,
        promptTimeoutMs: Number(env.MPESA_SIM_PROMPT_TIMEOUT_MS ?? 60_000),
    });
    const paystackUrl = await paystack.start(Number(env.PAYSTACK_SIM_PORT ?? 0));
    const mpesaUrl = await mpesa.start(Number(env.MPESA_SIM_PORT ?? 0));
    console.log(
        JSON.stringify({
            paystack: { baseUrl: paystackUrl, ledger: `${paystackUrl}/_sim/ledger` },
            mpesa: {
                baseUrl: mpesaUrl,
                phonePage: `${mpesaUrl}/phone/<2547XXXXXXXX>`,
                ledger: `${mpesaUrl}/_sim/ledger`,
            },
            adapterEnvironment: {
                PAYMENT_PROVIDERS: "paystack,mpesa",
                PAYSTACK_BASE_URL: paystackUrl,
                MPESA_BASE_URL: mpesaUrl,
                MPESA_SHORTCODE: shortcode,
            },
            paymentSecret: secret,
        }),
    );
    for (const signal of ["SIGINT", "SIGTERM"] as const)
        process.once(signal, () => void Promise.all([paystack.stop(), mpesa.stop()]).then(() => process.exit(0)));
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
});
