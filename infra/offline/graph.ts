import type { CostEstimate } from "./cost/estimate";

/**
 * The offline plan's resource graph. Other tools read this JSON: field names are a contract
 * (the README documents them) and change only with a version bump of the shape.
 */
export interface PlanGraph {
    project: string;
    stack: string;
    /** The stack's region. */
    region: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
    violations: PlanViolation[];
    /** The monthly cost estimate: only in a plan made with `--cost`. */
    cost?: CostEstimate;
}

export interface PlanResource {
    urn: string;
    /** Type token, e.g. "aws:ec2/vpc:Vpc", "shop:network:Network", "pulumi:providers:aws". */
    type: string;
    name: string;
    /**
     * The id the provider assigned (the mock's AWS-shaped one offline): a subnet's `subnet-...`, a
     * bucket's name, a queue's URL; null for components. With `arn`, how input values that refer to
     * the resource are resolved to it.
     */
    id: string | null;
    /** The resource's ARN when it has one, else null. */
    arn: string | null;
    /** false for component resources (and the stack root). */
    custom: boolean;
    parent: string | null;
    /** URN of the explicit provider resource, or null for components and default providers. */
    provider: string | null;
    /** Effective region: the resource's own `region` input, else its provider's, else the stack's. */
    region: string;
    /** Inputs as plain JSON: secrets unwrapped, resource references as URNs, assets summarised. */
    inputs: Record<string, unknown>;
    /** dependsOn and property dependencies together, without duplicates. */
    dependencies: string[];
    /** For each input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    ignoreChanges: string[];
}

export interface PlanViolation {
    policy: string;
    enforcementLevel: string;
    urn: string | null;
    message: string;
}
