/**
 * Benchmark: the offline plan of the prod stack against a bare `node` process that loads
 * @pulumi/pulumi and @pulumi/aws. Target: the plan takes at most 2.5 times as long.
 * Runs the commands alternately (RUNS each, after one warm-up of each) and compares medians.
 * Also times the plan with the cost estimate and the diagram (their price data and layout engine
 * are loaded only with those flags), for information.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_RATIO = 2.5;

const baseline = [process.execPath, "-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
const plan = [
    process.execPath,
    "--require",
    "./infra/offline/ts-loader.js",
    "infra/offline/plan.ts",
    "--stack",
    "prod",
];

const planWithExtras = [...plan, "--cost", "--diagram", path.join(os.tmpdir(), "plan-bench-diagram.svg")];

function timeOnce([cmd, ...args]: string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(cmd, args, {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, CI: "true" },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return ms;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

timeOnce(baseline);
timeOnce(plan);
timeOnce(planWithExtras);
const base: number[] = [];
const planned: number[] = [];
const extras: number[] = [];
for (let i = 0; i < RUNS; i++) {
    base.push(timeOnce(baseline));
    planned.push(timeOnce(plan));
    extras.push(timeOnce(planWithExtras));
}
const ratio = median(planned) / median(base);
console.log(
    `bare node loading @pulumi/pulumi + @pulumi/aws: median ${median(base).toFixed(0)} ms (runs: ${base.map((v) => v.toFixed(0)).join(", ")})`,
);
console.log(
    `offline plan of the prod stack:                 median ${median(planned).toFixed(0)} ms (runs: ${planned.map((v) => v.toFixed(0)).join(", ")})`,
);
console.log(
    `with --cost --diagram:                          median ${median(extras).toFixed(0)} ms (runs: ${extras.map((v) => v.toFixed(0)).join(", ")})`,
);
console.log(`ratio: ${ratio.toFixed(2)} (target: at most ${TARGET_RATIO})`);
if (ratio > TARGET_RATIO) {
    console.error(`FAIL: the plan takes ${ratio.toFixed(2)}x the baseline`);
    process.exitCode = 1;
}
