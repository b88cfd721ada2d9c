import * as assert from "assert";
import * as path from "path";
import { PolicyViolation } from "../../infra/offline/policy/engine";
import { readPackConfig } from "../../infra/offline/policy/pack-config";
import { checkGraph, stackPackConfigFile } from "../../infra/offline/policy/run";
import { graphOf, PROJECT_DIR, StackName } from "../infra/harness";
import { platform } from "./check";

async function check(stack: StackName): Promise<PolicyViolation[]> {
    const config = stackPackConfigFile(PROJECT_DIR, stack);
    assert.strictEqual(config, path.join(PROJECT_DIR, "policy-pack", "config", `${stack}.json`));
    return checkGraph((await graphOf(stack)).plan, config);
}

const describe_ = (v: PolicyViolation) => `[${v.enforcementLevel}] ${v.policy} ${v.urn}: ${v.message}`;

/**
 * Violations a stack accepts, each with the reason (policy, resource name, why). Empty: prod
 * passes every policy; add an entry only with a reason a reviewer can check.
 */
const ACCEPTED: { stack: StackName; policy: string; resource: string; reason: string }[] = [];

const accepted = (stack: StackName, v: PolicyViolation) =>
    ACCEPTED.some((a) => a.stack === stack && a.policy === v.policy && v.urn?.endsWith(`::${a.resource}`));

describe("our stacks through the whole policy pack", () => {
    it("prod: no violation of any level (except accepted ones, each with its reason)", async () => {
        assert.deepStrictEqual((await check("prod")).filter((v) => !accepted("prod", v)).map(describe_), []);
    });

    it("dev: no mandatory violation; each advisory one is a development trade-off that dev.json makes advisory", async () => {
        const violations = await check("dev");
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map(describe_), []);
        // The cost-driven rules dev.json relaxes (README, "Per-stack enforcement"): e.g. one NAT
        // gateway for both zones (network.natStrategy single) instead of one per zone.
        const relaxed = Object.entries(
            readPackConfig(path.join(PROJECT_DIR, "policy-pack/config/dev.json")) as Record<string, unknown>,
        )
            .filter(
                ([, value]) =>
                    value === "advisory" || (value as { enforcementLevel?: string }).enforcementLevel === "advisory",
            )
            .map(([name]) => name);
        assert.deepStrictEqual(
            violations.filter((v) => !relaxed.includes(v.policy) && !accepted("dev", v)).map(describe_),
            [],
        );
        assert.ok(
            violations.some((v) => v.policy === "nat-gateway-per-az"),
            "the single NAT gateway of dev is reported",
        );
    });
});

describe("a compliant version of every tier (the synthetic platform)", () => {
    it("passes the whole pack with the production config", () => {
        const violations = checkGraph(platform().graph(), path.join(PROJECT_DIR, "policy-pack", "config", "prod.json"));
        assert.deepStrictEqual(violations.map(describe_), []);
    });
});
