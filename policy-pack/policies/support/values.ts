import { PolicyProviderResource } from "@pulumi/policy";

/** A KMS key reference that is set and is not an AWS-managed key (`alias/aws/...`). */
export function isCustomerManagedKey(keyId: unknown): boolean {
    return typeof keyId === "string" && keyId !== "" && !/(^|:)alias\/aws\//.test(keyId);
}

/** A non-empty string. */
export function isSet(value: unknown): value is string {
    return typeof value === "string" && value !== "";
}

/**
 * Structured provider settings reach the engine as JSON text (e.g. the AWS provider's
 * `defaultTags`), resource inputs as objects; this accepts both.
 */
export function structured<T>(value: unknown): T | undefined {
    if (typeof value !== "string") return (value ?? undefined) as T | undefined;
    try {
        return JSON.parse(value) as T;
    } catch {
        return undefined;
    }
}

/** The region a resource is created in: its own `region` input, else its provider's. */
export function regionOf(
    props: Record<string, unknown>,
    provider: PolicyProviderResource | undefined,
): string | undefined {
    const own = props.region;
    if (isSet(own)) return own;
    const fromProvider = provider?.props.region;
    return isSet(fromProvider) ? fromProvider : undefined;
}

/** The ECS container definitions of a task definition (JSON text in its inputs). */
export interface ContainerDefinition {
    name?: string;
    user?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    logConfiguration?: { logDriver?: string };
    environment?: { name?: string; value?: string }[];
    secrets?: { name?: string; valueFrom?: string }[];
}

export function containersOf(containerDefinitions: unknown): ContainerDefinition[] | undefined {
    const parsed = structured<unknown>(containerDefinitions);
    return Array.isArray(parsed) ? (parsed as ContainerDefinition[]) : undefined;
}

export const CUSTOMER_MANAGED_KEY_SCHEMA = {
    type: "boolean",
    default: true,
    description:
        "Require a customer-managed KMS key (an AWS-managed key or service-owned encryption does not satisfy it)",
} as const;

/**
 * A nested block of a resource's inputs (a rule, an origin) as the engine passes it: untyped JSON
 * whose fields the policies read by their provider names.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- engine inputs carry no static type
export type InputProps = Record<string, any>;
