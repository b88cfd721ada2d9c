import * as assert from "assert";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { budgetLimits, checkBudget } from "../../../../infra/offline/cost/budget";
import { main, parseArgs } from "../../../../infra/offline/plan";
import { planOf, prodProjectCopy, PROJECT_DIR, runCommand, STACKS } from "../../harness";

const runPlan = (args: string[], projectDir = PROJECT_DIR) => runCommand(() => main(args, projectDir));

describe("the offline plan's cost", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-cost-files-"));
    const basePlan = path.join(dir, "base.json");
    let printed: string;
    before(async () => {
        const result = await runPlan(["--stack", "prod", "--cost", "--json", basePlan]);
        assert.strictEqual(result.code, 0, result.err);
        printed = result.out;
    });

    it("parses the cost and diagram flags (--cost-diff and --cost-markdown imply --cost)", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--cost"]), { stack: "prod", cost: true });
        assert.deepStrictEqual(parseArgs(["--cost-diff", "b.json"]), { stack: "dev", cost: true, costDiff: "b.json" });
        assert.deepStrictEqual(parseArgs(["--diagram", "d.svg"]), { stack: "dev", diagram: "d.svg" });
        assert.match(parseArgs(["--cost-diff"]) as string, /^--cost-diff needs a value/);
    });

    it("--cost prints the monthly estimate per component and per resource type, its profile and its prices", () => {
        assert.match(
            printed,
            /\nMonthly cost estimate of shop\/prod \(af-south-1\): \$[\d,]+\.\d\d\n {2}fixed, billed by the hour whatever the traffic: \$[\d,]+\.\d\d\n/,
        );
        assert.match(
            printed,
            /\nPer component:\n.*total +fixed +usage\n(.*\n)* {2}network \(shop:network:Network\) +\$[\d,.]+ +\$[\d,.]+ +\$[\d,.]+\n/,
        );
        assert.match(printed, /\nPer resource type:\n(.*\n)* {2}aws:ec2\/natGateway:NatGateway +\$[\d,.]+/);
        assert.match(
            printed,
            /\nUnpriced, not in the total \(\d+\):\n(.*\n)* {2}security-guardduty-ebs-malware-protection \(aws:guardduty\/detectorFeature:DetectorFeature\): scans run only when a finding triggers one/,
        );
        assert.match(printed, /\nUsage profile: requestsPerMonth 30,000,000, /);
        assert.match(
            printed,
            /\nPrices: infra\/offline\/cost\/prices\.json [\d.-]+ \(compiled \d{4}-\d\d-\d\d\); \d+ of \d+ prices not verified/,
        );
        assert.match(
            printed,
            /\nBudget observability\.budget\.monthlyLimitUsd: \$4,000\.00; the estimate is \d+ % of it/,
        );
    });

    it("--cost --json writes the breakdown into the graph as `cost`", () => {
        const plan = JSON.parse(readFileSync(basePlan, "utf8"));
        assert.deepStrictEqual(Object.keys(plan.cost).sort(), [
            "byComponent",
            "byType",
            "currency",
            "fixedUsd",
            "freeResources",
            "hoursPerMonth",
            "items",
            "priceFile",
            "region",
            "stack",
            "totalUsd",
            "unpriced",
            "usage",
            "usageUsd",
        ]);
        assert.strictEqual(plan.cost.currency, "USD");
        const item = plan.cost.items.find((i: { type: string }) => i.type === "aws:ec2/natGateway:NatGateway");
        assert.deepStrictEqual(Object.keys(item).sort(), [
            "basis",
            "component",
            "description",
            "monthlyUsd",
            "name",
            "priceKey",
            "quantity",
            "region",
            "source",
            "type",
            "unit",
            "unitPriceUsd",
            "urn",
        ]);
    });

    it("--cost-diff compares with a base plan and --cost-markdown writes the change for the pull request", async () => {
        const project = prodProjectCopy((t) =>
            t
                .replace("natStrategy: one-per-az", "natStrategy: single")
                .replace("shop:productionOverrides: []", "shop:productionOverrides: [network.natStrategy]"),
        );
        // The pack blocks one NAT gateway in prod (exit 3), and the plan still reports the cost.
        const markdown = path.join(dir, "diff.md");
        const result = await runPlan(
            ["--stack", "prod", "--cost-diff", basePlan, "--cost-markdown", markdown],
            project,
        );
        assert.strictEqual(result.code, 3, result.err);
        assert.match(
            result.out,
            /\nMonthly cost change of prod \(af-south-1\): −\$94\.90 \(−\d+\.\d %\), from \$[\d,.]+ to \$[\d,.]+\n\nPer component:\n {2}network \(shop:network:Network\) +−\$94\.90/,
        );
        const text = readFileSync(markdown, "utf8");
        assert.match(text, /^#### prod \(af-south-1\): −\$94\.90 \(−\d+\.\d %\) a month\n/);
        assert.match(text, /\| network \(shop:network:Network\) \| \$[\d,.]+ \| \$[\d,.]+ \| −\$94\.90 \|/);
    });

    it("--cost-diff with a plan written without --cost is a usage error", async () => {
        const bare = path.join(dir, "bare.json");
        writeFileSync(bare, JSON.stringify({ resources: [] }));
        const result = await runPlan(["--stack", "prod", "--cost-diff", bare]);
        assert.strictEqual(result.code, 2);
        assert.match(result.err, /has no cost breakdown: write it with npm run plan -- --stack <stack> --cost --json/);
    });

    it("an invalid usage profile is a configuration error, before the program runs", async () => {
        const result = await runPlan(
            ["--stack", "prod", "--cost"],
            prodProjectCopy((t) => t.replace("ordersPerMonth: 30000", "ordersPerMonth: many")),
        );
        assert.strictEqual(result.code, 1);
        assert.match(
            result.err,
            /^Invalid cost usage profile for stack "prod":\n {2}- shop:cost\.usage\.ordersPerMonth = "many" must be a whole number/,
        );
    });
});

describe("the budget check", () => {
    for (const stack of STACKS)
        it(`passes the ${stack} stack: its budget covers its fixed costs`, async () => {
            const graph = await planOf(stack);
            assert.strictEqual(budgetLimits(graph).length, 1);
            assert.doesNotThrow(() => checkBudget(graph));
        });

    it("fails a plan whose budget is below the fixed costs, naming the key and the fix", async () => {
        const result = await runPlan(
            ["--stack", "prod"],
            prodProjectCopy((t) => t.replace("monthlyLimitUsd: 4000", "monthlyLimitUsd: 500")),
        );
        assert.strictEqual(result.code, 1);
        assert.match(
            result.err,
            /^Invalid configuration for stack "prod":\n {2}- shop:observability\.budget\.monthlyLimitUsd = 500: below the stack's fixed monthly cost of \$1,[\d,.]+ \(.*\), so the budget would alarm every month\. Fix: raise it to at least \d+ \(pulumi config set --path 'observability\.budget\.monthlyLimitUsd' \d+\), or remove fixed costs/,
        );
    });
});
