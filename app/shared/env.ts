// Reads a program's configuration from its environment once, at start (a Lambda container's cold
// start, a service's boot). Variables hold plain settings (URLs, ARNs, numbers); the functions
// fetch secrets at run time, and a service gets only what ECS injects from Secrets Manager. All
// problems are reported together, each naming the variable, its value and what it must be.

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigurationError";
    }
}

export class EnvReader {
    private readonly problems: string[] = [];

    constructor(private readonly env: Env = process.env) {}

    /** A variable that must be set (and non-empty). */
    string(name: string): string {
        const value = this.env[name]?.trim();
        if (!value) {
            this.problems.push(`${name} is not set`);
            return "";
        }
        return value;
    }

    optionalString(name: string): string | undefined {
        return this.env[name]?.trim() || undefined;
    }

    integer(name: string, fallback: number, min: number, max: number): number {
        const raw = this.env[name]?.trim();
        if (!raw) return fallback;
        const value = Number(raw);
        if (!Number.isInteger(value) || value < min || value > max) {
            this.problems.push(`${name} is "${raw}": expected an integer from ${min} to ${max}`);
            return fallback;
        }
        return value;
    }

    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
        const raw = this.env[name]?.trim();
        if (!raw) return fallback;
        if (!(allowed as readonly string[]).includes(raw)) {
            this.problems.push(`${name} is "${raw}": expected one of ${allowed.join(", ")}`);
            return fallback;
        }
        return raw as T;
    }

    /** A comma-separated list of positive integers, e.g. "200,400". */
    integerList(name: string, fallback: number[], min: number, max: number): number[] {
        const raw = this.env[name]?.trim();
        if (!raw) return fallback;
        const values = raw.split(",").map((part) => Number(part.trim()));
        if (values.some((value) => !Number.isInteger(value) || value < min || value > max)) {
            this.problems.push(`${name} is "${raw}": expected comma-separated integers from ${min} to ${max}`);
            return fallback;
        }
        return values;
    }

    /** A variable that must be set to one of `allowed`; undefined (and a problem) otherwise. */
    choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
        const raw = this.env[name]?.trim();
        if (raw && (allowed as readonly string[]).includes(raw)) return raw as T;
        this.problems.push(`${name} is ${raw ? `"${raw}"` : "not set"}: expected one of ${allowed.join(", ")}`);
        return undefined;
    }

    /** "true" or "false". */
    boolean(name: string, fallback: boolean): boolean {
        return this.oneOf(name, ["true", "false"] as const, fallback ? "true" : "false") === "true";
    }

    /**
     * An absolute URL: https, or http only to this machine (a local identity provider, a local
     * emulator), so that a stack can never be configured to trust plain HTTP across a network.
     */
    url(name: string): string;
    url(name: string, optional: "optional"): string | undefined;
    url(name: string, optional?: "optional"): string | undefined {
        const raw = optional ? this.optionalString(name) : this.string(name);
        if (!raw) return undefined;
        let url: URL;
        try {
            url = new URL(raw);
        } catch {
            this.problems.push(`${name} is "${raw}": expected an absolute URL`);
            return undefined;
        }
        const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
        if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
            this.problems.push(`${name} is "${raw}": expected an https URL (http only for localhost)`);
            return undefined;
        }
        return raw.replace(/\/+$/, "");
    }

    /** A JSON value, checked by `parse` (which throws with a message on a bad shape). */
    json<T>(name: string, parse: (value: unknown) => T): T | undefined {
        const raw = this.string(name);
        if (!raw) return undefined;
        try {
            return parse(JSON.parse(raw));
        } catch (error) {
            this.problems.push(`${name} is not valid: ${(error as Error).message}`);
            return undefined;
        }
    }

    problem(message: string): void {
        this.problems.push(message);
    }

    /** Throws every problem found so far; call it after reading all variables. */
    done(): void {
        if (this.problems.length > 0) throw new ConfigurationError(this.problems);
    }
}

/** Builds the value on first use and keeps it: the Lambda pattern for per-container state. */
export function once<T>(build: () => T): () => T {
    let value: { built: T } | undefined;
    return () => (value ??= { built: build() }).built;
}
