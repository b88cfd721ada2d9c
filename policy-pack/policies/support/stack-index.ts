import { PolicyResource } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import { isUnknownValue, withoutProxy } from "./unknowns";

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
 * (`publicAccessBlock.bucket`, to order the two) still configures that bucket. Followed this way
 * only while a value is unknown (during a preview); a known value is followed by what it holds.
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
 * What an input's value refers to. `known`: the resources it came from whose identity (id or ARN)
 * the value holds, followed through resources that pass the same value on. `standIns`: when part of
 * the value is unknown (a preview, before the resources exist), the resources it came from, which
 * stand in for it: they are all it can refer to, but it may refer to fewer of them.
 */
export interface References {
    known: PolicyResource[];
    standIns: PolicyResource[] | undefined;
    /** The strings the value holds (its known part). */
    values: string[];
}

/**
 * The identity strings of a resource that a value naming it holds: by default its id and ARN. A
 * value may name an attribute instead (a VPC's default route table); `undefined` means the
 * identity is not known here, and the link then stands in for the value.
 */
export type Identity = (resource: PolicyResource) => string[] | undefined;

const ID_AND_ARN: Identity = (r) => {
    const id = knownString(r.props, "id");
    const arn = knownString(r.props, "arn");
    if (id !== undefined) return arn !== undefined ? [id, arn] : [id];
    // Without an id among the outputs, the ARN's last segment names the resource as its id does
    // (subnet-..., a bucket's or role's name, a key's id, a log group's name).
    return arn !== undefined ? [arn, arn.slice(Math.max(arn.lastIndexOf("/"), arn.lastIndexOf(":")) + 1)] : undefined;
};

/**
 * Lookups over the resources a stack policy receives, by type and by what inputs refer to. The
 * links the engine records (`propertyDependencies`: which resources an input's value came from)
 * only resolve what a value refers to; the value decides: an input computed from three subnets
 * that holds one subnet id refers to that one subnet. Built once per resources array (the offline
 * evaluator shares one array between policies).
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
    /** For each input name: the resources whose input refers to each resource (by its URN). */
    private readonly referencesByProperty = new Map<string, Map<string, PolicyResource[]>>();
    /** What each resource's inputs refer to (by the default identity), by resource and input. */
    private readonly resolved = new Map<PolicyResource, Map<string, References>>();

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

    /** The resources of `types` that `resource`'s input `property` refers to (stand-ins included). */
    sources(resource: PolicyResource, property: string, ...types: ResourceType[]): PolicyResource[] {
        const { known, standIns } = this.references(resource, property);
        const found = standIns ? [...new Set([...known, ...standIns])] : known;
        if (types.length === 0) return found;
        const tokens = new Set(types.map(tokenOf));
        return found.filter((r) => tokens.has(r.type));
    }

    /** Whether `resource`'s input `property` refers to `target` (or may, while it is unknown). */
    refersTo(resource: PolicyResource, property: string, target: PolicyResource, identity?: Identity): boolean {
        const { known, standIns } = this.references(resource, property, identity);
        return known.includes(target) || (standIns ?? []).includes(target);
    }

    /**
     * What `resource`'s input `property` refers to, known and stood in for; `identity` names what a
     * value holds of a resource it refers to (default: its id or ARN).
     */
    references(resource: PolicyResource, property: string, identity: Identity = ID_AND_ARN): References {
        let cache = identity === ID_AND_ARN ? this.resolved.get(resource) : undefined;
        const cached = cache?.get(property);
        if (cached) return cached;
        const links = resource.propertyDependencies[property] ?? [];
        const { strings, unknown } = leavesOf(resource.props, property);
        const known = new Set<PolicyResource>();
        for (const value of strings) {
            for (const link of links) follow(value, link, identity, known, new Set());
        }
        const result: References = {
            known: [...known],
            standIns: unknown ? this.passedOn(resource, property, new Set()) : undefined,
            values: strings,
        };
        if (identity === ID_AND_ARN) {
            if (!cache) this.resolved.set(resource, (cache = new Map()));
            cache.set(property, result);
        }
        return result;
    }

    /**
     * The resources of `types` whose input `property` refers to `target` (stand-ins included, so
     * that during a preview a link still counts).
     */
    referrers(target: PolicyResource, types: ResourceType[], property: string): PolicyResource[] {
        const tokens = new Set(types.map(tokenOf));
        return (this.referencesTo(property).get(target.urn) ?? []).filter((r) => tokens.has(r.type));
    }

    private referencesTo(property: string): Map<string, PolicyResource[]> {
        let index = this.referencesByProperty.get(property);
        if (!index) {
            index = new Map();
            for (const from of this.resources) {
                if (!(property in from.propertyDependencies)) continue;
                for (const target of this.sources(from, property)) {
                    const list = index.get(target.urn);
                    if (list) list.push(from);
                    else index.set(target.urn, [from]);
                }
            }
            this.referencesByProperty.set(property, index);
        }
        return index;
    }

    /** The resources an input came from, and theirs when they pass the input on (PASS_THROUGH). */
    private passedOn(resource: PolicyResource, property: string, seen: Set<string>): PolicyResource[] {
        const found: PolicyResource[] = [];
        for (const source of resource.propertyDependencies[property] ?? []) {
            if (seen.has(source.urn)) continue;
            seen.add(source.urn);
            found.push(source);
            if (PASS_THROUGH.has(property)) found.push(...this.passedOn(source, property, seen));
        }
        return found;
    }
}

