/** A cluster parameter and how RDS applies a change to it. */
export interface ClusterParameter {
    name: string;
    value: string;
    /**
     * "immediate" only where PostgreSQL reloads the setting without a restart (AWS rejects it for
     * static parameters); "pending-reboot" is valid for every parameter.
     */
    applyMethod: "immediate" | "pending-reboot";
}

/**
 * Parameters PostgreSQL applies on reload: changing them later needs no restart. Any parameter
 * not listed here is applied with "pending-reboot".
 */
export const RELOADABLE_PARAMETERS: readonly string[] = [
    "log_min_duration_statement",
    "log_lock_waits",
    "log_temp_files",
    "log_autovacuum_min_duration",
    "log_connections",
    "log_disconnections",
    "log_statement",
];

/**
 * The cluster's settings beyond the engine defaults: TLS required for every connection, and the
 * logs an operator needs from the exported postgresql log (slow statements, lock waits, large
 * temporary files, long autovacuum runs, sessions and schema changes).
 */
export const CLUSTER_PARAMETERS: readonly ClusterParameter[] = (
    [
        // Not in the reloadable list: new clusters start with it, later changes wait for a reboot.
        ["rds.force_ssl", "1"],
        ["log_min_duration_statement", "1000"], // ms
        ["log_lock_waits", "1"],
        ["log_temp_files", String(10 * 1024)], // kB: temporary files over 10 MB point at work_mem too small
        ["log_autovacuum_min_duration", "10000"],
        ["log_connections", "1"],
        ["log_disconnections", "1"],
        ["log_statement", "ddl"],
    ] as const
).map(([name, value]): ClusterParameter => ({
    name,
    value,
    applyMethod: RELOADABLE_PARAMETERS.includes(name) ? "immediate" : "pending-reboot",
}));
