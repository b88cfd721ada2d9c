import * as assert from "assert";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PolicyConfigError, readPackConfig, resolvePackConfig } from "../../infra/offline/policy/pack-config";
import { policies } from "../../policy-pack/policies";

const CONFIG_DIR = path.join(__dirname, "../../policy-pack/config");

function problemsOf(config: unknown): string[] {
    try {
        resolvePackConfig(policies, config, "test.json");
    } catch (err) {
        if (err instanceof PolicyConfigError) return err.problems;
        throw err;
    }
    return [];
}

describe("policy pack configuration", () => {
    it("merges schema defaults, then `all`, then each policy's level and settings", () => {
        const resolved = resolvePackConfig(
            policies,
            {
                all: "advisory",
                "nat-gateway-per-az": "mandatory",
                "lb-multi-az": { minimumZones: 3 },
            },
            "test.json",
        );
        assert.strictEqual(resolved.get("rds-storage-encrypted")?.enforcementLevel, "advisory");
        assert.strictEqual(resolved.get("nat-gateway-per-az")?.enforcementLevel, "mandatory");
        assert.deepStrictEqual(resolved.get("lb-multi-az"), {
            enforcementLevel: "advisory",
            properties: { minimumZones: 3 },
        });
        assert.deepStrictEqual(resolved.get("autoscaling-group-multi-az")?.properties, {
            minimumZones: 2,
            minimumCapacity: 2,
        });
    });

    it("keeps each policy's own level without config", () => {
        const resolved = resolvePackConfig(policies, {}, "defaults");
        assert.strictEqual(resolved.get("s3-bucket-versioning")?.enforcementLevel, "advisory");
        assert.strictEqual(resolved.get("rds-storage-encrypted")?.enforcementLevel, "mandatory");
    });

    it("rejects an unknown policy name, naming the pack's policies", () => {
        const [problem] = problemsOf({ "rds-storage-encryption": "mandatory" });
        assert.match(
            problem,
            /^rds-storage-encryption: no such policy in the pack \(policies: rds-storage-encrypted, .*required-tags\)$/,
        );
    });

    it("rejects an enforcement level that does not exist", () => {
        assert.deepStrictEqual(problemsOf({ "lb-multi-az": "blocking" }), [
            'lb-multi-az: enforcement level "blocking" is not one of advisory, mandatory, remediate, disabled',
        ]);
        assert.deepStrictEqual(problemsOf({ "lb-multi-az": { enforcementLevel: "strict" } }), [
            'lb-multi-az: enforcement level "strict" is not one of advisory, mandatory, remediate, disabled',
        ]);
        assert.deepStrictEqual(problemsOf({ all: "on" }), [
            'all: enforcement level "on" is not one of advisory, mandatory, remediate, disabled',
        ]);
    });

    it("rejects values that do not fit the policy's schema, each with its path", () => {
        assert.deepStrictEqual(problemsOf({ "lb-multi-az": { minimumZones: "three" } }), [
            'lb-multi-az.minimumZones: "three" is of type string, expected integer',
        ]);
        assert.deepStrictEqual(problemsOf({ "lb-multi-az": { minimumZones: 9 } }), [
            "lb-multi-az.minimumZones: 9 is greater than the maximum 6",
        ]);
        assert.deepStrictEqual(problemsOf({ "lb-listener-encrypted-in-transit": { allowedSslPolicies: ["TLS13"] } }), [
            'lb-listener-encrypted-in-transit.allowedSslPolicies[0]: "TLS13" does not match ^ELBSecurityPolicy-',
        ]);
        assert.deepStrictEqual(problemsOf({ "data-stores-in-isolated-subnets": { allowedTiers: ["public"] } }), [
            'data-stores-in-isolated-subnets.allowedTiers[0]: "public" is not one of "isolated", "private"',
        ]);
        assert.deepStrictEqual(problemsOf({ "s3-bucket-encrypted-at-rest": { allowedAlgorithms: [] } }), [
            "s3-bucket-encrypted-at-rest.allowedAlgorithms: has 0 item(s), at least 1 required",
        ]);
        assert.deepStrictEqual(problemsOf({ "required-tags": { allowedValues: { Environment: "prod" } } }), [
            'required-tags.allowedValues.Environment: "prod" is of type string, expected array',
        ]);
    });

    it("rejects a setting the policy does not have (a typo would silently keep the default)", () => {
        assert.deepStrictEqual(problemsOf({ "lb-multi-az": { minZones: 3 } }), [
            "lb-multi-az.minZones: not a setting of this policy (settings: minimumZones)",
        ]);
        assert.deepStrictEqual(problemsOf({ "nat-gateway-per-az": { minimumZones: 3 } }), [
            "nat-gateway-per-az.minimumZones: not a setting of this policy (settings: none)",
        ]);
        assert.deepStrictEqual(problemsOf({ all: { enforcementLevel: "mandatory", minimumZones: 3 } }), [
            "all: only enforcementLevel may be set for every policy, not minimumZones",
        ]);
    });

    it("reports every problem at once, and rejects what is not an object", () => {
        assert.strictEqual(problemsOf({ nope: "mandatory", "lb-multi-az": 3 }).length, 2);
        assert.match(
            problemsOf({ "lb-multi-az": 3 })[0],
            /^lb-multi-az: 3 is neither an enforcement level nor an object of settings$/,
        );
        assert.deepStrictEqual(problemsOf([]), ['must be a JSON object keyed by policy name (or "all")']);
    });

    it("names the file and each problem in its message, and reports a file that is not JSON", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "pack-config-"));
        const file = path.join(dir, "bad.json");
        writeFileSync(file, '{ "lb-multi-az": ');
        assert.throws(
            () => readPackConfig(file),
            (err: unknown) =>
                err instanceof PolicyConfigError &&
                err.message.startsWith(`Invalid policy pack configuration in ${file}:\n  - is not valid JSON`),
        );
        assert.throws(() => resolvePackConfig(policies, { "lb-multi-az": { minimumZones: 0 } }, "prod.json"), {
            message:
                "Invalid policy pack configuration in prod.json:\n  - lb-multi-az.minimumZones: 0 is less than the minimum 1",
        });
    });

    for (const stack of ["dev", "prod"]) {
        it(`accepts the shipped ${stack} config`, () => {
            const resolved = resolvePackConfig(
                policies,
                readPackConfig(path.join(CONFIG_DIR, `${stack}.json`)),
                `${stack}.json`,
            );
            const level = (name: string) => resolved.get(name)?.enforcementLevel;
            if (stack === "prod") {
                // Every mandate blocks in production; only low-stakes hygiene stays advisory.
                const advisory = policies
                    .filter((p) => level(p.name) !== "mandatory")
                    .map((p) => p.name)
                    .sort();
                assert.deepStrictEqual(advisory, [
                    "ecs-service-latest-platform",
                    "iam-no-service-wildcards",
                    "s3-bucket-versioning",
                ]);
                assert.strictEqual(resolved.get("lb-multi-az")?.properties.minimumZones, 3);
            } else {
                // Cost-driven rules advise in development; encryption and exposure still block.
                for (const name of [
                    "nat-gateway-per-az",
                    "rds-multi-az",
                    "elasticache-multi-az",
                    "rds-deletion-protection",
                    "lb-deletion-protection",
                ])
                    assert.strictEqual(level(name), "advisory", name);
                for (const name of [
                    "rds-storage-encrypted",
                    "s3-bucket-public-access-blocked",
                    "security-group-no-internet-ingress",
                    "lb-listener-encrypted-in-transit",
                ])
                    assert.strictEqual(level(name), "mandatory", name);
            }
        });
    }
});
