/**
 * The workloads that run inside the VPC. Each gets its own security group before any tier is
 * built (network/workload-security-groups.ts), so that the data stores can name exactly which
 * workloads may reach them while those workloads are built later from the stores' endpoints.
 */
export const SERVICES = ["catalog", "orders", "users", "payments"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Lambda functions that run in the private subnets because they reach Aurora or Redis (db-migrate applies the schema). */
export const VPC_FUNCTIONS = ["order-processor", "cart-abandonment", "db-migrate"] as const;
export type VpcFunctionName = (typeof VPC_FUNCTIONS)[number];

export const serviceWorkload = (service: ServiceName) => `svc-${service}`;
export const functionWorkload = (fn: VpcFunctionName) => `fn-${fn}`;

/** "web" is the storefront's EC2 web servers. */
export const WORKLOADS: readonly string[] = [
    "web",
    ...SERVICES.map(serviceWorkload),
    ...VPC_FUNCTIONS.map(functionWorkload),
];