/**
 * Adds `link` to `found` when `value` names it, and follows the value further through `link` when
 * `link` passes it on (an input of `link` holds the same value, e.g. a public access block's
 * `bucket`, a certificate validation's `certificateArn`).
 */
function follow(
    value: string,
    link: PolicyResource,
    identity: Identity,
    found: Set<PolicyResource>,
    seen: Set<string>,
) {
    if (seen.has(link.urn)) return;
    seen.add(link.urn);
    const names = identity(link);
    if (names === undefined || names.some((name) => holds(value, name))) found.add(link);
    for (const [property, sources] of Object.entries(link.propertyDependencies)) {
        if (knownString(link.props, property) === value) {
            for (const source of sources) follow(value, source, identity, found, seen);
        }
    }
}

/** Characters that can continue an identifier; anything else (":", "/", ".", '"') delimits one. */
const NAME_CHAR = /[A-Za-z0-9_-]/;

/**
 * Whether `value` names `name`: it is the name, or holds it between delimiters, as an ARN holds a
 * log group's or bucket's name, a URL a queue's, JSON text an ARN.
 */
export function holds(value: string, name: string): boolean {
    if (name === "") return false;
    if (value === name) return true;
    for (let at = value.indexOf(name); at !== -1; at = value.indexOf(name, at + 1)) {
        const before = at === 0 ? "" : value[at - 1];
        const after = value[at + name.length] ?? "";
        if (!NAME_CHAR.test(before) && !NAME_CHAR.test(after)) return true;
    }
    return false;
}

/** A top-level input as a string, or undefined when it is not one (or not known yet). */
function knownString(props: Record<string, unknown>, property: string): string | undefined {
    const value = withoutProxy(props)[property];
    return typeof value === "string" && !isUnknownValue(value) ? value : undefined;
}

/** Every string an input holds (nested in lists and objects), and whether part of it is unknown. */
function leavesOf(props: Record<string, unknown>, property: string): { strings: string[]; unknown: boolean } {
    const out = { strings: [] as string[], unknown: false };
    const visit = (value: unknown) => {
        if (typeof value === "string") {
            if (isUnknownValue(value)) out.unknown = true;
            else out.strings.push(value);
        } else if (Array.isArray(value)) value.forEach(visit);
        else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
    };
    visit(withoutProxy(props)[property]);
    return out;
}
