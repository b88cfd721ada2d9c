import * as assert from "assert";
import { ConfigError, loadConfig } from "../infra/config";
import { EvaluationError } from "../infra/offline/evaluate";
import { configWith, planWith, StackName } from "./harness";

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
 * Runs `build` (which constructs a component with bad arguments) under the mocks and asserts that
 * it throws `message` before registering any AWS resource.
 */
export async function expectConstructionError(build: () => void, message: RegExp): Promise<void> {
    const failure = await planWith(configWith("dev", {}), () => {
        build();
        return {};
    }).then(() => assert.fail("expected the constructor to throw"), (err: unknown) => err);
    assert.ok(failure instanceof EvaluationError, String(failure));
    assert.match(failure.message, message);
    assert.ok(!failure.graph.resources.some((r) => r.custom && r.type.startsWith("aws:")), "an AWS resource was registered before the check");
}
