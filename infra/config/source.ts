import * as pulumi from "@pulumi/pulumi";

/**
 * The stack configuration as Pulumi hands it to the program: every key with its namespace
 * ("shop:network", "aws:region") mapped to its raw string (structured values arrive as JSON),
 * plus the keys whose values were stored encrypted.
 */
export interface RawConfig {
    project: string;
    stack: string;
    values: Readonly<Record<string, string>>;
    secretKeys: ReadonlySet<string>;
}

/** Reads the configuration of the running Pulumi program (real engine or mocks). */
export function runtimeConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    const secretKeys = new Set(Object.keys(values).filter(storedEncrypted));
    return { project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys };
}

// The SDK knows which keys were stored encrypted but marks `isConfigSecret` internal (exported
// at run time, absent from the typings). Should a release drop it, every key counts as encrypted:
// secret values are still wrapped as secrets, only the plaintext-storage check is lost.
function storedEncrypted(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    return runtime.isConfigSecret ? runtime.isConfigSecret(key) : true;
}
