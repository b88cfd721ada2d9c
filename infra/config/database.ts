import {
    CA_CERTIFICATES,
    firstServerlessV2Version,
    instanceClassProblem,
    isBurstable,
    isPerformanceInsightsRetention,
    KNOWN_MAJOR_VERSIONS,
    MAX_READERS,
    MONITORING_INTERVALS,
    parameterGroupFamily,
    rdsIdentifierProblem,
    SERVERLESS_CAPACITY,
    SERVERLESS_INSTANCE_CLASS,
    supportsServerlessV2,
} from "../data/aurora-postgresql";
import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";
import { RDS_MIN_WINDOW_MINUTES, readWindowPair } from "./windows";

export const PROD_MIN_BACKUP_RETENTION_DAYS = 7;

/** The Aurora PostgreSQL cluster, validated; field names match the Database component's Args. */
export interface DatabaseConfig {
    /** "<project>-<stack>-aurora": explicit, because the log group is named after it. */
    clusterIdentifier: string;
    engineVersion: string;
    databaseName: string;
    masterUsername: string;
    /** db.serverless (Serverless v2) or a provisioned class, for every instance. */
    instanceClass: string;
    /** Readers Pulumi manages, each pinned to its own zone after the writer's. */
    readerCount: number;
    /** ACU range; set exactly when instanceClass is db.serverless. */
    serverlessMinCapacity?: number;
    serverlessMaxCapacity?: number;
    /** Reader auto scaling (Application Auto Scaling); all three set, or none. */
    readerAutoScalingMin?: number;
    readerAutoScalingMax?: number;
    readerAutoScalingTargetCpu?: number;
    backupRetentionDays: number;
    backupWindow: string;
    maintenanceWindow: string;
    finalSnapshot: boolean;
    monitoringIntervalSeconds: number;
    /** 0 turns Performance Insights off. */
    performanceInsightsRetentionDays: number;
    caCertificateIdentifier: string;
    applyImmediately: boolean;
}

const FIELDS = [
    "engineVersion",
    "databaseName",
    "masterUsername",
    "instanceClass",
    "readers",
    "serverless",
    "readerAutoScaling",
    "backupRetentionDays",
    "backupWindow",
    "maintenanceWindow",
    "finalSnapshot",
    "monitoringIntervalSeconds",
    "performanceInsightsRetentionDays",
    "caCertificate",
    "applyImmediately",
];
// PostgreSQL identifiers; RDS refuses these names for the master user or the database.
const PG_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const RESERVED_NAMES = [
    "postgres",
    "rdsadmin",
    "rdsrepladmin",
    "rds_superuser",
    "admin",
    "root",
    "template0",
    "template1",
    "public",
    "user",
];

export function readDatabaseConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): DatabaseConfig {
    r.section("database", FIELDS, { required: true });
    const prod = stack.isProduction;

    const clusterIdentifier = `${stack.namePrefix}-aurora`;
    // The longest instance identifier is "<cluster>-16" (a writer and 15 readers).
    const identifierProblem =
        rdsIdentifierProblem(clusterIdentifier) ?? rdsIdentifierProblem(`${clusterIdentifier}-16`);
    if (identifierProblem) {
        r.issues.add(
            "stack name",
            stack.stack,
            `gives the Aurora identifier "${clusterIdentifier}", which ${identifierProblem}`,
            "use a stack name of lower-case letters, digits and single hyphens, at most 52 characters together with the project name",
        );
    }

    const engineVersion = readEngineVersion(r);
    const databaseName = readName(r, "database.databaseName", "shop");
    const masterUsername = readName(r, "database.masterUsername", "shop_admin");

    const instanceClass = r.string("database.instanceClass", {
        default: prod ? "db.r6g.large" : SERVERLESS_INSTANCE_CLASS,
        example: "db.r6g.large",
    });
    const classProblem = instanceClassProblem(instanceClass);
    if (classProblem)
        r.problem(
            "database.instanceClass",
            instanceClass,
            classProblem,
            r.fixWith(
                "database.instanceClass",
                "choose a class Aurora PostgreSQL offers in the region",
                "db.r6g.large",
            ),
        );
    minimums.require(
        "database.instanceClass",
        instanceClass,
        !isBurstable(instanceClass),
        "a non-burstable class (AWS supports db.t3/db.t4g for development and test only)",
        "choose e.g. db.r6g.large or db.serverless",
    );
    const serverless = instanceClass === SERVERLESS_INSTANCE_CLASS;
    if (serverless && parameterGroupFamily(engineVersion) && !supportsServerlessV2(engineVersion)) {
        r.problem(
            "database.engineVersion",
            engineVersion,
            "does not support Serverless v2 (db.serverless)",
            r.fixWith(
                "database.engineVersion",
                `use ${firstServerlessV2Version(engineVersion)} or later`,
                firstServerlessV2Version(engineVersion),
            ),
        );
    }

    const readerCount = r.integer("database.readers", { min: 0, max: MAX_READERS, default: prod ? 1 : 0 });
    minimums.require(
        "database.readers",
        readerCount,
        readerCount >= 1,
        "at least 1 reader in another zone, to fail over to",
        "set it to 1 or more",
    );
    const zones = stack.availabilityZones.length;
    if (zones > 0 && readerCount + 1 > zones) {
        r.problem(
            "database.readers",
            readerCount,
            `the writer and ${readerCount} reader(s) need ${readerCount + 1} zones, one per instance; availabilityZones lists ${zones}`,
            `set it to ${zones - 1} or fewer (reader auto scaling adds more, unpinned), or list more zones`,
        );
    }

    const config: DatabaseConfig = {
        clusterIdentifier,
        engineVersion,
        databaseName,
        masterUsername,
        instanceClass,
        readerCount,
        ...readServerless(r, serverless),
        ...readReaderAutoScaling(r, minimums, readerCount),
        ...readBackups(r, minimums, prod),
        ...readMonitoring(r, minimums, prod),
        caCertificateIdentifier: r.oneOf("database.caCertificate", CA_CERTIFICATES, { default: "rds-ca-rsa2048-g1" }),
        // Production changes wait for the maintenance window unless the operator opts in.
        applyImmediately: r.boolean("database.applyImmediately", { default: !prod }),
    };
    return config;
}

