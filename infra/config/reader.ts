import * as pulumi from "@pulumi/pulumi";
import { ConfigIssues } from "./issues";
import { RawConfig } from "./source";

interface Common<T> {
    /** Used when the key is not set; without a default the key is required. */
    default?: T;
    /** What to do about a bad value, in words; the reader appends the `pulumi config set` command. */
    fix?: string;
    /** A valid value shown in the suggested command. */
    example?: string;
}

/**
 * Typed, collecting access to the project's configuration. Keys are written as Pulumi's
 * `--path` syntax without the namespace ("logRetentionDays", "network.vpcCidr"). Every problem
 * is recorded in `issues` and a fallback value is returned, so that validation goes on and all
 * problems are reported together.
 */
export class ConfigReader {
    readonly issues = new ConfigIssues();
    private readonly tree: Record<string, unknown> = {};
    private readonly foreign = new Map<string, string>();
    private readonly used = new Set<string>();

    constructor(private readonly raw: RawConfig) {
        const prefix = `${raw.project}:`;
        for (const [key, value] of Object.entries(raw.values)) {
            if (key.startsWith(prefix)) this.tree[key.slice(prefix.length)] = parseRaw(value);
            else this.foreign.set(key, value);
        }
    }

    get stack(): string {
        return this.raw.stack;
    }

    /** A key of another namespace, such as "aws:region", as its raw string. */
    foreignKey(fullKey: string): string | undefined {
        return this.foreign.get(fullKey);
    }

    /** Records a problem with the value at `key` and the fix. */
    problem(key: string, value: unknown, problem: string, fix: string): void {
        this.issues.add(this.qualified(key), value, problem, fix);
    }

    /** The fix sentence: the advice plus the command that sets a valid value. */
    fixWith(key: string, advice: string, example?: string): string {
        if (example === undefined) return advice;
        return `${advice} (pulumi config set --path '${key}' ${quote(example)})`;
    }

    qualified(key: string): string {
        return `${this.raw.project}:${key}`;
    }

    /** The raw value at a dotted path, or undefined. Marks the path as used. */
    value(key: string): unknown {
        this.markUsed(key);
        let node: unknown = this.tree;
        for (const part of key.split(".")) {
            if (!isObject(node) || !(part in node)) return undefined;
            node = node[part];
        }
        return node;
    }

    has(key: string): boolean {
        return this.value(key) !== undefined;
    }

    string(key: string, opts: Common<string> & { pattern?: RegExp; describe?: string } = {}): string {
        const value = this.value(key);
        if (value === undefined) return this.missing(key, opts, "");
        if (typeof value !== "string" || value.length === 0) {
            this.bad(key, value, "must be a non-empty string", opts);
            return opts.default ?? "";
        }
        if (opts.pattern && !opts.pattern.test(value)) {
            this.bad(key, value, `is not ${opts.describe ?? `of the form ${opts.pattern}`}`, opts);
            return opts.default ?? value;
        }
        return value;
    }

    optionalString(
        key: string,
        opts: Omit<Common<string>, "default"> & { pattern?: RegExp; describe?: string } = {},
    ): string | undefined {
        return this.value(key) === undefined ? undefined : this.string(key, opts);
    }

    integer(key: string, opts: Common<number> & { min: number; max: number }): number {
        return this.numeric(key, opts, true);
    }

    number(key: string, opts: Common<number> & { min: number; max: number }): number {
        return this.numeric(key, opts, false);
    }

