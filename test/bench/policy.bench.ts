/**
 * Benchmark: the policy pack, evaluated in-process as the offline plan does, on synthetic graphs of
 * 1,000, 10,000 and 50,000 resources (copies of the compliant platform fixture, every tier's
 * resource types and links, with a violation in every tenth copy). Targets: 10,000 resources in
 * under 2 s, and a cost per resource that does not grow with the graph (at most 1.5x from 10,000
 * to 50,000). Also prints what the policy check adds to the offline plan of the prod stack
 * (loading the pack and the evaluator, then checking), which counts against the plan's budget.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { PlanGraph } from "../../infra/offline/graph";
import { evaluatePack } from "../../infra/offline/policy/engine";
import { readPackConfig, resolvePackConfig } from "../../infra/offline/policy/pack-config";
import { PACK_IDENTITY } from "../../infra/offline/policy/run";
import { policies } from "../../policy-pack/policies";
import { compliantPlatform } from "../policy-pack/fixture";
import { SyntheticGraph } from "../policy-pack/synthetic";

const ROOT = path.resolve(__dirname, "..", "..");
const SIZES = [1_000, 10_000, 50_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_10K_MS = 2000;
const MAX_GROWTH = 1.5;

/** `size` resources: platform copies, each tenth with an unencrypted queue and an open SSH rule. */
function syntheticGraph(size: number): PlanGraph {
    const g = new SyntheticGraph();
    for (let copy = 0; g.resources.length < size; copy++) {
        const p = `c${copy}-`;
        compliantPlatform(g, p);
        if (copy % 10 === 9) {
            g.set(`${p}queues-orders`, { kmsMasterKeyId: undefined });
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${p}ssh`, {
                securityGroupId: g.ref(`${p}workloads-web`),
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv4: "0.0.0.0/0",
            });
        }
    }
    const graph = g.graph();
    return { ...graph, resources: graph.resources.slice(0, size) };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const config = resolvePackConfig(
    policies,
    readPackConfig(path.join(ROOT, "policy-pack/config/prod.json")),
    "prod.json",
);

evaluatePack(syntheticGraph(1_000), policies, config, PACK_IDENTITY); // warm-up
const results = SIZES.map((size) => {
    const graph = syntheticGraph(size);
    const times: number[] = [];
    let violations = 0;
    for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        violations = evaluatePack(graph, policies, config, PACK_IDENTITY).length;
        times.push(performance.now() - start);
    }
    const ms = median(times);
    return { size, ms, perResource: (ms * 1000) / size, violations, runs: times };
});

for (const r of results) {
    console.log(
        `${String(r.size).padStart(6)} resources: median ${r.ms.toFixed(0).padStart(5)} ms  ` +
            `(${r.perResource.toFixed(1)} µs per resource; ${r.violations} violations; runs: ${r.runs.map((t) => t.toFixed(0)).join(", ")})`,
    );
}

const inPlan = spawnSync(
    process.execPath,
    [
        "--require",
        "./infra/offline/ts-loader.js",
        "-e",
        `
    require("./infra/offline/evaluate.ts").evaluateStack(".", "prod").then((graph) => {
        const start = performance.now();
        const run = require("./infra/offline/policy/run.ts");
        const loaded = performance.now();
        run.checkGraph(graph, run.stackPackConfigFile(".", "prod"));
        console.log(\`\${(loaded - start).toFixed(0)} ms loading the pack and the evaluator, \${(performance.now() - loaded).toFixed(0)} ms checking \${graph.resources.length} resources\`);
    });
`,
    ],
    { cwd: ROOT, encoding: "utf8" },
);
console.log(`in the offline plan of prod: ${inPlan.stdout.trim() || inPlan.stderr}`);

const tenK = results.find((r) => r.size === 10_000) as (typeof results)[number];
const growth = results[results.length - 1].perResource / tenK.perResource;
console.log(
    `10,000 resources: ${tenK.ms.toFixed(0)} ms (target: under ${TARGET_10K_MS} ms); cost per resource from 10,000 to 50,000: x${growth.toFixed(2)} (target: at most x${MAX_GROWTH})`,
);
if (tenK.ms >= TARGET_10K_MS || growth > MAX_GROWTH) {
    console.error("FAIL: the policy evaluation misses its target");
    process.exitCode = 1;
}