function readEngineVersion(r: ConfigReader): string {
    const key = "database.engineVersion";
    const value = r.value(key);
    if (typeof value === "number" && !Number.isInteger(value)) {
        // 16.10 written unquoted would silently become 16.1.
        r.problem(
            key,
            value,
            "must be a quoted string, not a number",
            `quote it in the stack file (engineVersion: "${value}")`,
        );
        return String(value);
    }
    // `pulumi config set --path` stores a bare major as an integer, which loses nothing.
    const version =
        typeof value === "number"
            ? String(value)
            : r.string(key, { example: "17", fix: "set the Aurora PostgreSQL major version to run" });
    if (version && !parameterGroupFamily(version)) {
        r.problem(
            key,
            version,
            `is not an engine version this program knows (known major versions: ${KNOWN_MAJOR_VERSIONS.join(", ")})`,
            r.fixWith(
                key,
                "use a known major version (RDS picks its default minor), or <major>.<minor> to pin a minor; for a new major, add its parameter group family to infra/data/aurora-postgresql.ts",
                "17",
            ),
        );
    }
    return version;
}

function readName(r: ConfigReader, key: string, fallback: string): string {
    const name = r.string(key, {
        default: fallback,
        pattern: PG_NAME,
        describe: "a lower-case PostgreSQL name (a letter, then letters, digits or _; at most 63)",
    });
    if (RESERVED_NAMES.includes(name))
        r.problem(key, name, "is a name RDS reserves", r.fixWith(key, "choose another name", fallback));
    return name;
}

function readServerless(
    r: ConfigReader,
    serverless: boolean,
): Pick<DatabaseConfig, "serverlessMinCapacity" | "serverlessMaxCapacity"> {
    r.section("database.serverless", ["minCapacity", "maxCapacity"]);
    if (!serverless) {
        if (r.has("database.serverless")) {
            r.problem(
                "database.serverless",
                r.value("database.serverless"),
                "applies only to instanceClass db.serverless",
                "remove it, or set database.instanceClass to db.serverless",
            );
        }
        return {};
    }
    const { min, max, step, lowestMaximum } = SERVERLESS_CAPACITY;
    const acu = (field: string, lowest: number, fallback: number) => {
        const key = `database.serverless.${field}`;
        const value = r.number(key, { min: lowest, max, default: fallback });
        if (value % step !== 0)
            r.problem(
                key,
                value,
                `is not a multiple of ${step} ACU`,
                r.fixWith(key, `round it to a multiple of ${step}`, String(fallback)),
            );
        return value;
    };
    const serverlessMinCapacity = acu("minCapacity", min, 0.5);
    const serverlessMaxCapacity = acu("maxCapacity", lowestMaximum, 4);
    if (serverlessMinCapacity > serverlessMaxCapacity) {
        r.problem(
            "database.serverless.minCapacity",
            serverlessMinCapacity,
            `is above maxCapacity (${serverlessMaxCapacity})`,
            "lower minCapacity or raise maxCapacity",
        );
    }
    return { serverlessMinCapacity, serverlessMaxCapacity };
}

