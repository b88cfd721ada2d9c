import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { graphOf, PROJECT_DIR, STACKS } from "./harness";

/** The output names documented in the README's "Stack outputs" table. */
function documentedOutputs(): string[] {
    const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Stack outputs"));
    assert.ok(section, "the README has no Stack outputs section");
    return [...section.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((m) => m[1]);
}

describe("stack outputs contract", () => {
    for (const stack of STACKS) {
        it(`exports exactly the outputs the README documents (${stack}), each with a value`, async () => {
            const outputs = (await graphOf(stack)).plan.outputs;
            assert.deepStrictEqual(Object.keys(outputs).sort(), documentedOutputs().sort());
            for (const [name, value] of Object.entries(outputs)) {
                assert.ok(value !== undefined && value !== null && value !== "", `${name} has no value`);
            }
        });
    }
});
