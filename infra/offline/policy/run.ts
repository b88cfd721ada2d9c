import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { PACK, policies } from "../../../policy-pack/policies";
import { PlanGraph, PlanViolation } from "../graph";
import { evaluatePack, PolicyViolation } from "./engine";
import { readPackConfig, resolvePackConfig } from "./pack-config";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..", "policy-pack");

/** The pack's version, from its package.json (as the engine reports it). */
export const PACK_IDENTITY = {
    name: PACK.name,
    version: (JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }).version,
};

/** The pack config a stack ships (`policy-pack/config/<stack>.json`), if any. */
export function stackPackConfigFile(projectDir: string, stack: string): string | undefined {
    const file = path.join(projectDir, "policy-pack", "config", `${stack}.json`);
    return existsSync(file) ? file : undefined;
}

/**
 * Runs the pack on a graph with the given pack config file (schema defaults without one).
 * Throws PolicyConfigError for a config that does not fit the pack.
 */
export function checkGraph(graph: PlanGraph, configFile?: string): PolicyViolation[] {
    const config = resolvePackConfig(
        policies,
        configFile ? readPackConfig(configFile) : {},
        configFile ?? "the pack's defaults",
        PACK.args.enforcementLevel,
    );
    return evaluatePack(graph, policies, config, PACK_IDENTITY);
}

/** The violations in the graph's documented shape (policy, enforcementLevel, urn, message). */
export function asPlanViolations(violations: PolicyViolation[]): PlanViolation[] {
    return violations.map(({ policy, enforcementLevel, urn, message }) => ({ policy, enforcementLevel, urn, message }));
}

export const hasMandatory = (violations: { enforcementLevel: string }[]) =>
    violations.some((v) => v.enforcementLevel === "mandatory");
