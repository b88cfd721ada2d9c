import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { policies } from "../../policy-pack/policies";

describe("the README's policy table", () => {
    it("lists exactly the pack's policies with their severity and default level", () => {
        const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
        const rows = [...readme.matchAll(/^\| [a-z-]* \| `([a-z0-9-]+)` \| (stack|resource) \| (\w+) \| ([MA]) \//gm)];
        assert.deepStrictEqual(
            rows.map((r) => r[1]),
            policies.map((p) => p.name),
        );
        for (const [, name, kind, severity, level] of rows) {
            const policy = policies.find((p) => p.name === name);
            assert.strictEqual(kind, policy && "validateStack" in policy ? "stack" : "resource", name);
            assert.strictEqual(severity, policy?.severity, name);
            assert.strictEqual(level, policy?.enforcementLevel === "mandatory" ? "M" : "A", name);
        }
    });
});
