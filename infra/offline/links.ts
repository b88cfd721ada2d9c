import { PlanGraph, PlanResource } from "./graph";

/**
 * Lookups over a plan graph through the links the engine records: parents and
 * `propertyDependencies` (which resources an input came from). The diagram and the cost estimate
 * relate resources only this way, never by names.
 */
export class GraphLinks {
    private readonly byUrn: Map<string, PlanResource>;
    private readonly byType = new Map<string, PlanResource[]>();
    private readonly dependentsOf = new Map<string, PlanResource[]>();

    constructor(readonly graph: PlanGraph) {
        this.byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
        for (const resource of graph.resources) {
            push(this.byType, resource.type, resource);
            for (const urn of new Set(Object.values(resource.propertyDependencies).flat()))
                push(this.dependentsOf, urn, resource);
        }
    }

    get(urn: string): PlanResource | undefined {
        return this.byUrn.get(urn);
    }

    ofType(type: string): PlanResource[] {
        return this.byType.get(type) ?? [];
    }

    /** The resources (of `type`, when given) that `resource`'s input `property` came from. */
    sources(resource: PlanResource, property: string, type?: string): PlanResource[] {
        return (resource.propertyDependencies[property] ?? [])
            .map((urn) => this.byUrn.get(urn))
            .filter((r): r is PlanResource => r !== undefined && (type === undefined || r.type === type));
    }

    /** The single source of a property, or undefined. */
    source(resource: PlanResource, property: string, type?: string): PlanResource | undefined {
        return this.sources(resource, property, type)[0];
    }

    /** Resources of `type` with an input (`property`, when given) that came from `resource`. */
    dependents(resource: PlanResource, type: string, property?: string): PlanResource[] {
        return (this.dependentsOf.get(resource.urn) ?? []).filter(
            (r) =>
                r.type === type &&
                (property === undefined || (r.propertyDependencies[property] ?? []).includes(resource.urn)),
        );
    }

    /** The child of the stack root that the resource sits under (itself for a top-level resource). */
    topLevel(resource: PlanResource): PlanResource {
        let node = resource;
        for (;;) {
            const parent = node.parent ? this.byUrn.get(node.parent) : undefined;
            if (!parent || parent.type === "pulumi:pulumi:Stack") return node;
            node = parent;
        }
    }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}