function readReaderAutoScaling(
    r: ConfigReader,
    minimums: ProductionMinimums,
    readerCount: number,
): Pick<DatabaseConfig, "readerAutoScalingMin" | "readerAutoScalingMax" | "readerAutoScalingTargetCpu"> {
    const key = "database.readerAutoScaling";
    const enabled = r.section(key, ["minReaders", "maxReaders", "targetCpuPercent"]);
    minimums.require(key, r.value(key), enabled, "reader auto scaling on", `set ${key}.maxReaders (and minReaders)`);
    if (!enabled) return {};

    const min = r.integer(`${key}.minReaders`, { min: 0, max: MAX_READERS, default: readerCount });
    const max = r.integer(`${key}.maxReaders`, { min: 1, max: MAX_READERS, example: String(readerCount + 2) });
    const targetCpu = r.integer(`${key}.targetCpuPercent`, { min: 10, max: 90, default: 70 });
    // The replica count Application Auto Scaling tracks includes the readers Pulumi manages, and it
    // only ever removes replicas it created: a minimum below them could never take effect.
    if (min < readerCount) {
        r.problem(
            `${key}.minReaders`,
            min,
            `is below database.readers (${readerCount}); auto scaling counts those readers and never removes them`,
            r.fixWith(`${key}.minReaders`, `set it to ${readerCount} or more`, String(readerCount)),
        );
    }
    if (min > max) {
        r.problem(`${key}.minReaders`, min, `is above maxReaders (${max})`, "lower minReaders or raise maxReaders");
    }
    return { readerAutoScalingMin: min, readerAutoScalingMax: max, readerAutoScalingTargetCpu: targetCpu };
}

function readBackups(
    r: ConfigReader,
    minimums: ProductionMinimums,
    prod: boolean,
): Pick<DatabaseConfig, "backupRetentionDays" | "backupWindow" | "maintenanceWindow" | "finalSnapshot"> {
    const backupRetentionDays = r.integer("database.backupRetentionDays", { min: 1, max: 35, default: prod ? 14 : 1 });
    minimums.require(
        "database.backupRetentionDays",
        backupRetentionDays,
        backupRetentionDays >= PROD_MIN_BACKUP_RETENTION_DAYS,
        `backups kept at least ${PROD_MIN_BACKUP_RETENTION_DAYS} days`,
        `set ${PROD_MIN_BACKUP_RETENTION_DAYS} or more`,
    );

    const { daily: backupWindow, weekly: maintenanceWindow } = readWindowPair(r, {
        dailyKey: "database.backupWindow",
        dailyDefault: "00:00-01:00",
        weeklyKey: "database.maintenanceWindow",
        weeklyDefault: "sun:02:00-sun:03:00",
        minMinutes: RDS_MIN_WINDOW_MINUTES,
    });

    const finalSnapshot = r.boolean("database.finalSnapshot", { default: prod });
    minimums.require(
        "database.finalSnapshot",
        finalSnapshot,
        finalSnapshot,
        "a final snapshot when the cluster is deleted",
        "set it to true",
    );
    return { backupRetentionDays, backupWindow, maintenanceWindow, finalSnapshot };
}

function readMonitoring(
    r: ConfigReader,
    minimums: ProductionMinimums,
    prod: boolean,
): Pick<DatabaseConfig, "monitoringIntervalSeconds" | "performanceInsightsRetentionDays"> {
    const intervalKey = "database.monitoringIntervalSeconds";
    const monitoringIntervalSeconds = r.integer(intervalKey, { min: 0, max: 60, default: prod ? 60 : 0 });
    if (!(MONITORING_INTERVALS as readonly number[]).includes(monitoringIntervalSeconds)) {
        r.problem(
            intervalKey,
            monitoringIntervalSeconds,
            "is not an Enhanced Monitoring interval",
            r.fixWith(intervalKey, `use one of ${MONITORING_INTERVALS.join(", ")} (0 turns it off)`, "60"),
        );
    }
    minimums.require(
        intervalKey,
        monitoringIntervalSeconds,
        monitoringIntervalSeconds > 0,
        "Enhanced Monitoring on",
        "set 60 or a shorter interval",
    );

    const piKey = "database.performanceInsightsRetentionDays";
    const performanceInsightsRetentionDays = r.integer(piKey, { min: 0, max: 731, default: 7 });
    if (performanceInsightsRetentionDays !== 0 && !isPerformanceInsightsRetention(performanceInsightsRetentionDays)) {
        r.problem(
            piKey,
            performanceInsightsRetentionDays,
            "is not a Performance Insights retention",
            r.fixWith(piKey, "use 7, a multiple of 31 up to 713, or 731 (0 turns it off)", "7"),
        );
    }
    minimums.require(
        piKey,
        performanceInsightsRetentionDays,
        performanceInsightsRetentionDays > 0,
        "Performance Insights on",
        "set 7 (free) or longer",
    );
    return { monitoringIntervalSeconds, performanceInsightsRetentionDays };
}
