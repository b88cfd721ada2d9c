import * as assert from "assert";
import { loadConfig } from "../infra/config";
import { expectProblem } from "./config-problems";
import { configWith } from "./harness";

/**
 * For each [key, value below the minimum, what the minimum says]: prod rejects the value and names
 * the override, prod accepts it when productionOverrides lists the key, dev accepts it.
 */
export function itEnforcesProductionMinimums(below: [string, unknown, RegExp][]): void {
    for (const [key, value, minimum] of below) {
        it(`rejects ${key} = ${JSON.stringify(value)} in prod and names the override`, () =>
            expectProblem("prod", { [key]: value }, `shop:${key}`, minimum, new RegExp(`add "${key}" to shop:productionOverrides`)));
        it(`accepts ${key} = ${JSON.stringify(value)} in prod when productionOverrides lists it`, () =>
            assert.doesNotThrow(() => loadConfig(configWith("prod", { [key]: value, productionOverrides: [key] }))));
        it(`accepts ${key} = ${JSON.stringify(value)} in dev`, () =>
            assert.doesNotThrow(() => loadConfig(configWith("dev", { [key]: value }))));
    }
}
