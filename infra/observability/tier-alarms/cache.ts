import { AlarmThresholds } from "../../config";
import { AlarmSpec, expression, mathWindow, metric, WINDOWS } from "../alarm";
import { CacheTargets } from "../targets";

const CACHE = "AWS/ElastiCache";

/**
 * The replication group, one alarm per signal over all its nodes (the worst node, or the sum):
 * roles move between nodes on failover, so per-role alarms on fixed nodes would go stale.
 */
export function cacheAlarms(cache: CacheTargets, th: AlarmThresholds): AlarmSpec[] {
    const nodes = cache.cacheClusterIds;
    /** A metric-math condition over every node: `aggregate` is MAX or SUM. */
    const overNodes = (metricName: string, stat: string, aggregate: "MAX" | "SUM", label: string, period: number) => [
        ...nodes.map((id, i) => metric(`n${i}`, CACHE, metricName, { CacheClusterId: id }, stat, period)),
        expression("value", `${aggregate}([${nodes.map((_, i) => `n${i}`).join(", ")}])`, label),
    ];
    const specs: AlarmSpec[] = [
        {
            id: "cache-engine-cpu",
            region: "stack",
            description:
                `A cache node's Redis engine thread has been busier than ${th.cacheCpuPercent}% for 15 minutes (Redis runs commands on one thread: this is its saturation). ` +
                "Do: 1) look for expensive commands in the slow log (KEYS, large ranges, big values); 2) check the connection count and a client storm after a deployment; " +
                "3) scale the node type up if the load is legitimate.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.cacheCpuPercent,
                ...mathWindow(WINDOWS.saturation),
                treatMissingData: "notBreaching",
                metricQueries: overNodes(
                    "EngineCPUUtilization",
                    "Average",
                    "MAX",
                    "busiest node's engine CPU (%)",
                    WINDOWS.saturation.period,
                ),
            },
        },
        {
            id: "cache-memory",
            region: "stack",
            description:
                `A cache node has used more than ${th.cacheMemoryPercent}% of its memory for 15 minutes; near 100% Redis evicts keys (sessions are lost) or rejects writes. ` +
                "Do: 1) check for keys without a TTL and unexpectedly large values; 2) check the eviction alarm; 3) scale the node type up.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.cacheMemoryPercent,
                ...mathWindow(WINDOWS.saturation),
                treatMissingData: "notBreaching",
                metricQueries: overNodes(
                    "DatabaseMemoryUsagePercentage",
                    "Maximum",
                    "MAX",
                    "fullest node's memory (%)",
                    WINDOWS.saturation.period,
                ),
            },
        },
        {
            id: "cache-evictions",
            region: "stack",
            description:
                `The cache evicted more than ${th.cacheEvictions} keys in each of two of the last three 5-minute periods: it is full, and evicted sessions log customers out. ` +
                "Do: 1) check memory usage and key TTLs; 2) check what grew (a new cached object type, a missing TTL); 3) scale the node type up.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.cacheEvictions,
                ...mathWindow(WINDOWS.burst),
                treatMissingData: "notBreaching",
                metricQueries: overNodes("Evictions", "Sum", "SUM", "evicted keys", WINDOWS.burst.period),
            },
        },
    ];
    if (nodes.length > 1) {
        specs.push({
            id: "cache-replication-lag",
            region: "stack",
            description:
                `A cache replica has lagged its primary by more than ${th.cacheReplicationLagSeconds}s for 5 minutes: reads from replicas are stale and a failover would lose writes. ` +
                "Do: 1) check the primary's write rate and network; 2) check the replica's CPU; 3) replace the lagging node if it does not catch up.",
            condition: {
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.cacheReplicationLagSeconds,
                ...mathWindow(WINDOWS.sustained),
                treatMissingData: "notBreaching",
                metricQueries: overNodes(
                    "ReplicationLag",
                    "Maximum",
                    "MAX",
                    "largest replica lag (s)",
                    WINDOWS.sustained.period,
                ),
            },
        });
    }
    return specs;
}
