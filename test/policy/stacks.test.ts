import * as assert from "assert";
import * as path from "path";
import { PolicyViolation } from "../../infra/offline/policy/engine";
import { checkGraph, stackPackConfigFile } from "../../infra/offline/policy/run";
import { graphOf, PROJECT_DIR, StackName } from "../harness";
import { platform } from "./check";

async function check(stack: StackName): Promise<PolicyViolation[]> {
    const config = stackPackConfigFile(PROJECT_DIR, stack);
    assert.strictEqual(config, path.join(PROJECT_DIR, "policy-pack", "config", `${stack}.json`));
    return checkGraph((await graphOf(stack)).plan, config);
}

const describe_ = (v: PolicyViolation) => `[${v.enforcementLevel}] ${v.policy} ${v.urn}: ${v.message}`;

describe("our stacks through the whole policy pack", () => {
    it("prod: no violation of any level", async () => {
        assert.deepStrictEqual((await check("prod")).map(describe_), []);
    });

    it("dev: no mandatory violation; each advisory one is a documented development trade-off", async () => {
        const violations = await check("dev");
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map(describe_), []);
        // Justified: Pulumi.dev.yaml sets network.natStrategy single (one NAT gateway for both
        // zones) to save a NAT gateway's hourly charge; dev.json makes nat-gateway-per-az advisory.
        assert.deepStrictEqual(violations.map((v) => `${v.policy} ${v.urn}`), [
            "nat-gateway-per-az urn:pulumi:dev::shop::shop:network:Network$aws:ec2/subnet:Subnet::network-private-af-south-1b",
        ]);
    });
});

describe("a compliant version of every tier (the synthetic platform)", () => {
    it("passes the whole pack with the production config", () => {
        const violations = checkGraph(platform().graph(), path.join(PROJECT_DIR, "policy-pack", "config", "prod.json"));
        assert.deepStrictEqual(violations.map(describe_), []);
    });
});
