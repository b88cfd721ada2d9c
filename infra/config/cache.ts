import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";
import { ELASTICACHE_MIN_WINDOW_MINUTES, readWindowPair } from "./windows";

/** Valkey versions ElastiCache offers for node-based replication groups. */
export const VALKEY_VERSIONS = ["7.2", "8.0", "8.1", "8.2"] as const;
export type ValkeyVersion = (typeof VALKEY_VERSIONS)[number];

/** A primary and up to five replicas (ElastiCache's limit without sharding). */
export const MAX_CACHE_NODES = 6;
export const PROD_MIN_CACHE_NODES = 2;
export const PROD_MIN_SNAPSHOT_RETENTION_DAYS = 7;

export interface CacheConfig {
    engineVersion: ValkeyVersion;
    nodeType: string;
    /** The primary plus its replicas. */
    nodes: number;
    multiAz: boolean;
    automaticFailover: boolean;
    snapshotRetentionDays: number;
    /** Daily, UTC, "hh24:mi-hh24:mi". */
    snapshotWindow: string;
    /** Weekly, UTC, "ddd:hh24:mi-ddd:hh24:mi". */
    maintenanceWindow: string;
}

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * Why ElastiCache would refuse a replication group topology (the setting at fault and the
 * reason), or undefined when it is valid: automatic failover needs a replica to promote, and
 * Multi-AZ needs automatic failover.
 */
export function cacheTopologyProblem(
    nodes: number,
    multiAz: boolean,
    automaticFailover: boolean,
): { setting: "automaticFailover" | "multiAz"; problem: string } | undefined {
    if (automaticFailover && nodes < 2)
        return { setting: "automaticFailover", problem: `needs a replica to promote, but nodes is ${nodes}` };
    if (multiAz && !automaticFailover)
        return { setting: "multiAz", problem: "requires automaticFailover, which is off" };
    return undefined;
}

export function readCacheConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): CacheConfig {
    r.section("cache", [
        "engineVersion",
        "nodeType",
        "nodes",
        "multiAz",
        "automaticFailover",
        "snapshotRetentionDays",
        "snapshotWindow",
        "maintenanceWindow",
    ]);

    const nodes = r.integer("cache.nodes", {
        min: 1,
        max: MAX_CACHE_NODES,
        default: stack.isProduction ? PROD_MIN_CACHE_NODES : 1,
    });
    const multiAz = r.boolean("cache.multiAz", { default: stack.isProduction });
    const automaticFailover = r.boolean("cache.automaticFailover", { default: nodes >= 2 });
    const topology = cacheTopologyProblem(nodes, multiAz, automaticFailover);
    if (topology) {
        const key = `cache.${topology.setting}`;
        r.problem(
            key,
            true,
            topology.problem,
            `${r.fixWith("cache.nodes", "use 2 or more nodes with automaticFailover (and multiAz) true", "2")}, or set both off for a single node`,
        );
    }
    minimums.require(
        "cache.nodes",
        nodes,
        nodes >= PROD_MIN_CACHE_NODES,
        `at least ${PROD_MIN_CACHE_NODES} nodes (a primary and a replica in another zone)`,
        `set ${PROD_MIN_CACHE_NODES} or more`,
    );
    minimums.require("cache.multiAz", multiAz, multiAz, "Multi-AZ with automatic failover", "set it to true");

    const snapshotRetentionDays = r.integer("cache.snapshotRetentionDays", {
        min: 0,
        max: 35,
        default: stack.isProduction ? PROD_MIN_SNAPSHOT_RETENTION_DAYS : 1,
    });
    minimums.require(
        "cache.snapshotRetentionDays",
        snapshotRetentionDays,
        snapshotRetentionDays >= PROD_MIN_SNAPSHOT_RETENTION_DAYS,
        `daily snapshots kept ${PROD_MIN_SNAPSHOT_RETENTION_DAYS} days`,
        `set ${PROD_MIN_SNAPSHOT_RETENTION_DAYS} or more`,
    );

    // Defaults fall in the small hours in South Africa (UTC+2): snapshots 00:00-01:00, maintenance Monday 02:30-03:30.
    const { daily: snapshotWindow, weekly: maintenanceWindow } = readWindowPair(r, {
        dailyKey: "cache.snapshotWindow",
        dailyDefault: "22:00-23:00",
        weeklyKey: "cache.maintenanceWindow",
        weeklyDefault: "mon:00:30-mon:01:30",
        minMinutes: ELASTICACHE_MIN_WINDOW_MINUTES,
    });

    return {
        engineVersion: r.oneOf("cache.engineVersion", VALKEY_VERSIONS, { default: "8.1" }),
        nodeType: r.string("cache.nodeType", {
            default: stack.isProduction ? "cache.m5.large" : "cache.t3.micro",
            pattern: NODE_TYPE,
            describe: "an ElastiCache node type (cache.family.size)",
            example: "cache.m5.large",
        }),
        nodes,
        multiAz,
        automaticFailover,
        snapshotRetentionDays,
        snapshotWindow,
        maintenanceWindow,
    };
}
