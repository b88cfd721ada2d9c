import { loadConfig, runtimeConfig } from "./config";
import { buildPlatform } from "./platform";

// The Pulumi entry point: validate the whole configuration first (a ConfigError lists every
// problem before any resource is registered), then build the platform and export its outputs.
export = buildPlatform(loadConfig(runtimeConfig()));
