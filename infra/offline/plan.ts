import { writeFileSync } from "fs";
import * as path from "path";
import { ConfigError } from "../config";
import { EvaluationError, evaluateStack } from "./evaluate";
import { PolicyEvaluationError } from "./policy/engine";
import { PolicyConfigError } from "./policy/pack-config";
import { renderPolicyReport } from "./policy/report";
import { asPlanViolations, checkGraph, hasMandatory, PACK_IDENTITY, stackPackConfigFile } from "./policy/run";
import { StackFileError } from "./stack-files";
import { renderSummary } from "./summary";

const USAGE = `Usage: npm run plan -- [--stack <name>] [--json <file>] [--cost] [--cost-diff <base.json>]
                        [--cost-markdown <file>] [--diagram <file.svg>]

Evaluates the Pulumi program for Pulumi.<stack>.yaml under the mocked runtime (no AWS
credentials, no network) and prints resources per component and type and the stack outputs.
  --stack <name>            the stack to plan (default: dev)
  --json <file>             also write the complete resource graph as JSON (with --cost: and its cost)
  --cost                    print the monthly cost estimate per component and per resource type
  --cost-diff <base.json>   compare the cost with a plan written by --cost --json (implies --cost)
  --cost-markdown <file>    write the cost (or, with --cost-diff, its change) as Markdown
  --diagram <file.svg>      draw the architecture from the planned graph as SVG
Exit codes: 0 planned; 1 invalid configuration (the stack's, its budget, the pack's) or the program
failed; 2 bad usage or no such stack; 3 planned, but a mandatory policy violation.`;

export interface PlanOptions {
    stack: string;
    json?: string;
    cost?: boolean;
    costDiff?: string;
    costMarkdown?: string;
    diagram?: string;
}

const VALUE_FLAGS: Record<string, Exclude<keyof PlanOptions, "cost">> = {
    "--stack": "stack",
    "--json": "json",
    "--cost-diff": "costDiff",
    "--cost-markdown": "costMarkdown",
    "--diagram": "diagram",
};

export function parseArgs(argv: string[]): PlanOptions | string {
    const options: PlanOptions = { stack: "dev" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === "--help" || flag === "-h") return USAGE;
        if (flag === "--cost") {
            options.cost = true;
            continue;
        }
        const option = VALUE_FLAGS[flag];
        if (!option) return `Unknown argument ${flag}\n\n${USAGE}`;
        if (value === undefined || value.startsWith("--")) return `${flag} needs a value\n\n${USAGE}`;
        options[option] = value;
        i++;
    }
    if (options.costDiff || options.costMarkdown) options.cost = true;
    return options;
}

export async function main(argv: string[], projectDir: string): Promise<number> {
    const options = parseArgs(argv);
    if (typeof options === "string") {
        const isHelp = options === USAGE;
        (isHelp ? console.log : console.error)(options);
        return isHelp ? 0 : 2;
    }
    try {
        // The cost and the diagram load their modules (prices, the layout engine) only when asked.
        const costing = options.cost ? loadCost().prepareCost(projectDir, options) : undefined;
        const graph = await evaluateStack(projectDir, options.stack);
        loadBudget().checkBudget(graph, costing?.estimate(graph));
        const packConfig = stackPackConfigFile(projectDir, options.stack);
        const violations = checkGraph(graph, packConfig);
        graph.violations = asPlanViolations(violations);
        console.log(renderSummary(graph));
        console.log(
            `\n${renderPolicyReport(violations, PACK_IDENTITY, packConfig ? path.relative(projectDir, packConfig) : "the pack's defaults")}`,
        );
        if (costing) {
            graph.cost = costing.estimate(graph);
            console.log(`\n${costing.report(graph)}`);
        }
        if (options.diagram) {
            writeFileSync(options.diagram, await loadDiagram().drawDiagram(graph));
            console.log(`\nWrote the architecture diagram to ${path.resolve(options.diagram)}`);
        }
        if (options.json) {
            writeFileSync(options.json, `${JSON.stringify(graph, null, 2)}\n`);
            console.log(`\nWrote the resource graph to ${path.resolve(options.json)}`);
        }
        return hasMandatory(violations) ? 3 : 0;
    } catch (err) {
        if (err instanceof StackFileError || (err instanceof Error && err.name === "CostDiffError")) {
            console.error(err.message);
            return 2;
        }
        if (
            err instanceof PolicyConfigError ||
            err instanceof PolicyEvaluationError ||
            (err instanceof Error && (err.name === "BudgetError" || err.name === "UsageProfileError"))
        ) {
            console.error(err.message);
            return 1;
        }
        const cause = err instanceof EvaluationError ? err.cause : err;
        if (cause instanceof ConfigError) console.error(cause.message);
        else console.error(`The program failed for stack ${options.stack}:`, cause);
        return 1;
    }
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand: a plan without --cost or
   --diagram pays for neither the price data nor the layout engine. */
function loadCost(): typeof import("./cost/run") {
    return require("./cost/run");
}
function loadBudget(): typeof import("./cost/budget") {
    return require("./cost/budget");
}
function loadDiagram(): typeof import("./diagram") {
    return require("./diagram");
}
/* eslint-enable @typescript-eslint/no-require-imports */

if (require.main === module) {
    main(process.argv.slice(2), path.resolve(__dirname, "..", "..")).then((code) => {
        process.exitCode = code;
    });
}
