import type { RawConfig } from "../../config";

/**
 * The traffic and data a stack is assumed to carry in a month: what the usage-based part of the
 * cost estimate multiplies prices by. Read from the stack file's `<project>:cost.usage` (the
 * offline plan reads it, the Pulumi program does not), each field defaulting per environment.
 */
export interface UsageProfile {
    /** Viewer requests to CloudFront (HTTPS): CloudFront, its WAF and its functions. */
    requestsPerMonth: number;
    /** Share of those requests answered from the edge cache; the rest reach the public ALB and its WAF. */
    cacheHitRatio: number;
    /** Requests to the HTTP API (API Gateway, VPC link, internal ALB). */
    apiRequestsPerMonth: number;
    /** Data CloudFront sends to viewers, priced at its South Africa rate (the customers are in Africa). */
    dataOutGb: number;
    /** Orders placed: the order intake and each queue consumer run once per order; two e-mails each. */
    ordersPerMonth: number;
    /** Product images uploaded (thumbnailer runs, CloudTrail data events on the assets bucket). */
    uploadsPerMonth: number;
    /** Cognito monthly active users. */
    activeUsersPerMonth: number;
    /** CloudWatch Logs ingested across the stack's log groups (shared evenly among them). */
    logIngestionGb: number;
    /** Data through the NAT gateways (shared evenly among them). */
    natDataGb: number;
    /** Data through the interface endpoints (shared evenly among them). */
    endpointDataGb: number;
    /** VPC flow and DNS logs GuardDuty analyses. */
    securityLogsGb: number;
    /** CloudTrail management events GuardDuty analyses. */
    managementEventsPerMonth: number;
    /** Average Lambda invocation duration. */
    lambdaAverageMs: number;
    /** Aurora I/O requests, in millions. */
    databaseIoMillions: number;
    storage: {
        /** S3 assets bucket (images, thumbnails, static files). */
        assetsGb: number;
        /** Aurora cluster volume. */
        databaseGb: number;
        /** EFS shared files (and as much again in AWS Backup). */
        filesGb: number;
        /** Container images, shared evenly among the ECR repositories. */
        imagesGb: number;
        /** Access logs and the audit trail, shared evenly among the buckets CloudFront does not serve. */
        logArchiveGb: number;
    };
}

type Field = Exclude<keyof UsageProfile, "storage">;
type StorageField = keyof UsageProfile["storage"];

/** The stack file key, below the project's namespace. */
export const USAGE_KEY = "cost.usage";

const PRODUCTION: UsageProfile = {
    requestsPerMonth: 10_000_000,
    cacheHitRatio: 0.8,
    apiRequestsPerMonth: 2_000_000,
    dataOutGb: 300,
    ordersPerMonth: 10_000,
    uploadsPerMonth: 1_000,
    activeUsersPerMonth: 5_000,
    logIngestionGb: 100,
    natDataGb: 200,
    endpointDataGb: 100,
    securityLogsGb: 50,
    managementEventsPerMonth: 2_000_000,
    lambdaAverageMs: 300,
    databaseIoMillions: 100,
    storage: { assetsGb: 200, databaseGb: 100, filesGb: 50, imagesGb: 8, logArchiveGb: 300 },
};

const DEVELOPMENT: UsageProfile = {
    requestsPerMonth: 300_000,
    cacheHitRatio: 0.5,
    apiRequestsPerMonth: 100_000,
    dataOutGb: 10,
    ordersPerMonth: 500,
    uploadsPerMonth: 200,
    activeUsersPerMonth: 50,
    logIngestionGb: 10,
    natDataGb: 20,
    endpointDataGb: 0,
    securityLogsGb: 5,
    managementEventsPerMonth: 300_000,
    lambdaAverageMs: 300,
    databaseIoMillions: 2,
    storage: { assetsGb: 5, databaseGb: 5, filesGb: 2, imagesGb: 4, logArchiveGb: 10 },
};

/** Defaults per `environment`: production traffic for prod, a team's testing for the others. */
export const USAGE_DEFAULTS: Readonly<Record<string, UsageProfile>> = {
    prod: PRODUCTION,
    staging: DEVELOPMENT,
    dev: DEVELOPMENT,
};

