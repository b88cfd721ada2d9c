// Reads a handler's configuration from its environment once, at cold start. Every variable holds
// plain settings (URLs, ARNs, numbers); secrets are fetched at run time (see secrets.ts). All
// problems are reported together, each naming the variable, its value and what it must be.

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid function configuration:\n  - ${problems.join("\n  - ")}`);
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
