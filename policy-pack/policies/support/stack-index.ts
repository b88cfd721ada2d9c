import { PolicyResource } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";

/** An @pulumi/aws resource class, or its type token. */
export type ResourceType = string | (new (...args: any[]) => Resource);

/** The type token of a resource class (the static `__pulumiType` the SDK gives every class). */
export function tokenOf(type: ResourceType): string {
    if (typeof type === "string") return type;
    const token = (type as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string") throw new Error(`${type.name} has no Pulumi type token`);
    return token;
}

interface Reference {
    from: PolicyResource;
    property: string;
}

/**
 * Lookups over the resources a stack policy receives, by type and along the links the engine
 * records: `propertyDependencies` (which resources an input came from) and `dependencies`.
 * Relations between resources are followed only along these links, never by matching names.
 * Built once per resources array (the offline evaluator shares one array between policies).
 */
export class StackIndex {
    private static readonly cache = new WeakMap<readonly PolicyResource[], StackIndex>();

    static of(resources: readonly PolicyResource[]): StackIndex {
        let index = StackIndex.cache.get(resources);
        if (!index) {
            index = new StackIndex(resources);
            StackIndex.cache.set(resources, index);
        }
        return index;
    }

    private readonly byType = new Map<string, PolicyResource[]>();
    private referencesTo?: Map<string, Reference[]>;

    private constructor(readonly resources: readonly PolicyResource[]) {
        for (const r of resources) {
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
        }
    }

    ofType(...types: ResourceType[]): PolicyResource[] {
        return types.flatMap((t) => this.byType.get(tokenOf(t)) ?? []);
    }

    has(...types: ResourceType[]): boolean {
        return types.some((t) => this.byType.has(tokenOf(t)));
    }

    /** The resources of `types` that `resource`'s input `property` came from. */
    sources(resource: PolicyResource, property: string, ...types: ResourceType[]): PolicyResource[] {
        const found = resource.propertyDependencies[property] ?? [];
        if (types.length === 0) return found;
        const tokens = new Set(types.map(tokenOf));
        return found.filter((r) => tokens.has(r.type));
    }

    /** The resources of `types` whose input `property` (any input when omitted) came from `target`. */
    referrers(target: PolicyResource, types: ResourceType[], property?: string): PolicyResource[] {
        const tokens = new Set(types.map(tokenOf));
        const found = (this.references().get(target.urn) ?? [])
            .filter((ref) => tokens.has(ref.from.type) && (property === undefined || ref.property === property))
            .map((ref) => ref.from);
        return [...new Set(found)];
    }

    /** Whether `resource` waits for `other` through `dependencies` (direct or transitive). */
    dependsOn(resource: PolicyResource, other: PolicyResource): boolean {
        const seen = new Set<string>();
        const stack = [...resource.dependencies];
        while (stack.length > 0) {
            const next = stack.pop() as PolicyResource;
            if (next.urn === other.urn) return true;
            if (seen.has(next.urn)) continue;
            seen.add(next.urn);
            stack.push(...next.dependencies);
        }
        return false;
    }

    private references(): Map<string, Reference[]> {
        if (!this.referencesTo) {
            const index = new Map<string, Reference[]>();
            for (const from of this.resources) {
                for (const [property, sources] of Object.entries(from.propertyDependencies)) {
                    for (const source of sources) {
                        const list = index.get(source.urn);
                        if (list) list.push({ from, property });
                        else index.set(source.urn, [{ from, property }]);
                    }
                }
            }
            this.referencesTo = index;
        }
        return this.referencesTo;
    }
}

/** "name (type)" for messages. */
export function describeResource(resource: { name: string; type: string }): string {
    return `${resource.name} (${resource.type})`;
}
