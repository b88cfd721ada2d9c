import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { KNOWN_REGIONS, zonesOf } from "./regions";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

/** Retention periods CloudWatch Logs accepts (days). "Never expire" is deliberately not offered. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULT_REGION = "af-south-1";
export const PROD_MIN_ZONES = 3;
export const PROD_MIN_LOG_RETENTION_DAYS = 365;

/** Settings that every tier shares. */
export interface StackConfig {
    project: string;
    stack: string;
    environment: Environment;
    isProduction: boolean;
    accountId: string;
    region: string;
    /** The configured zones, in the order given. */
    availabilityZones: string[];
    /** Every zone of the region, in slot order (for stable subnet numbering). */
    regionZones: string[];
    /** Prefix for physical names that must be unique per account and region: "<project>-<stack>". */
    namePrefix: string;
    /** Tags applied to every taggable resource through the providers' default tags. */
    tags: Record<string, string>;
    logRetentionDays: number;
    alertEmail: string;
    domain: { name: string; hostedZoneId?: string };
    deletionProtection: boolean;
    /** Days a scheduled KMS key deletion waits before the key is destroyed. */
    keyDeletionWindowDays: number;
}

const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const TAG_VALUE = /^[\p{L}\p{N}\s_.:/=+\-@]{1,256}$/u;

export function readStackConfig(
    r: ConfigReader,
    project: string,
): { stack: StackConfig; minimums: ProductionMinimums } {
    const environment = r.oneOf("environment", ENVIRONMENTS, { example: "dev" });
    const isProduction = environment === "prod";
    const minimums = new ProductionMinimums(r, isProduction);

    const accountId = r.string("accountId", {
        pattern: ACCOUNT_ID,
        describe: "a 12-digit AWS account id",
        fix: "set the id of the account this stack deploys to",
        example: "123456789012",
    });

    const region = r.foreignKey("aws:region") ?? DEFAULT_REGION;
    const regionZones = zonesOf(region);
    if (!regionZones) {
        r.issues.add(
            "aws:region",
            region,
            "is not a region this program knows",
            `use one of ${KNOWN_REGIONS.join(", ")} (pulumi config set aws:region af-south-1), or add the region's zones to infra/config/regions.ts`,
        );
    }
    const availabilityZones = r.stringList("availabilityZones", {
        minItems: 2,
        maxItems: regionZones?.length ?? 6,
        unique: true,
        check: (zone) =>
            regionZones && !regionZones.includes(zone)
                ? `is not a zone of ${region} (zones: ${regionZones.join(", ")})`
                : undefined,
        fix: `list two or more distinct zones of ${region}`,
        example: JSON.stringify((regionZones ?? [`${region}a`, `${region}b`]).slice(0, 3)),
    });
    minimums.require(
        "availabilityZones",
        availabilityZones,
        availabilityZones.length >= PROD_MIN_ZONES,
        `at least ${PROD_MIN_ZONES} availability zones`,
        `list ${PROD_MIN_ZONES} zones of ${region}`,
    );

    const tags = readTags(r, project, environment);

    const logRetentionDays = r.integer("logRetentionDays", { min: 1, max: 3653, default: isProduction ? 365 : 30 });
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        r.problem(
            "logRetentionDays",
            logRetentionDays,
            "is not a retention period CloudWatch Logs accepts",
            r.fixWith("logRetentionDays", `use one of ${LOG_RETENTION_DAYS.join(", ")}`, "365"),
        );
    }
    minimums.require(
        "logRetentionDays",
        logRetentionDays,
        logRetentionDays >= PROD_MIN_LOG_RETENTION_DAYS,
        `logs kept at least ${PROD_MIN_LOG_RETENTION_DAYS} days`,
        `set ${PROD_MIN_LOG_RETENTION_DAYS} or more`,
    );

    const alertEmail = r.string("alertEmail", {
        pattern: EMAIL,
        describe: "an e-mail address",
        fix: "set the on-call e-mail address",
        example: "oncall@example.com",
    });

    r.section("domain", ["name", "hostedZoneId"], { required: true });
    const domain = {
        name: r.string("domain.name", {
            pattern: DOMAIN,
            describe: "a lower-case DNS name",
            example: "shop.example.com",
        }),
        hostedZoneId: r.optionalString("domain.hostedZoneId", {
            pattern: HOSTED_ZONE_ID,
            describe: "a Route 53 hosted zone id (Z...)",
            fix: "set the id of the existing public zone, or remove the key to let the stack create the zone",
            example: "Z0123456789ABCDEFGHIJ",
        }),
    };

    const deletionProtection = r.boolean("deletionProtection", { default: isProduction });
    minimums.require(
        "deletionProtection",
        deletionProtection,
        deletionProtection,
        "deletion protection on",
        "set it to true",
    );

    const keyDeletionWindowDays = r.integer("keyDeletionWindowDays", {
        min: 7,
        max: 30,
        default: isProduction ? 30 : 7,
    });
    minimums.require(
        "keyDeletionWindowDays",
        keyDeletionWindowDays,
        keyDeletionWindowDays >= 30,
        "30 days to notice and cancel a key deletion",
        "set it to 30",
    );

    const stack: StackConfig = {
        project,
        stack: r.stack,
        environment,
        isProduction,
        accountId,
        region,
        availabilityZones,
        regionZones: regionZones ?? availabilityZones,
        namePrefix: `${project}-${r.stack}`,
        tags,
        logRetentionDays,
        alertEmail,
        domain,
        deletionProtection,
        keyDeletionWindowDays,
    };
    return { stack, minimums };
}

function readTags(r: ConfigReader, project: string, environment: string): Record<string, string> {
    r.section("tags", ["owner", "costCenter", "dataClassification"], { required: true });
    const tagValue = {
        pattern: TAG_VALUE,
        describe: "a valid AWS tag value (1-256 letters, digits, spaces or _.:/=+-@)",
    };
    return {
        Project: project,
        Environment: environment,
        Stack: r.stack,
        Owner: r.string("tags.owner", { ...tagValue, fix: "name the owning team", example: "platform-team" }),
        CostCenter: r.string("tags.costCenter", {
            ...tagValue,
            fix: "set the cost center that pays for the stack",
            example: "CC-1234",
        }),
        DataClassification: r.oneOf("tags.dataClassification", DATA_CLASSIFICATIONS, { example: "confidential" }),
        ManagedBy: "pulumi",
    };
}
