/**
 * What Aurora PostgreSQL accepts, as far as this program relies on it. Config validation and the
 * Database component both check against these tables so that a value AWS would reject at deploy
 * time is reported offline, before anything is registered.
 */

/**
 * Per major version: the parameter group family and the first minor with Serverless v2. A major
 * added here must be one whose default minor runs Serverless v2 (see supportsServerlessV2).
 */
const MAJOR_VERSIONS: Readonly<Record<string, { family: string; serverlessV2From: number }>> = {
    "13": { family: "aurora-postgresql13", serverlessV2From: 6 },
    "14": { family: "aurora-postgresql14", serverlessV2From: 3 },
    "15": { family: "aurora-postgresql15", serverlessV2From: 2 },
    "16": { family: "aurora-postgresql16", serverlessV2From: 1 },
    "17": { family: "aurora-postgresql17", serverlessV2From: 4 },
};

export const KNOWN_MAJOR_VERSIONS: readonly string[] = Object.keys(MAJOR_VERSIONS);

/**
 * "<major>" (recommended) or "<major>.<minor>" (pinned). RDS resolves a bare major to that major's
 * default minor when it creates the cluster, and the provider keeps a configured "17" in state
 * while the cluster runs 17.x, so automatic minor upgrades show no diff (README, "Aurora
 * operations", has the one case that still needs a pin). A pinned minor is what AWS retires
 * (creating it then fails) and what an automatic upgrade leaves behind (a lower configured minor
 * is a downgrade, which AWS refuses).
 */
const VERSION = /^(\d+)(?:\.(\d+))?$/;

/** The cluster parameter group family of an engine version ("16" or "16.8" -> aurora-postgresql16), if known. */
export function parameterGroupFamily(engineVersion: string): string | undefined {
    const major = VERSION.exec(engineVersion)?.[1];
    return major === undefined ? undefined : MAJOR_VERSIONS[major]?.family;
}

/**
 * Whether the version can run db.serverless instances (a known version is assumed). A bare major
 * can: every minor AWS still offers of 13-17, the default a bare major resolves to among them, is
 * at or past the first Serverless v2 minor of its major.
 */
export function supportsServerlessV2(engineVersion: string): boolean {
    const [, major, minor] = VERSION.exec(engineVersion) ?? [];
    const known = MAJOR_VERSIONS[major];
    return known !== undefined && (minor === undefined || Number(minor) >= known.serverlessV2From);
}

/** The earliest Serverless v2 version of a major, for error messages. */
export function firstServerlessV2Version(engineVersion: string): string | undefined {
    const major = VERSION.exec(engineVersion)?.[1];
    const known = major === undefined ? undefined : MAJOR_VERSIONS[major];
    return known && `${major}.${known.serverlessV2From}`;
}

export const SERVERLESS_INSTANCE_CLASS = "db.serverless";

/** Provisioned instance families Aurora PostgreSQL offers (availability still varies by region). */
const PROVISIONED_FAMILIES = ["r5", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g", "x2g", "t3", "t4g"];
/** Burstable classes: AWS supports them for development and test only. */
export const BURSTABLE_FAMILIES: readonly string[] = ["t3", "t4g"];
const INSTANCE_CLASS = /^db\.([a-z0-9]+)\.(medium|large|\d*xlarge)$/;

/** Why an instance class is not one Aurora PostgreSQL runs, or undefined when it is. */
export function instanceClassProblem(instanceClass: string): string | undefined {
    if (instanceClass === SERVERLESS_INSTANCE_CLASS) return undefined;
    const match = INSTANCE_CLASS.exec(instanceClass);
    if (!match || !PROVISIONED_FAMILIES.includes(match[1])) {
        return `is not an Aurora PostgreSQL instance class (db.serverless, or db.<family>.<size> with family ${PROVISIONED_FAMILIES.join(", ")})`;
    }
    const [, family, size] = match;
    if (BURSTABLE_FAMILIES.includes(family))
        return size === "medium" || size === "large" ? undefined : "burstable classes come in medium and large only";
    return size === "medium" ? "only burstable classes come in size medium" : undefined;
}

export function isBurstable(instanceClass: string): boolean {
    return BURSTABLE_FAMILIES.includes(INSTANCE_CLASS.exec(instanceClass)?.[1] ?? "");
}

/**
 * Serverless v2 capacity in ACUs: 0.5 steps up to 256. A minimum of 0 (automatic pause) is not
 * offered: the first connection after a pause waits for the instance to resume.
 */
export const SERVERLESS_CAPACITY = { min: 0.5, max: 256, step: 0.5, lowestMaximum: 1 } as const;

/** An Aurora cluster holds one writer and at most 15 replicas. */
export const MAX_READERS = 15;

/** Enhanced Monitoring granularity in seconds; 0 turns it off. */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

/** Performance Insights retention: 7 days (free tier), whole months of 31 days up to 23, or 731. */
export function isPerformanceInsightsRetention(days: number): boolean {
    return days === 7 || days === 731 || (days % 31 === 0 && days >= 31 && days <= 713);
}

/** Server certificate authorities RDS offers; the client trust store must hold the chosen one. */
export const CA_CERTIFICATES = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;

export const POSTGRES_PORT = 5432;

/** Why a DB cluster or instance identifier is invalid for RDS, or undefined when it is valid. */
export function rdsIdentifierProblem(identifier: string): string | undefined {
    if (identifier.length > 63) return `is ${identifier.length} characters long; RDS allows 63`;
    if (!/^[a-z][a-z0-9-]*$/.test(identifier))
        return "must start with a lower-case letter and hold only lower-case letters, digits and hyphens";
    if (identifier.endsWith("-") || identifier.includes("--"))
        return "must not end with a hyphen or contain two hyphens in a row";
    return undefined;
}
