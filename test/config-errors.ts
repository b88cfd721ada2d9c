import * as assert from "assert";
import { ConfigError, loadConfig } from "../infra/config";
import { configWith, StackName } from "./harness";

/** The ConfigError that loading the changed configuration throws. */
export function errorFor(stack: StackName, changes: Record<string, unknown>): ConfigError {
    try {
        loadConfig(configWith(stack, changes));
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    assert.fail(`expected a ConfigError for ${JSON.stringify(changes)}`);
}

/** Asserts one problem names the key, shows the bad value, and matches the problem and fix. */
export function expectProblem(stack: StackName, changes: Record<string, unknown>, key: string, problem: RegExp, fix?: RegExp): void {
    const error = errorFor(stack, changes);
    const issue = error.issues.find((i) => i.key === key && problem.test(i.problem));
    assert.ok(issue, `no problem for ${key} matching ${problem} in:\n${error.message}`);
    if (fix) assert.match(issue.fix, fix);
    const line = error.message.split("\n").find((l) => l.includes(`${key} = `) && problem.test(l));
    assert.ok(line, `the message has no line for ${key}:\n${error.message}`);
    if (issue.value !== undefined) assert.ok(line.includes(JSON.stringify(issue.value).slice(0, 40)), `the line does not show the bad value: ${line}`);
    assert.match(line, /Fix: \S/);
}

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
