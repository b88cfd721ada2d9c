import * as assert from "assert";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { main, parseArgs } from "../../../infra/offline/plan";
import { prodProjectCopy, PROJECT_DIR, runCommand } from "../harness";

const RESOURCE_FIELDS = [
    "urn",
    "type",
    "name",
    "id",
    "arn",
    "custom",
    "parent",
    "provider",
    "region",
    "inputs",
    "dependencies",
    "propertyDependencies",
    "protect",
    "ignoreChanges",
].sort();
const SIGNATURES = [
    "4dabf18193072939515e22adb298388d",
    "1b47061264138c4ac30d75fd1eb44270",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
];

/** Runs the plan command in-process, capturing what it prints. */
const runPlan = (args: string[], projectDir = PROJECT_DIR) => runCommand(() => main(args, projectDir));

describe("the offline plan command", () => {
    let file: string;
    let plan: Record<string, any>;
    let printed: string;
    before(async () => {
        file = path.join(mkdtempSync(path.join(tmpdir(), "plan-")), "plan.json");
        const result = await runPlan(["--stack", "prod", "--json", file]);
        assert.strictEqual(result.code, 0, result.err);
        printed = result.out;
        plan = JSON.parse(readFileSync(file, "utf8"));
    });

    it("writes the graph in the documented shape", () => {
        assert.deepStrictEqual(Object.keys(plan).sort(), [
            "outputs",
            "project",
            "region",
            "resources",
            "stack",
            "violations",
        ]);
        assert.deepStrictEqual([plan.project, plan.stack, plan.region], ["shop", "prod", "af-south-1"]);
        assert.ok(Array.isArray(plan.violations));
        for (const resource of plan.resources) {
            assert.deepStrictEqual(Object.keys(resource).sort(), RESOURCE_FIELDS, resource.urn);
            assert.strictEqual(typeof resource.urn, "string");
            assert.match(resource.urn, /^urn:pulumi:prod::shop::/);
            assert.strictEqual(typeof resource.custom, "boolean");
            assert.ok(resource.custom ? typeof resource.id === "string" : resource.id === null, resource.urn);
            assert.ok(resource.arn === null || resource.arn.startsWith("arn:aws:"), resource.urn);
            assert.strictEqual(typeof resource.protect, "boolean");
            assert.ok(resource.parent === null || typeof resource.parent === "string");
            assert.ok(resource.provider === null || typeof resource.provider === "string");
            assert.strictEqual(typeof resource.region, "string");
            assert.strictEqual(typeof resource.inputs, "object");
            assert.ok(Array.isArray(resource.dependencies) && Array.isArray(resource.ignoreChanges));
            for (const urns of Object.values(resource.propertyDependencies)) assert.ok(Array.isArray(urns));
        }
    });

    it("links parents, providers and dependencies to resources of the same graph", () => {
        const urns = new Set(plan.resources.map((r: { urn: string }) => r.urn));
        assert.strictEqual(urns.size, plan.resources.length, "URNs are unique");
        const roots = plan.resources.filter((r: { parent: string | null }) => r.parent === null);
        assert.deepStrictEqual(
            roots.map((r: { type: string }) => r.type),
            ["pulumi:pulumi:Stack"],
        );
        for (const r of plan.resources) {
            if (r.parent) assert.ok(urns.has(r.parent), `${r.urn}: unknown parent`);
            if (r.provider) assert.ok(urns.has(r.provider), `${r.urn}: unknown provider`);
            for (const d of r.dependencies) assert.ok(urns.has(d), `${r.urn}: unknown dependency ${d}`);
            for (const ds of Object.values(r.propertyDependencies) as string[][]) {
                for (const d of ds)
                    assert.ok(
                        r.dependencies.includes(d),
                        `${r.urn}: property dependency ${d} missing from dependencies`,
                    );
            }
        }
    });

    it("unwraps secrets and leaves no wire-format markers", () => {
        const text = readFileSync(file, "utf8");
        for (const sig of SIGNATURES) assert.ok(!text.includes(sig), `the graph contains ${sig}`);
    });

    it("prints resources per component and per type and the stack outputs", () => {
        assert.match(printed, /^Offline plan of shop\/prod \(af-south-1\): \d+ resources/);
        assert.match(printed, /Resources per component:\n(.*\n)*\s+network \(shop:network:Network\)\s+\d+/);
        assert.match(printed, /Resources per type:\n(.*\n)*\s+aws:ec2\/subnet:Subnet\s+9/);
        assert.match(printed, /Stack outputs:\n(.*\n)*\s+vpcId\s+vpc-/);
    });

    it("runs the policy pack with the stack's pack config and records the violations in the graph", () => {
        const reported =
            /\nPolicy pack shop-platform@v0\.1\.0 \(config: policy-pack\/config\/prod\.json\): (no violations|(\d+) violation\(s\), 0 mandatory)/.exec(
                printed,
            );
        assert.ok(reported, "the report names the pack, the stack's config and the counts");
        assert.strictEqual(plan.violations.length, Number(reported[2] ?? 0));
        for (const v of plan.violations)
            assert.deepStrictEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "urn"]);
    });

    it("plans the dev stack by default", async () => {
        const result = await runPlan([]);
        assert.strictEqual(result.code, 0, result.err);
        assert.match(result.out, /^Offline plan of shop\/dev /);
    });

    it("exits 2 with the list of stacks for an unknown stack, and on bad arguments", async () => {
        const unknown = await runPlan(["--stack", "qa"]);
        assert.strictEqual(unknown.code, 2);
        assert.match(unknown.err, /No stack file .*Pulumi\.qa\.yaml\. Stacks in this project: dev, prod/);
        assert.strictEqual((await runPlan(["--stack"])).code, 2);
        assert.strictEqual((await runPlan(["--frobnicate"])).code, 2);
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--json", "x.json"]), { stack: "prod", json: "x.json" });
    });
});

