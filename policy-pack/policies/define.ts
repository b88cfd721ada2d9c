import {
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidation,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";

/** The mandate a policy belongs to; the policy modules are grouped the same way. */
export type Mandate =
    | "encryption-at-rest"
    | "encryption-in-transit"
    | "private-network"
    | "multi-az"
    | "resilience"
    | "logging"
    | "identity"
    | "workload-hardening"
    | "edge"
    | "tagging";

export const FSBP = {
    name: "AWS Foundational Security Best Practices",
    version: "1.0.0",
    reference: "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
} as const;

/** What every policy of the pack declares, whatever it checks. */
export interface PolicyMetadata {
    /** kebab-case, `<service>-<what must hold>`; unique in the pack. */
    name: string;
    description: string;
    severity: Severity;
    /** The level when no pack config says otherwise (prod and dev configs adjust it). */
    enforcementLevel: Exclude<EnforcementLevel, "remediate">;
    /** What to change in the program, in one or two sentences. */
    remediation: string;
    mandate: Mandate;
    /** Security Hub controls of the FSBP v1.0.0 standard this policy covers. */
    fsbp?: string[];
    /** Security Hub controls it covers that belong to other standards (CIS, NIST 800-53) only. */
    securityHub?: string[];
    configSchema?: PolicyConfigSchema;
}

/** Metadata common to both kinds: display name, tags and the compliance framework. */
function describe(meta: PolicyMetadata) {
    const fsbp = meta.fsbp ?? [];
    const securityHub = meta.securityHub ?? [];
    return {
        name: meta.name,
        description: meta.description,
        severity: meta.severity,
        enforcementLevel: meta.enforcementLevel,
        remediationSteps: meta.remediation,
        tags: [meta.mandate, ...fsbp.map((id) => `fsbp:${id}`), ...securityHub.map((id) => `securityhub:${id}`)],
        ...(fsbp.length > 0 ? { framework: { ...FSBP, specification: fsbp.join(", ") } } : {}),
        ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
    };
}

/** The schema's defaults: the CLI configures a pack with them, but a policy must not rely on it. */
function defaultsOf(meta: PolicyMetadata): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(meta.configSchema?.properties ?? {})) {
        if (property.default !== undefined) out[key] = property.default;
    }
    return out;
}

/** `args` whose getConfig fills in the schema's defaults for settings the engine did not pass. */
function withDefaults<A extends { getConfig<T extends object>(): T }>(args: A, defaults: Record<string, unknown>): A {
    return { ...args, getConfig: <T extends object>() => ({ ...defaults, ...args.getConfig<T>() }) as T };
}

export function resourcePolicy(
    meta: PolicyMetadata,
    validateResource: ResourceValidation | ResourceValidation[],
): ResourceValidationPolicy {
    const defaults = defaultsOf(meta);
    const wrap = (validate: ResourceValidation): ResourceValidation => {
        const wrapped: ResourceValidation = (args, report) => validate(withDefaults(args, defaults), report);
        // The engine skips a validation of another type by this token without calling it.
        const token = (validate as { __pulumiType?: string }).__pulumiType;
        if (token) (wrapped as { __pulumiType?: string }).__pulumiType = token;
        return wrapped;
    };
    return {
        ...describe(meta),
        validateResource: Array.isArray(validateResource) ? validateResource.map(wrap) : wrap(validateResource),
    };
}

export function stackPolicy(meta: PolicyMetadata, validateStack: StackValidation): StackValidationPolicy {
    const defaults = defaultsOf(meta);
    return { ...describe(meta), validateStack: (args, report) => validateStack(withDefaults(args, defaults), report) };
}

/** The FSBP / Security Hub control ids a policy records (from its tags). */
export function controlsOf(policy: { tags?: string[] }): { fsbp: string[]; securityHub: string[] } {
    const pick = (prefix: string) =>
        (policy.tags ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
    return { fsbp: pick("fsbp:"), securityHub: pick("securityhub:") };
}

/**
 * `validateResourceOfType` for a check that reads one input by name across several resource
 * types (e.g. the `policy` document of buckets, queues and keys): same type filtering, untyped props.
 */
export function validateUntypedResourceOfType(
    type: new (...args: any[]) => Resource,
    validate: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
    return validateResourceOfType(type as new (name: string, args: Record<string, unknown>) => Resource, validate);
}
