// Builds the enabled providers from the settings and the secret, once at start-up.
import { PaystackProvider } from "./paystack";
import { MpesaProvider } from "./mpesa";
import { SandboxProvider, type LedgerDatabase } from "./sandbox";
import { ProviderKeys, secretsManagerSource, type SecretSource } from "./secrets";
import type { ProviderSettings } from "./settings";
import type { PaymentProvider, ProviderName } from "./types";

export interface ProviderDeps {
    /** Where the keys come from; Secrets Manager (settings.secretArn) unless given. */
    secrets?: SecretSource;
    /** The sandbox's ledger (its own connection), required when the sandbox is enabled. */
    sandboxLedger?: LedgerDatabase;
}

export type Providers = ReadonlyMap<ProviderName, PaymentProvider>;

/** The enabled providers by name; fails (naming every problem) if the secret lacks a provider's keys. */
export async function createProviders(settings: ProviderSettings, deps: ProviderDeps = {}): Promise<Providers> {
    const keys = new ProviderKeys(
        deps.secrets ?? secretsManagerSource(settings.secretArn, settings.secretsCacheSeconds),
        settings.enabled,
    );
    await keys.check();
    const providers = new Map<ProviderName, PaymentProvider>();
    for (const name of settings.enabled) {
        if (name === "paystack")
            providers.set(name, new PaystackProvider({ ...settings.paystack, http: settings.http }, keys.reader(name)));
        if (name === "mpesa")
            providers.set(name, new MpesaProvider({ ...settings.mpesa!, http: settings.http }, keys.reader(name)));
        if (name === "sandbox") {
            if (!deps.sandboxLedger)
                throw new Error("the sandbox provider is enabled but no ledger database was given");
            providers.set(name, new SandboxProvider(deps.sandboxLedger, keys.reader(name)));
        }
    }
    return providers;
}