describe("the offline plan's policy check", () => {
    // One NAT gateway in production, accepted by the stack config as an override but not by the pack.
    const singleNat = (text: string) =>
        text
            .replace("natStrategy: one-per-az", "natStrategy: single")
            .replace("shop:productionOverrides: []", "shop:productionOverrides: [network.natStrategy]");

    it("exits 3 on a mandatory violation, after printing it and writing the graph with it", async () => {
        const dir = prodProjectCopy(singleNat);
        const file = path.join(dir, "plan.json");
        const result = await runPlan(["--stack", "prod", "--json", file], dir);
        assert.strictEqual(result.code, 3, result.err);
        assert.match(
            result.out,
            /config: policy-pack\/config\/prod\.json\): \d+ violation\(s\), 2 mandatory, \d+ advisory\.\n\nMEDIUM \(\d+\)\n {2}\[mandatory\] nat-gateway-per-az {2}urn:pulumi:prod::shop::shop:network:Network\$aws:ec2\/subnet:Subnet::network-private-af-south-1b\n {6}private subnet in af-south-1b sends its egress to a NAT gateway in af-south-1a/,
        );
        const violations = JSON.parse(readFileSync(file, "utf8")).violations as {
            policy: string;
            enforcementLevel: string;
        }[];
        assert.deepStrictEqual(
            violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy),
            ["nat-gateway-per-az", "nat-gateway-per-az"],
        );
    });

    it("exits 0 when the pack config makes the rule advisory", async () => {
        const prodConfig = JSON.parse(readFileSync(path.join(PROJECT_DIR, "policy-pack/config/prod.json"), "utf8"));
        const result = await runPlan(
            ["--stack", "prod"],
            prodProjectCopy(singleNat, { ...prodConfig, "nat-gateway-per-az": "advisory" }),
        );
        assert.strictEqual(result.code, 0, result.err);
        assert.match(
            result.out,
            /\d+ violation\(s\), 0 mandatory, \d+ advisory\.\n\nMEDIUM \(\d+\)\n {2}\[advisory\] nat-gateway-per-az/,
        );
    });

    it("exits 1 with every problem of an invalid pack config", async () => {
        const result = await runPlan(
            ["--stack", "prod"],
            prodProjectCopy((t) => t, { "nat-gateway-per-zone": "advisory", "lb-multi-az": { minimumZones: 0 } }),
        );
        assert.strictEqual(result.code, 1);
        assert.match(
            result.err,
            /^Invalid policy pack configuration in .*policy-pack\/config\/prod\.json:\n {2}- nat-gateway-per-zone: no such policy in the pack \(policies: .*\)\n {2}- lb-multi-az\.minimumZones: 0 is less than the minimum 1$/,
        );
    });
});