/** What each field means and how it is bounded (the README's table comes from the same words). */
const FIELDS: Record<Field, { max: number; integer: boolean }> = {
    requestsPerMonth: { max: 1e12, integer: true },
    cacheHitRatio: { max: 1, integer: false },
    apiRequestsPerMonth: { max: 1e12, integer: true },
    dataOutGb: { max: 1e9, integer: false },
    ordersPerMonth: { max: 1e10, integer: true },
    uploadsPerMonth: { max: 1e10, integer: true },
    activeUsersPerMonth: { max: 1e9, integer: true },
    logIngestionGb: { max: 1e9, integer: false },
    natDataGb: { max: 1e9, integer: false },
    endpointDataGb: { max: 1e9, integer: false },
    securityLogsGb: { max: 1e9, integer: false },
    managementEventsPerMonth: { max: 1e12, integer: true },
    lambdaAverageMs: { max: 900_000, integer: false },
    databaseIoMillions: { max: 1e9, integer: false },
};
const STORAGE_FIELDS: StorageField[] = ["assetsGb", "databaseGb", "filesGb", "imagesGb", "logArchiveGb"];

/** An invalid usage profile: every problem, each with its key and fix. */
export class UsageProfileError extends Error {
    constructor(
        readonly stack: string,
        readonly problems: string[],
    ) {
        super(`Invalid cost usage profile for stack "${stack}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "UsageProfileError";
    }
}

/**
 * The stack's usage profile: `<project>:cost.usage` over the defaults of its environment. Unknown
 * fields and values that are not non-negative numbers in range are errors.
 */
export function readUsageProfile(raw: RawConfig): UsageProfile {
    const environment = raw.values[`${raw.project}:environment`] ?? "dev";
    const defaults = USAGE_DEFAULTS[environment] ?? DEVELOPMENT;
    const problems: string[] = [];
    const key = (path: string) => `${raw.project}:${USAGE_KEY}.${path}`;
    const text = raw.values[`${raw.project}:cost`];
    if (text === undefined) return defaults;

    const cost = parseObject(text);
    if (!cost) return fail(raw, [`${raw.project}:cost must be an object with a "usage" section`]);
    for (const name of Object.keys(cost))
        if (name !== "usage") problems.push(`${raw.project}:cost.${name} is not a setting; remove it (only "usage")`);
    const usage = cost.usage === undefined ? {} : cost.usage;
    if (!isObject(usage)) return fail(raw, [`${raw.project}:${USAGE_KEY} must be an object of usage fields`]);

    const profile: UsageProfile = { ...defaults, storage: { ...defaults.storage } };
    for (const [name, value] of Object.entries(usage)) {
        if (name === "storage") continue;
        const field = FIELDS[name as Field];
        if (!field) {
            problems.push(
                `${key(name)} is not a usage field; use one of: ${[...Object.keys(FIELDS), "storage"].join(", ")}`,
            );
            continue;
        }
        const n = checkNumber(key(name), value, field.max, field.integer, problems);
        if (n !== undefined) profile[name as Field] = n;
    }
    if (usage.storage !== undefined) {
        if (!isObject(usage.storage))
            problems.push(`${key("storage")} must be an object: ${STORAGE_FIELDS.join(", ")}`);
        else
            for (const [name, value] of Object.entries(usage.storage)) {
                if (!STORAGE_FIELDS.includes(name as StorageField)) {
                    problems.push(
                        `${key(`storage.${name}`)} is not a storage field; use one of: ${STORAGE_FIELDS.join(", ")}`,
                    );
                    continue;
                }
                const n = checkNumber(key(`storage.${name}`), value, 1e9, false, problems);
                if (n !== undefined) profile.storage[name as StorageField] = n;
            }
    }
    if (problems.length > 0) return fail(raw, problems);
    return profile;
}

function checkNumber(
    key: string,
    value: unknown,
    max: number,
    integer: boolean,
    problems: string[],
): number | undefined {
    const n =
        typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    const kind = integer ? "a whole number" : "a number";
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0 || n > max) {
        problems.push(
            `${key} = ${JSON.stringify(value)} must be ${kind} from 0 to ${max}; fix: pulumi config set --path '${key.slice(key.indexOf(":") + 1)}' <value>`,
        );
        return undefined;
    }
    return n;
}

function fail(raw: RawConfig, problems: string[]): never {
    throw new UsageProfileError(raw.stack, problems);
}

function parseObject(text: string): Record<string, unknown> | undefined {
    try {
        const value = JSON.parse(text) as unknown;
        return isObject(value) ? value : undefined;
    } catch {
        return undefined;
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