    boolean(key: string, opts: Common<boolean> = {}): boolean {
        const value = this.value(key);
        if (value === undefined) return this.missing(key, opts, false);
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.bad(key, value, "must be true or false", { ...opts, example: opts.example ?? "true" });
        return opts.default ?? false;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], opts: Common<T> = {}): T {
        const value = this.value(key);
        if (value === undefined)
            return this.missing(key, { ...opts, fix: opts.fix ?? `set one of: ${allowed.join(", ")}` }, allowed[0]);
        if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
        this.bad(key, value, `is not one of: ${allowed.join(", ")}`, { ...opts, example: opts.example ?? allowed[0] });
        return opts.default ?? allowed[0];
    }

    /** A list of strings; `check` returns a problem for a bad item. */
    stringList(
        key: string,
        opts: Common<string[]> & {
            minItems?: number;
            maxItems?: number;
            check?: (item: string) => string | undefined;
            unique?: boolean;
        } = {},
    ): string[] {
        const value = this.value(key);
        if (value === undefined) return this.missing(key, opts, []);
        if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
            this.bad(key, value, "must be a list of strings", opts);
            return opts.default ?? [];
        }
        const items = value as string[];
        if (opts.minItems !== undefined && items.length < opts.minItems) {
            this.bad(key, value, `has ${items.length} item(s); at least ${opts.minItems} required`, opts);
        }
        if (opts.maxItems !== undefined && items.length > opts.maxItems) {
            this.bad(key, value, `has ${items.length} items; at most ${opts.maxItems} allowed`, opts);
        }
        if (opts.unique) {
            const duplicates = items.filter((item, i) => items.indexOf(item) !== i);
            if (duplicates.length > 0)
                this.bad(key, value, `lists ${[...new Set(duplicates)].join(", ")} more than once`, opts);
        }
        for (const item of items) {
            const problem = opts.check?.(item);
            if (problem) this.bad(key, value, `item ${JSON.stringify(item)} ${problem}`, opts);
        }
        return items;
    }

    /**
     * Declares a structured key and the names it may hold, so that a misspelt name is reported
     * rather than silently ignored. Returns false when the key is set but is not an object.
     */
    section(key: string, names: readonly string[], opts: { required?: boolean } = {}): boolean {
        const value = this.value(key);
        if (value === undefined) {
            if (opts.required)
                this.problem(key, value, "is required", this.fixWith(key, `set its fields ${names.join(", ")}`));
            return false;
        }
        if (!isObject(value)) {
            this.problem(
                key,
                value,
                "must be an object",
                `set its fields with pulumi config set --path '${key}.<field>' <value>; fields: ${names.join(", ")}`,
            );
            return false;
        }
        for (const name of Object.keys(value)) {
            if (!names.includes(name)) {
                this.problem(
                    `${key}.${name}`,
                    value[name],
                    `is not a known setting of ${key}`,
                    `remove it or use one of: ${names.join(", ")}`,
                );
            }
        }
        return true;
    }

    /**
     * A secret string: the value is always handed on as a Pulumi secret, and a value stored in
     * plaintext in the stack file is rejected.
     */
    secret(
        key: string,
        opts: Omit<Common<string>, "default"> & { required?: boolean } = {},
    ): pulumi.Output<string> | undefined {
        const value = this.value(key);
        if (value === undefined) {
            if (opts.required) this.missing(key, { fix: opts.fix ?? "set it as a secret", example: undefined }, "");
            return undefined;
        }
        const top = this.qualified(key.split(".")[0]);
        if (!this.raw.secretKeys.has(top)) {
            this.problem(
                key,
                "(plaintext value hidden)",
                "is stored in plaintext",
                `store it encrypted: pulumi config set --secret --path '${key}' <value>`,
            );
        }
        if (typeof value !== "string" || value.length === 0) {
            this.problem(
                key,
                "(secret value hidden)",
                "must be a non-empty string",
                `pulumi config set --secret --path '${key}' <value>`,
            );
            return undefined;
        }
        return pulumi.secret(value);
    }

    /** Keys of this project's namespace that no reader asked for: most likely typos. */
    reportUnknownKeys(): void {
        for (const key of Object.keys(this.tree)) {
            if (!this.used.has(key) && !READ_BY_TOOLS.includes(key)) {
                this.problem(
                    key,
                    this.tree[key],
                    "is not a setting of this program",
                    "remove it (pulumi config rm) or correct its name; the README lists every key",
                );
            }
        }
    }

    private numeric(key: string, opts: Common<number> & { min: number; max: number }, integer: boolean): number {
        const value = this.value(key);
        if (value === undefined) return this.missing(key, opts, opts.min);
        const n =
            typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
        const kind = integer ? "a whole number" : "a number";
        if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
            this.bad(key, value, `must be ${kind}`, {
                ...opts,
                example: opts.example ?? String(opts.default ?? opts.min),
            });
            return opts.default ?? opts.min;
        }
        if (n < opts.min || n > opts.max) {
            this.bad(key, value, `must be between ${opts.min} and ${opts.max}`, {
                ...opts,
                example: opts.example ?? String(opts.default ?? opts.min),
            });
            return Math.min(Math.max(n, opts.min), opts.max);
        }
        return n;
    }

    private missing<T>(key: string, opts: Common<T>, fallback: T): T {
        if (opts.default !== undefined) return opts.default;
        this.problem(key, undefined, "is required", this.fixWith(key, opts.fix ?? "set it", opts.example));
        return fallback;
    }

    private bad(key: string, value: unknown, problem: string, opts: Common<unknown>): void {
        this.problem(key, value, problem, this.fixWith(key, opts.fix ?? "set a valid value", opts.example));
    }

    private markUsed(key: string): void {
        this.used.add(key.split(".")[0]);
    }
}

/**
 * Keys the program does not read but the project's tools do: `cost` is the usage profile of the
 * offline plan's cost estimate (infra/offline/cost/usage.ts validates it).
 */
const READ_BY_TOOLS = ["cost"];

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Structured values arrive as JSON text; plain values stay strings. */
function parseRaw(value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

function quote(text: string): string {
    return /^[\w./:@-]+$/.test(text) ? text : `'${text}'`;
}
