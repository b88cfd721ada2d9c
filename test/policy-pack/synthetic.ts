import { PlanGraph, PlanResource } from "../../infra/offline/graph";
import { PlanMocks } from "../../infra/offline/mocks";

/** The sentinel the engine puts where a value is unknown during preview (@pulumi/policy/proxy). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const UNKNOWN: string = require("@pulumi/policy/proxy").unknownStringValue;

/** A value that came from other resources: the engine records them as the input's property dependencies. */
export class Ref {
    constructor(
        readonly value: unknown,
        readonly from: PlanResource[],
    ) {}
}

/**
 * Builds resource graphs in the offline plan's shape for policy tests and benchmarks: inputs may
 * hold Refs (anywhere inside a top-level input), which become values plus propertyDependencies,
 * exactly as the recorder captures a real program's registrations.
 */
export class SyntheticGraph {
    readonly resources: PlanResource[] = [];
    private readonly byName = new Map<string, PlanResource>();
    readonly regional: PlanResource;
    readonly edge: PlanResource;
    /** The offline plan's mocks give every resource the id and ARN AWS would. */
    private readonly mocks: PlanMocks;

    constructor(
        readonly stack = "prod",
        readonly project = "shop",
        readonly account = "222222222222",
        readonly region = "af-south-1",
    ) {
        this.mocks = new PlanMocks(account, (inputs, providerRef) =>
            typeof inputs.region === "string" ? inputs.region : providerRef ? providerRef.split("::").pop()! : region,
        );
        const tags = JSON.stringify({
            tags: {
                Project: project,
                Environment: stack,
                Stack: stack,
                Owner: "platform-team",
                CostCenter: "CC-ECOM",
                DataClassification: "confidential",
                ManagedBy: "pulumi",
            },
        });
        this.regional = this.add(
            "pulumi:providers:aws",
            `aws-${region}`,
            { region, defaultTags: tags, allowedAccountIds: JSON.stringify([account]) },
            { provider: null },
        );
        this.edge = this.add(
            "pulumi:providers:aws",
            "aws-us-east-1",
            { region: "us-east-1", defaultTags: tags, allowedAccountIds: JSON.stringify([account]) },
            { provider: null },
        );
    }

    add(
        type: string,
        name: string,
        inputs: Record<string, unknown> = {},
        opts: {
            provider?: PlanResource | null;
            parent?: PlanResource;
            dependsOn?: PlanResource[];
            protect?: boolean;
        } = {},
    ): PlanResource {
        if (this.byName.has(name)) throw new Error(`duplicate synthetic resource ${name}`);
        const provider = opts.provider === undefined ? this.regional : opts.provider;
        const resource: PlanResource = {
            urn: `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`,
            type,
            name,
            id: null,
            arn: null,
            custom: !type.startsWith("shop:"),
            parent: opts.parent?.urn ?? null,
            provider: provider?.urn ?? null,
            region: String(provider?.inputs.region ?? this.region),
            inputs: {},
            dependencies: [],
            propertyDependencies: {},
            protect: opts.protect ?? false,
            ignoreChanges: [],
        };
        this.resources.push(resource);
        this.byName.set(name, resource);
        this.assign(resource, inputs);
        for (const dep of opts.dependsOn ?? []) this.depend(resource, dep.urn);
        if (resource.custom) {
            const { id, state } = this.mocks.newResource({
                type,
                name,
                inputs: resource.inputs,
                provider: provider ? `${provider.urn}::${provider.inputs.region}` : undefined,
                custom: true,
            });
            resource.id = id ?? null;
            resource.arn = typeof state.arn === "string" ? state.arn : null;
        }
        return resource;
    }

    get(name: string): PlanResource {
        const found = this.byName.get(name);
        if (!found) throw new Error(`no synthetic resource ${name}`);
        return found;
    }

    /** Changes top-level inputs (undefined removes one), with their property dependencies. */
    set(name: string, patch: Record<string, unknown>): PlanResource {
        const resource = this.get(name);
        for (const key of Object.keys(patch)) {
            delete resource.inputs[key];
            delete resource.propertyDependencies[key];
        }
        this.assign(resource, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
        resource.dependencies = [...new Set([...Object.values(resource.propertyDependencies).flat()])];
        return resource;
    }

    remove(name: string): void {
        const resource = this.get(name);
        this.resources.splice(this.resources.indexOf(resource), 1);
        this.byName.delete(name);
    }

    /**
     * The resource's id as a value that depends on it, or another value computed from it (a
     * function of its id, or a value as is, e.g. UNKNOWN).
     */
    ref(resource: PlanResource | string, value?: unknown): Ref {
        const r = typeof resource === "string" ? this.get(resource) : resource;
        return new Ref(typeof value === "function" ? value(r.id) : (value ?? r.id), [r]);
    }

    /**
     * A value computed from several resources, as `pulumi.all([...]).apply(compute)` is: it depends
     * on all of them whatever it holds (e.g. `([a]) => [a.id]`, the first subnet of three).
     */
    computed(from: (PlanResource | string)[], compute: (resources: PlanResource[]) => unknown): Ref {
        const resources = from.map((r) => (typeof r === "string" ? this.get(r) : r));
        return new Ref(compute(resources), resources);
    }

    /** The resource's ARN (as the offline plan's mocks give it) as a value that depends on it. */
    arn(resource: PlanResource | string): Ref {
        const r = typeof resource === "string" ? this.get(resource) : resource;
        return this.ref(r, r.arn);
    }

    /** JSON text built from a value that holds Refs (policy documents), depending on all of them. */
    json(value: unknown): Ref {
        const from: PlanResource[] = [];
        const text = JSON.stringify(resolve(value, from));
        return new Ref(text, from);
    }

    graph(): PlanGraph {
        return {
            project: this.project,
            stack: this.stack,
            region: this.region,
            resources: this.resources,
            outputs: {},
            violations: [],
        };
    }

    private assign(resource: PlanResource, inputs: Record<string, unknown>): void {
        for (const [key, value] of Object.entries(inputs)) {
            const from: PlanResource[] = [];
            resource.inputs[key] = resolve(value, from);
            if (from.length > 0) {
                resource.propertyDependencies[key] = [...new Set(from.map((r) => r.urn))];
                for (const r of from) this.depend(resource, r.urn);
            }
        }
    }

    private depend(resource: PlanResource, urn: string): void {
        if (!resource.dependencies.includes(urn)) resource.dependencies.push(urn);
    }
}

function resolve(value: unknown, from: PlanResource[]): unknown {
    if (value instanceof Ref) {
        from.push(...value.from);
        return value.value;
    }
    if (Array.isArray(value)) return value.map((v) => resolve(v, from));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, from)]));
    }
    return value;
}
