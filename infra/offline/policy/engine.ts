import {
    EnforcementLevel,
    Policies,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { PlanGraph, PlanResource } from "../graph";
import { ResolvedPolicyConfig } from "./pack-config";

/**
 * Evaluates a policy pack on an offline plan graph the way the Pulumi engine's analyzer does
 * (@pulumi/policy's server.js): resource policies get each resource's inputs with its provider,
 * options, isType/asType, getConfig and notApplicable; stack policies get every resource with its
 * parent, dependencies and propertyDependencies resolved to resource objects. Property bags are
 * wrapped in the same unknown-checking proxy, and a policy that reads an unknown value is reported
 * as an advisory "can't run ... during preview" diagnostic, as the engine does.
 *
 * Two differences: the engine passes stack policies each resource's outputs, the graph holds
 * inputs (what the program declared, which is what these policies check) with the id and ARN the
 * outputs would add; and the engine prefixes each message with the policy's description, which the
 * report leaves in the pack.
 */
export interface PolicyViolation {
    policy: string;
    enforcementLevel: "advisory" | "mandatory";
    severity?: Severity;
    urn: string | null;
    message: string;
}

export interface PackIdentity {
    name: string;
    version: string;
}

/** A policy threw something other than an unknown-value or not-applicable signal: the engine fails the run. */
export class PolicyEvaluationError extends Error {
    constructor(
        readonly policy: string,
        readonly urn: string | null,
        readonly cause: unknown,
    ) {
        super(
            `policy ${policy} failed${urn ? ` on ${urn}` : ""}: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
        this.name = "PolicyEvaluationError";
    }
}

/** Thrown by `notApplicable`, often (a policy for every resource type): without a stack trace, which would cost most of the call. */
class NotApplicable extends Error {
    constructor(reason?: string) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        super(reason);
        Error.stackTraceLimit = limit;
    }
}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

const STACK_TAGS: ReadonlyMap<string, string> = new Map();

function tokenOf(value: unknown): string | undefined {
    const token = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof token === "string" && token.length > 0 ? token : undefined;
}

/** isType as the engine implements it: by type token, else the class's isInstance. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = tokenOf(resourceClass);
    if (token) return type === token;
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(resource: PlanResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: resource.ignoreChanges,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

export function evaluatePack(
    graph: PlanGraph,
    policies: Policies,
    config: Map<string, ResolvedPolicyConfig>,
    pack: PackIdentity,
): PolicyViolation[] {
    const violations: PolicyViolation[] = [];
    const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
    const providers = new Map<string, PolicyProviderResource>();
    const providerOf = (resource: PlanResource): PolicyProviderResource | undefined => {
        const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
        if (!provider) return undefined;
        let shaped = providers.get(provider.urn);
        if (!shaped) {
            shaped = {
                type: provider.type,
                props: unknownCheckingProxy(provider.inputs),
                urn: provider.urn,
                name: provider.name,
            };
            providers.set(provider.urn, shaped);
        }
        return shaped;
    };
    const levelOf = (name: string): EnforcementLevel => config.get(name)?.enforcementLevel ?? "advisory";
    const getConfig =
        (name: string) =>
        <T extends object>() =>
            structuredClone(config.get(name)?.properties ?? {}) as T;
    const severityOf = new Map(policies.map((p) => [p.name, p.severity]));
    const reporter = (name: string, fixedUrn: string | null) => {
        const level = levelOf(name);
        const enforcementLevel = level === "advisory" ? "advisory" : "mandatory";
        return (message: string, urn?: string) => {
            violations.push({
                policy: name,
                enforcementLevel,
                severity: severityOf.get(name),
                urn: fixedUrn ?? urn ?? null,
                message,
            });
        };
    };
    /** What the engine does with an exception from a policy. */
    const handle = (name: string, urn: string | null, err: unknown) => {
        if (err instanceof NotApplicable) return;
        if (err instanceof UnknownValueError) {
            violations.push({
                policy: name,
                enforcementLevel: "advisory",
                severity: severityOf.get(name),
                urn,
                message: `can't run policy '${name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${(err as Error).message}`,
            });
            return;
        }
        throw new PolicyEvaluationError(name, urn, err);
    };

    const enabled = policies.filter((p) => levelOf(p.name) !== "disabled");
    evaluateResourcePolicies(
        graph,
        enabled.filter(
            (p): p is ResourceValidationPolicy => "validateResource" in p && p.validateResource !== undefined,
        ),
        providerOf,
        getConfig,
        reporter,
        handle,
    );
    evaluateStackPolicies(
        graph,
        enabled.filter((p): p is StackValidationPolicy => "validateStack" in p),
        providerOf,
        getConfig,
        reporter,
        handle,
    );
    return violations;
}

type Reporter = (name: string, fixedUrn: string | null) => (message: string, urn?: string) => void;
type Handler = (name: string, urn: string | null, err: unknown) => void;
type ConfigGetter = (name: string) => <T extends object>() => T;

function evaluateResourcePolicies(
    graph: PlanGraph,
    policies: ResourceValidationPolicy[],
    providerOf: (r: PlanResource) => PolicyProviderResource | undefined,
    getConfig: ConfigGetter,
    reporter: Reporter,
    handle: Handler,
): void {
    // The engine skips a validation whose type token does not match before calling it; index by token.
    const typed = new Map<string, { policy: ResourceValidationPolicy; validate: ResourceValidation }[]>();
    const untyped: { policy: ResourceValidationPolicy; validate: ResourceValidation }[] = [];
    for (const policy of policies) {
        const validations = Array.isArray(policy.validateResource)
            ? policy.validateResource
            : [policy.validateResource as ResourceValidation];
        for (const validate of validations) {
            const token = tokenOf(validate);
            if (!token) untyped.push({ policy, validate });
            else typed.set(token, [...(typed.get(token) ?? []), { policy, validate }]);
        }
    }
    for (const resource of graph.resources) {
        const checks = [...(typed.get(resource.type) ?? []), ...untyped];
        if (checks.length === 0) continue;
        const props = unknownCheckingProxy(resource.inputs);
        const provider = providerOf(resource);
        for (const { policy, validate } of checks) {
            const args: ResourceValidationArgs = {
                type: resource.type,
                props,
                urn: resource.urn,
                name: resource.name,
                opts: optionsOf(resource),
                stackTags: STACK_TAGS,
                isType: (cls) => isTypeOf(resource.type, cls),
                asType: ((cls: unknown) =>
                    isTypeOf(resource.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
                getConfig: getConfig(policy.name),
                notApplicable,
                ...(provider ? { provider } : {}),
            };
            try {
                const result = validate(args, reporter(policy.name, resource.urn));
                if (result instanceof Promise) throw new Error("asynchronous validations are not supported offline");
            } catch (err) {
                handle(policy.name, resource.urn, err);
            }
        }
    }
}

function evaluateStackPolicies(
    graph: PlanGraph,
    policies: StackValidationPolicy[],
    providerOf: (r: PlanResource) => PolicyProviderResource | undefined,
    getConfig: ConfigGetter,
    reporter: Reporter,
    handle: Handler,
): void {
    if (policies.length === 0) return;
    const resources = stackResources(graph, providerOf);
    const types = new Set(graph.resources.map((r) => r.type));
    for (const policy of policies) {
        const token = tokenOf(policy.validateStack);
        if (token && !types.has(token)) continue;
        const args: StackValidationArgs = {
            resources,
            getConfig: getConfig(policy.name),
            stackTags: STACK_TAGS,
            notApplicable,
        };
        try {
            const result = policy.validateStack(args, reporter(policy.name, null));
            if (result instanceof Promise) throw new Error("asynchronous validations are not supported offline");
        } catch (err) {
            handle(policy.name, null, err);
        }
    }
}

/**
 * A resource's inputs with the id and ARN the engine's outputs would carry: the values by which
 * stack policies resolve what another resource's input refers to.
 */
function withIdentity(r: PlanResource): Record<string, unknown> {
    if (r.id === null && r.arn === null) return r.inputs;
    return { ...r.inputs, ...(r.id !== null ? { id: r.id } : {}), ...(r.arn !== null ? { arn: r.arn } : {}) };
}

/** The resources as a stack policy sees them, links resolved to resource objects. */
function stackResources(
    graph: PlanGraph,
    providerOf: (r: PlanResource) => PolicyProviderResource | undefined,
): PolicyResource[] {
    const shaped = new Map<string, PolicyResource>();
    for (const r of graph.resources) {
        const props = unknownCheckingProxy(withIdentity(r));
        const provider = providerOf(r);
        shaped.set(r.urn, {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
            ...(provider ? { provider } : {}),
        });
    }
    const resolve = (urns: string[]) =>
        urns.map((u) => shaped.get(u)).filter((x): x is PolicyResource => x !== undefined);
    for (const r of graph.resources) {
        const resource = shaped.get(r.urn) as PolicyResource;
        const parent = r.parent ? shaped.get(r.parent) : undefined;
        if (parent) resource.parent = parent;
        resource.dependencies = resolve(r.dependencies);
        for (const [property, urns] of Object.entries(r.propertyDependencies))
            resource.propertyDependencies[property] = resolve(urns);
    }
    return [...shaped.values()];
}
