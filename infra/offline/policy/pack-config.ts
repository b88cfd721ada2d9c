import { EnforcementLevel, Policies, PolicyConfigSchema } from "@pulumi/policy";
import { readFileSync } from "fs";
import { assertSupported, JsonSchema, validate } from "./json-schema";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy's settings after the pack config is applied: its level and its config properties. */
export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
    constructor(
        readonly source: string,
        readonly problems: string[],
    ) {
        super(`Invalid policy pack configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

/** Reads a pack config file (the JSON that `--policy-pack-config` takes). */
export function readPackConfig(file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (err) {
        throw new PolicyConfigError(file, [`cannot be read: ${(err as Error).message}`]);
    }
    if (text.trim() === "") return {};
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new PolicyConfigError(file, [`is not valid JSON: ${(err as Error).message}`]);
    }
}

/**
 * Resolves each policy's level and config the way the Pulumi CLI does (ReconcilePolicyPackConfig):
 * schema defaults first, then `all`'s level for every policy, then each policy's own level and
 * properties; the result must fit the schema. Stricter than the CLI, which ignores them: an
 * unknown policy name or config property is an error too, so a typo never silently disables a
 * setting. Every problem is reported at once.
 */
export function resolvePackConfig(
    policies: Policies,
    config: unknown,
    source: string,
    packLevel: EnforcementLevel = "advisory",
): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        if (policy.configSchema)
            assertSupported(
                { properties: policy.configSchema.properties as Record<string, JsonSchema> },
                `policy ${policy.name}`,
            );
        resolved.set(policy.name, {
            enforcementLevel: policy.enforcementLevel ?? packLevel,
            properties: schemaDefaults(policy.configSchema),
        });
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new PolicyConfigError(source, ['must be a JSON object keyed by policy name (or "all")']);
    }
    const entries = Object.entries(config as Record<string, unknown>);
    const levelOf = (name: string, value: unknown): EnforcementLevel | undefined => {
        if (value === undefined) return undefined;
        if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
            return value as EnforcementLevel;
        problems.push(`${name}: enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`);
        return undefined;
    };

    const all = (config as Record<string, unknown>).all;
    if (all !== undefined) {
        const allLevel =
            typeof all === "object" && all !== null ? (all as Record<string, unknown>).enforcementLevel : all;
        const extra =
            typeof all === "object" && all !== null ? Object.keys(all).filter((k) => k !== "enforcementLevel") : [];
        if (extra.length > 0)
            problems.push(`all: only enforcementLevel may be set for every policy, not ${extra.join(", ")}`);
        const level = levelOf("all", allLevel);
        if (level) for (const r of resolved.values()) r.enforcementLevel = level;
    }

    for (const [name, value] of entries) {
        if (name === "all") continue;
        const policy = policies.find((p) => p.name === name);
        const target = resolved.get(name);
        if (!policy || !target) {
            problems.push(`${name}: no such policy in the pack (policies: ${policies.map((p) => p.name).join(", ")})`);
            continue;
        }
        if (typeof value === "string") {
            const level = levelOf(name, value);
            if (level) target.enforcementLevel = level;
            continue;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            problems.push(
                `${name}: ${JSON.stringify(value)} is neither an enforcement level nor an object of settings`,
            );
            continue;
        }
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        const level = levelOf(name, enforcementLevel);
        if (level) target.enforcementLevel = level;
        const known = Object.keys(policy.configSchema?.properties ?? {});
        for (const key of Object.keys(properties)) {
            if (!known.includes(key))
                problems.push(`${name}.${key}: not a setting of this policy (settings: ${known.join(", ") || "none"})`);
        }
        Object.assign(target.properties, properties);
    }

    for (const policy of policies) {
        if (!policy.configSchema) continue;
        const schema: JsonSchema = {
            type: "object",
            properties: policy.configSchema.properties as Record<string, JsonSchema>,
            required: policy.configSchema.required,
        };
        const target = resolved.get(policy.name) as ResolvedPolicyConfig;
        const known = Object.fromEntries(
            Object.entries(target.properties).filter(([k]) => k in (policy.configSchema?.properties ?? {})),
        );
        problems.push(...validate(known, schema, policy.name));
    }
    if (problems.length > 0) throw new PolicyConfigError(source, problems);
    return resolved;
}

function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (property.default !== undefined) out[key] = structuredClone(property.default);
    }
    return out;
}
