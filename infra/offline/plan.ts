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

const USAGE = `Usage: npm run plan -- [--stack <name>] [--json <file>]

Evaluates the Pulumi program for Pulumi.<stack>.yaml under the mocked runtime (no AWS
credentials, no network) and prints resources per component and type and the stack outputs.
  --stack <name>   the stack to plan (default: dev)
  --json <file>    also write the complete resource graph as JSON
Exit codes: 0 planned; 1 invalid configuration or the program failed; 2 bad usage or no such stack.`;

export interface PlanOptions {
    stack: string;
    json?: string;
}

export function parseArgs(argv: string[]): PlanOptions | string {
    const options: PlanOptions = { stack: "dev" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === "--help" || flag === "-h") return USAGE;
        if ((flag === "--stack" || flag === "--json") && (value === undefined || value.startsWith("--")))
            return `${flag} needs a value\n\n${USAGE}`;
        if (flag === "--stack") options.stack = value;
        else if (flag === "--json") options.json = value;
        else return `Unknown argument ${flag}\n\n${USAGE}`;
        i++;
    }
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
        const graph = await evaluateStack(projectDir, options.stack);
        const packConfig = stackPackConfigFile(projectDir, options.stack);
        const violations = checkGraph(graph, packConfig);
        graph.violations = asPlanViolations(violations);
        console.log(renderSummary(graph));
        console.log(
            `\n${renderPolicyReport(violations, PACK_IDENTITY, packConfig ? path.relative(projectDir, packConfig) : "the pack's defaults")}`,
        );
        if (options.json) {
            writeFileSync(options.json, `${JSON.stringify(graph, null, 2)}\n`);
            console.log(`\nWrote the resource graph to ${path.resolve(options.json)}`);
        }
        return hasMandatory(violations) ? 3 : 0;
    } catch (err) {
        if (err instanceof StackFileError) {
            console.error(err.message);
            return 2;
        }
        if (err instanceof PolicyConfigError || err instanceof PolicyEvaluationError) {
            console.error(err.message);
            return 1;
        }
        const cause = err instanceof EvaluationError ? err.cause : err;
        if (cause instanceof ConfigError) console.error(cause.message);
        else console.error(`The program failed for stack ${options.stack}:`, cause);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), path.resolve(__dirname, "..", "..")).then((code) => {
        process.exitCode = code;
    });
}
