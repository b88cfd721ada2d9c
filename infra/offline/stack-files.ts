import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { RawConfig } from "../config";

/**
 * Encrypted values cannot be decrypted without the stack's secrets provider, so the offline plan
 * evaluates the program with this stand-in (still handled as a secret).
 */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

/** A stack file that is missing or unreadable: a usage problem, not a program failure. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/**
 * YAML 1.2's core schema: plain scalars are strings, numbers, booleans and null, never dates.
 * js-yaml because @pulumi/pulumi already loads it: the plan pays for no second YAML parser.
 */
function parse(text: string): unknown {
    return load(text, { schema: CORE_SCHEMA });
}

/** The project name from Pulumi.yaml. */
export function readProjectName(projectDir: string): string {
    const project = parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: unknown };
    if (typeof project?.name !== "string")
        throw new Error(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    return project.name;
}

/**
 * Reads Pulumi.<stack>.yaml into the form the Pulumi engine hands a program: namespaced keys,
 * scalar values as strings, structured values as JSON, and the list of keys stored encrypted.
 */
export function readStackConfig(projectDir: string, stack: string): RawConfig {
    const project = readProjectName(projectDir);
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
        throw new StackFileError(
            `No stack file ${file}. Stacks in this project: ${listStacks(projectDir).join(", ") || "none"}`,
        );
    }
    const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [rawKey, rawValue] of Object.entries(doc?.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const { value, secret } = replaceSecure(rawValue);
        values[key] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
        if (secret) secretKeys.add(key);
    }
    return { project, stack, values, secretKeys };
}

export function listStacks(projectDir: string): string[] {
    return readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Replaces `{secure: ...}` anywhere in a value by the placeholder and reports whether any was found. */
function replaceSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(replaceSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure")
            return { value: OFFLINE_SECRET_PLACEHOLDER, secret: true };
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
            const replaced = replaceSecure(v);
            out[k] = replaced.value;
            secret ||= replaced.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}
