import * as assert from "assert";
import { ConfigError, loadConfig, RawConfig } from "../../infra/config";
import { EvaluationError } from "../../infra/offline/evaluate";
import { configWith, planWith, StackName } from "./harness";

/** The ConfigError that loading the changed configuration (or the given raw configuration) throws. */
export function errorFor(
    stack: StackName,
    changes: Record<string, unknown>,
    raw: RawConfig = configWith(stack, changes),
): ConfigError {
    try {
        loadConfig(raw);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    assert.fail(`expected a ConfigError for ${JSON.stringify(changes)}`);
}

/** Asserts one problem names the key, shows the bad value, and matches the problem and fix. */
export function expectProblem(
    stack: StackName,
    changes: Record<string, unknown>,
    key: string,
    problem: RegExp,
    fix?: RegExp,
    raw?: RawConfig,
): void {
    const error = errorFor(stack, changes, raw);
    const issue = error.issues.find((i) => i.key === key && problem.test(i.problem));
    assert.ok(issue, `no problem for ${key} matching ${problem} in:\n${error.message}`);
    if (fix) assert.match(issue.fix, fix);
    const line = error.message.split("\n").find((l) => l.includes(`${key} = `) && problem.test(l));
    assert.ok(line, `the message has no line for ${key}:\n${error.message}`);
    if (issue.value !== undefined)
        assert.ok(
            line.includes(JSON.stringify(issue.value).slice(0, 40)),
            `the line does not show the bad value: ${line}`,
        );
    assert.match(line, /Fix: \S/);
}

/** A value below a production minimum, with what the minimum says. */
export interface BelowMinimum {
    key: string;
    value: unknown;
    minimum: RegExp;
    /** Other settings changed with it, so that only the minimum is reported. */
    alsoSet?: Record<string, unknown>;
    /** Other keys the change takes below their own minimum. */
    alsoOverride?: string[];
    /** Why dev is not checked, when the value makes no sense there (dev is built differently). */
    notInDev?: string;
}

/**
 * For each case: prod rejects the value and names the override, prod accepts it when
 * productionOverrides lists the key, dev accepts it.
 */
export function itEnforcesProductionMinimums(cases: BelowMinimum[]): void {
    for (const { key, value, minimum, alsoSet = {}, alsoOverride = [], notInDev } of cases) {
        const changes = { [key]: value, ...alsoSet };
        it(`rejects ${key} = ${JSON.stringify(value)} in prod and names the override`, () =>
            expectProblem(
                "prod",
                changes,
                `shop:${key}`,
                minimum,
                new RegExp(`add "${key}" to shop:productionOverrides`),
            ));
        it(`accepts ${key} = ${JSON.stringify(value)} in prod when productionOverrides lists it`, () =>
            assert.doesNotThrow(() =>
                loadConfig(configWith("prod", { ...changes, productionOverrides: [key, ...alsoOverride] })),
            ));
        if (notInDev === undefined) {
            it(`accepts ${key} = ${JSON.stringify(value)} in dev`, () =>
                assert.doesNotThrow(() => loadConfig(configWith("dev", changes))));
        }
    }
}

/**
 * Runs `build` (which constructs a component with bad arguments) under the mocks and asserts that
 * it throws `message` before registering any AWS resource.
 */
export async function expectConstructionError(build: () => void, message: RegExp): Promise<void> {
    const failure = await planWith(configWith("dev", {}), () => {
        build();
        return {};
    }).then(
        () => assert.fail("expected the constructor to throw"),
        (err: unknown) => err,
    );
    assert.ok(failure instanceof EvaluationError, String(failure));
    assert.match(failure.message, message);
    assert.ok(
        !failure.graph.resources.some((r) => r.custom && r.type.startsWith("aws:")),
        "an AWS resource was registered before the check",
    );
}
