import { AsyncConfig, readAsyncConfig } from "./async";
import { DatabaseConfig, readDatabaseConfig } from "./database";
import { EdgeConfig, readEdgeConfig } from "./edge";
import { IdentityConfig, readIdentityConfig } from "./identity";
import { CacheConfig, readCacheConfig } from "./cache";
import { NetworkConfig, readNetworkConfig } from "./network";
import { ObservabilityConfig, readObservabilityConfig } from "./observability";
import { ConfigReader } from "./reader";
import { readServicesConfig, ServicesConfig } from "./services";
import { RawConfig } from "./source";
import { readStackConfig, StackConfig } from "./stack";
import { readStorageConfig, StorageConfig } from "./storage";
import { readWebConfig, WebConfig } from "./web";

export { ConfigError, ConfigIssue } from "./issues";
export { RawConfig, runtimeConfig } from "./source";
export { AsyncConfig, FunctionName, FunctionSettings, QueueName, QueueSettings } from "./async";
export { DatabaseConfig } from "./database";
export { EdgeConfig, PriceClass } from "./edge";
export { IdentityConfig, MfaMode, ThreatProtectionMode } from "./identity";
export { NatStrategy, NetworkConfig, SubnetLayer, SubnetPlan } from "./network";
export { StackConfig } from "./stack";
export { CacheConfig, ValkeyVersion } from "./cache";
export { StorageConfig } from "./storage";
export { ServiceSettings, ServicesConfig } from "./services";
export { CpuArchitecture } from "./fargate";
export { AlbTlsPolicy, WebConfig } from "./web";
export {
    AlarmThresholds,
    BudgetSettings,
    GuardDutySettings,
    ObservabilityConfig,
    TrailSettings,
} from "./observability";

/** The whole validated configuration of a stack, as plain typed values. */
export interface PlatformConfig {
    stack: StackConfig;
    network: NetworkConfig;
    database: DatabaseConfig;
    identity: IdentityConfig;
    edge: EdgeConfig;
    web: WebConfig;
    cache: CacheConfig;
    storage: StorageConfig;
    services: ServicesConfig;
    async: AsyncConfig;
    observability: ObservabilityConfig;
}

/**
 * Reads and validates every setting of the stack. All problems are collected and thrown
 * together as one ConfigError before the program registers any resource.
 */
export function loadConfig(raw: RawConfig): PlatformConfig {
    const r = new ConfigReader(raw);
    const { stack, minimums } = readStackConfig(r, raw.project);
    const config: PlatformConfig = {
        stack,
        network: readNetworkConfig(r, stack, minimums),
        database: readDatabaseConfig(r, stack, minimums),
        identity: readIdentityConfig(r, stack, minimums),
        edge: readEdgeConfig(r, stack, minimums),
        web: readWebConfig(r, stack, minimums),
        cache: readCacheConfig(r, stack, minimums),
        storage: readStorageConfig(r),
        services: readServicesConfig(r, stack, minimums),
        async: readAsyncConfig(r, stack),
        observability: readObservabilityConfig(r, stack, minimums),
    };
    minimums.reportUnknownOverrides();
    r.reportUnknownKeys();
    r.issues.throwIfAny(raw.stack);
    return config;
}
