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

/**
 * Inputs that name the resource they configure, and that every resource taking them echoes as an
 * output of the same name: a bucket policy whose `bucket` came from the bucket's public access block
 * (`publicAccessBlock.bucket`, to order the two) still configures that bucket. Other inputs (a
 * redrive policy built from a queue's ARN) are followed one link only.
 */
const PASS_THROUGH = new Set([
    "bucket",
    "vpcId",
    "fileSystemId",
    "queueUrl",
    "repository",
    "clusterIdentifier",
    "loadBalancerArn",
    "listenerArn",
]);

/**
 * Lookups over the resources a stack policy receives, by type and along the links the engine
 * records: `propertyDependencies` (which resources an input came from). Relations between
 * resources are followed only along these links, never by matching names. Built once per
 * resources array (the offline evaluator shares one array between policies).
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
    /** For each input name: the resources whose input came from each resource (by its URN). */
    private readonly referencesByProperty = new Map<string, Map<string, PolicyResource[]>>();

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

    /** The resources of `types` that `resource`'s input `property` came from. */
    sources(resource: PolicyResource, property: string, ...types: ResourceType[]): PolicyResource[] {
        const found = resource.propertyDependencies[property] ?? [];
        if (types.length === 0) return found;
        const tokens = new Set(types.map(tokenOf));
        return found.filter((r) => tokens.has(r.type));
    }

    /**
     * The resources of `types` whose input `property` came from `target` (through resources that
     * pass the input on, for the inputs in PASS_THROUGH).
     */
    referrers(target: PolicyResource, types: ResourceType[], property: string): PolicyResource[] {
        const tokens = new Set(types.map(tokenOf));
        return (this.references(property).get(target.urn) ?? []).filter((r) => tokens.has(r.type));
    }

    private references(property: string): Map<string, PolicyResource[]> {
        let index = this.referencesByProperty.get(property);
        if (!index) {
            index = new Map();
            for (const from of this.resources) {
                for (const origin of this.origins(from, property, new Set())) {
                    const list = index.get(origin.urn);
                    if (list) list.push(from);
                    else index.set(origin.urn, [from]);
                }
            }
            this.referencesByProperty.set(property, index);
        }
        return index;
    }

    /** The resources `resource`'s input came from, and theirs when they pass the input on. */
    private origins(resource: PolicyResource, property: string, seen: Set<string>): PolicyResource[] {
        const found: PolicyResource[] = [];
        for (const source of resource.propertyDependencies[property] ?? []) {
            if (seen.has(source.urn)) continue;
            seen.add(source.urn);
            found.push(source);
            if (PASS_THROUGH.has(property)) found.push(...this.origins(source, property, seen));
        }
        return found;
    }
}
