// Secrets come from Secrets Manager at run time (never from the environment) and are cached per
// container for SECRETS_CACHE_SECONDS, so a rotation is picked up within that time; a caller that
// sees the old value rejected asks for a fresh one.
import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { z } from "zod";

export class SecretReader {
    private readonly provider = new SecretsProvider();

    constructor(private readonly maxAgeSeconds: number) {}

    /** The secret's JSON, checked against `schema`; the error names the secret, never its value. */
    async json<T>(secretId: string, schema: z.ZodType<T>, refresh = false): Promise<T> {
        const raw = await this.provider.get(secretId, { maxAge: this.maxAgeSeconds, forceFetch: refresh });
        if (typeof raw !== "string") throw new Error(`secret ${secretId} has no SecretString`);
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            throw new Error(`secret ${secretId} is not JSON`);
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
            const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)");
            throw new Error(`secret ${secretId} lacks or has invalid fields: ${fields.join(", ")}`);
        }
        return parsed.data;
    }
}
