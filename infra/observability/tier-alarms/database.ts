import { AlarmThresholds } from "../../config";
import { AlarmSpec, AlarmCondition, WINDOWS } from "../alarm";
import { DatabaseTargets } from "../targets";

const RDS = "AWS/RDS";
const MIB = 1024 * 1024;

/**
 * Aurora, by role: cluster metrics with a Role dimension cover every instance of that role,
 * including readers that auto scaling adds, which have no alarms of their own.
 */
export function databaseAlarms(db: DatabaseTargets, th: AlarmThresholds): AlarmSpec[] {
    const roles: ("WRITER" | "READER")[] = db.instanceIdentifiers.length > 1 ? ["WRITER", "READER"] : ["WRITER"];
    const byRole = (role: string) => ({ DBClusterIdentifier: db.clusterIdentifier, Role: role });
    const metricOf = (
        role: string,
        metricName: string,
        statistic: string,
    ): Pick<AlarmCondition, "namespace" | "metricName" | "dimensions" | "statistic"> => ({
        namespace: RDS,
        metricName,
        dimensions: byRole(role),
        statistic,
    });

    const perRole = roles.flatMap((role): AlarmSpec[] => {
        const label = role.toLowerCase();
        return [
            {
                id: `db-${label}-cpu`,
                region: "stack",
                description:
                    `The Aurora ${label} has averaged more than ${th.databaseCpuPercent}% CPU for 15 minutes. ` +
                    "Do: 1) open Performance Insights and find the top SQL by load; 2) check connections and a recent deployment that changed queries; " +
                    (role === "READER"
                        ? "3) reader auto scaling adds replicas up to its maximum: check it is not reached."
                        : "3) move read traffic to the reader endpoint, or scale the instance class."),
                condition: {
                    ...metricOf(role, "CPUUtilization", "Average"),
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: th.databaseCpuPercent,
                    ...WINDOWS.saturation,
                    treatMissingData: "notBreaching",
                },
            },
            {
                id: `db-${label}-freeable-memory`,
                region: "stack",
                description:
                    `An Aurora ${label} has had less than ${th.databaseFreeableMemoryMiB} MiB of freeable memory for 15 minutes: it will swap and may restart. ` +
                    "Do: 1) check the connection count (each connection costs memory) and Performance Insights for memory-heavy queries; " +
                    "2) scale the instance class (or the Serverless v2 maximum ACU) if the working set grew.",
                condition: {
                    ...metricOf(role, "FreeableMemory", "Minimum"),
                    comparisonOperator: "LessThanThreshold",
                    threshold: th.databaseFreeableMemoryMiB * MIB,
                    ...WINDOWS.saturation,
                    treatMissingData: "notBreaching",
                },
            },
        ];
    });

    const replicaLag: AlarmSpec[] = roles.includes("READER")
        ? [
              {
                  id: "db-replica-lag",
                  region: "stack",
                  description:
                      `An Aurora reader has lagged the writer by more than ${th.databaseReplicaLagMs} ms for 5 minutes: reads through the reader endpoint return stale data. ` +
                      "Do: 1) check the writer's write load and the reader's CPU (a saturated reader replays slowly); 2) if one reader lags, reboot or replace it; " +
                      "3) send reads that need fresh data to the writer endpoint meanwhile.",
                  condition: {
                      ...metricOf("READER", "AuroraReplicaLag", "Maximum"),
                      comparisonOperator: "GreaterThanThreshold",
                      threshold: th.databaseReplicaLagMs,
                      ...WINDOWS.sustained,
                      treatMissingData: "notBreaching",
                  },
              },
          ]
        : [];

    return [
        ...perRole,
        ...replicaLag,
        {
            id: "db-connections",
            region: "stack",
            description:
                `The Aurora writer has held more than ${th.databaseConnections} connections for 5 minutes; at max_connections new connections fail. ` +
                "Do: 1) find which service holds them (pg_stat_activity by application_name); 2) check for a task or function storm (many new tasks or concurrent Lambda invocations) and connection leaks; " +
                "3) cap pool sizes or the functions' reserved concurrency.",
            condition: {
                ...metricOf("WRITER", "DatabaseConnections", "Maximum"),
                comparisonOperator: "GreaterThanThreshold",
                threshold: th.databaseConnections,
                ...WINDOWS.sustained,
                treatMissingData: "notBreaching",
            },
        },
    ];
}
