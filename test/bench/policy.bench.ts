/**
 * Benchmark: the policy pack, evaluated in-process as the offline plan does, on synthetic graphs of
 * 1,000, 10,000 and 50,000 resources (copies of the compliant platform fixture, every tier's
 * resource types and links, with a violation in every tenth copy). Targets: 10,000 resources in
 * under 2 s, and a cost per resource that does not grow with the graph (at most 1.5x from 10,000
 * to 50,000). Also prints what the policy check adds to the offline plan of the prod stack
 * (loading the pack and the evaluator, then checking), which counts against the plan's budget.
 *
 * The measurement is made robust against what is not the evaluation's cost:
 * - CPU time of this process (user + system, GC threads included), not only wall time: other
 *   processes on a loaded machine stretch the wall clock, not the work done. On an idle machine
 *   the evaluation, single-threaded, takes as much wall time as CPU time; CPU time also counts the
 *   collector's helper threads, so judging it is no looser than judging an idle machine's clock.
 * - A full garbage collection before each timed run (run with --expose-gc): each run pays for
 *   the garbage it makes, not for what building the graphs or the previous run left behind.
 * - Every graph is built and evaluated once before timing (compilation, the IAM reference's
 *   files), then the sizes are timed in turn, RUNS rounds, so that a change in the machine's
 *   load affects every size alike; medians are judged, minimums and wall times printed.
 * An earlier version timed three runs of one size after another with the graphs' garbage still on
 * the heap, and printed x1.10 to x1.68 for the same code: the 50,000-resource runs collected the
 * garbage of building their graph, and the machine's load changed between sizes. Measured this
 * way, the cost per resource at 50,000 stays within a few percent of 10,000 (often below).
 */
import { spawnSync } from "child_process";
import { loadavg } from "os";
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
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_10K_MS = 2000;
const MAX_GROWTH = 1.5;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run the policy benchmark with node --expose-gc (npm run bench does)");

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
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const config = resolvePackConfig(
    policies,
    readPackConfig(path.join(ROOT, "policy-pack/config/prod.json")),
    "prod.json",
);

/** One evaluation after a full collection: its CPU and wall milliseconds. */
function timeOnce(graph: PlanGraph): { cpu: number; wall: number; violations: number } {
    gc?.();
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const violations = evaluatePack(graph, policies, config, PACK_IDENTITY).length;
    const wall = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    return { cpu: (cpu.user + cpu.system) / 1000, wall, violations };
}

const load = loadavg()[0];
const graphs = SIZES.map((size) => ({ size, graph: syntheticGraph(size), cpu: [] as number[], wall: [] as number[] }));
const violations = new Map(graphs.map((g) => [g.size, timeOnce(g.graph).violations])); // warm-up
for (let round = 0; round < RUNS; round++) {
    for (const g of graphs) {
        const { cpu, wall } = timeOnce(g.graph);
        g.cpu.push(cpu);
        g.wall.push(wall);
    }
}
const results = graphs.map((g) => ({
    size: g.size,
    ms: median(g.cpu),
    perResource: (median(g.cpu) * 1000) / g.size,
}));

const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");
console.log(`load average at the start: ${load.toFixed(2)} (2 cores here); ${RUNS} rounds after a warm-up`);
for (const [i, g] of graphs.entries()) {
    console.log(
        `${String(g.size).padStart(6)} resources: CPU median ${results[i].ms.toFixed(0).padStart(5)} ms, min ${Math.min(...g.cpu).toFixed(0)} ms ` +
            `(${results[i].perResource.toFixed(1)} µs per resource; ${violations.get(g.size)} violations); ` +
            `CPU runs: ${list(g.cpu)}; wall runs: ${list(g.wall)}`,
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
    `10,000 resources: ${tenK.ms.toFixed(0)} ms of CPU (target: under ${TARGET_10K_MS} ms); cost per resource from 10,000 to 50,000: x${growth.toFixed(2)} (target: at most x${MAX_GROWTH})`,
);
if (tenK.ms >= TARGET_10K_MS || growth > MAX_GROWTH) {
    console.error("FAIL: the policy evaluation misses its target");
    process.exitCode = 1;
}
