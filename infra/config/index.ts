import { NetworkConfig, readNetworkConfig } from "./network";
import { ObservabilityConfig, readObservabilityConfig } from "./observability";
import { ConfigReader } from "./reader";
import { RawConfig } from "./source";
import { readStackConfig, StackConfig } from "./stack";

export { ConfigError, ConfigIssue } from "./issues";
export { RawConfig, runtimeConfig } from "./source";
export { NatStrategy, NetworkConfig, SubnetLayer, SubnetPlan } from "./network";
export { StackConfig } from "./stack";
export { AlarmThresholds, BudgetSettings, GuardDutySettings, ObservabilityConfig, TrailSettings } from "./observability";

/** The whole validated configuration of a stack, as plain typed values. */
export interface PlatformConfig {
    stack: StackConfig;
    network: NetworkConfig;
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
        observability: readObservabilityConfig(r, stack, minimums),
    };
    minimums.reportUnknownOverrides();
    r.reportUnknownKeys();
    r.issues.throwIfAny(raw.stack);
    return config;
}
