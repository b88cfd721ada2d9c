import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { readFileSync } from "fs";
import * as path from "path";
import { policies } from "../../policy-pack/policies";

const readme = readFileSync(path.join(__dirname, "../../policy-pack/README.md"), "utf8");

/** "aws.s3.Bucket" -> its type token, from @pulumi/aws itself. */
function tokenOf(name: string): string | undefined {
    const [, module, type] = name.split(".");
    const cls = (aws as unknown as Record<string, Record<string, { __pulumiType?: string }>>)[module]?.[type];
    return cls?.__pulumiType;
}

/** The types a resource policy validates (by their tokens). */
function validatedTypes(policy: (typeof policies)[number]): Set<string> {
    const validations = "validateResource" in policy ? [policy.validateResource].flat() : [];
    return new Set(validations.map((v) => (v as unknown as { __pulumiType?: string }).__pulumiType as string));
}

describe("the pack's README", () => {
    it("lists exactly the pack's policies with their severity and default level", () => {
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

    it("lists, for every policy of the mandates, the resource types it covers: for a resource policy exactly the types it validates", () => {
        const section = readme.slice(
            readme.indexOf("## What each mandate covers"),
            readme.indexOf("### What is not covered"),
        );
        const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (.+) \|$/gm)];
        const mandates = [
            "encryption-at-rest",
            "encryption-in-transit",
            "private-network",
            "multi-az",
            "logging",
            "workload-hardening",
            "identity",
        ];
        assert.deepStrictEqual(
            rows.map((r) => r[1]).sort(),
            policies
                .filter((p) => mandates.includes(String(p.tags?.[0])))
                .map((p) => p.name)
                .sort(),
        );
        for (const [, name, cell] of rows) {
            const listed = [...cell.matchAll(/`(aws\.[a-z0-9]+\.[A-Za-z0-9]+)`/g)].map((m) => m[1]);
            const tokens = listed.map((type) => {
                const token = tokenOf(type);
                assert.ok(token, `${name}: ${type} is not a resource of @pulumi/aws`);
                return token;
            });
            const policy = policies.find((p) => p.name === name) as (typeof policies)[number];
            if ("validateResource" in policy) assert.deepStrictEqual(new Set(tokens), validatedTypes(policy), name);
        }
    });
});
