import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { PlanGraph } from "../graph";
import { PolicyEvaluationError } from "./engine";
import { PolicyConfigError } from "./pack-config";
import { renderPolicyReport } from "./report";
import { checkGraph, hasMandatory, PACK_IDENTITY } from "./run";

const USAGE = `Usage: npm run policy -- --graph <plan.json> [--config <file>] [--json <out.json>]

Evaluates the CrossGuard policy pack (policy-pack/) in-process on a resource graph in the offline
plan's JSON shape (npm run plan -- --json <file> writes one) and lists every violation with its
policy, enforcement level, URN and message, grouped by severity.
  --graph <file>    the graph to check
  --config <file>   a pack config, as pulumi's --policy-pack-config takes it
                    (e.g. policy-pack/config/prod.json); default: the pack's own levels and settings
  --json <file>     also write the violations as JSON
Exit codes: 0 no mandatory violation; 1 invalid pack config or graph file, or a policy failed;
2 bad usage; 3 at least one mandatory violation.`;

interface PolicyOptions {
    graph: string;
    config?: string;
    json?: string;
}

const FLAGS = { "--graph": "graph", "--config": "config", "--json": "json" } as const;

export function parsePolicyArgs(argv: string[]): PolicyOptions | string {
    const options: Partial<PolicyOptions> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === "--help" || flag === "-h") return USAGE;
        if (!(flag in FLAGS)) return `Unknown argument ${flag}\n\n${USAGE}`;
        if (value === undefined || value.startsWith("--")) return `${flag} needs a value\n\n${USAGE}`;
        options[FLAGS[flag as keyof typeof FLAGS]] = value;
    }
    if (!options.graph) return `--graph is required\n\n${USAGE}`;
    return options as PolicyOptions;
}

class GraphFileError extends Error {}

/** Reads a graph file and checks that it has the plan's shape where the pack reads it. */
function readGraph(file: string): PlanGraph {
    let graph: PlanGraph;
    try {
        graph = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
        throw new GraphFileError(`${file} is not a readable JSON file: ${(err as Error).message}`);
    }
    if (!graph || !Array.isArray(graph.resources))
        throw new GraphFileError(`${file} is not a plan graph: it has no "resources" array`);
    graph.resources.forEach((r, i) => {
        const broken =
            typeof r?.urn !== "string" ||
            typeof r.type !== "string" ||
            typeof r.name !== "string" ||
            typeof r.inputs !== "object" ||
            !Array.isArray(r.dependencies) ||
            typeof r.propertyDependencies !== "object";
        if (broken)
            throw new GraphFileError(
                `${file}: resources[${i}] lacks urn, type, name, inputs, dependencies or propertyDependencies`,
            );
    });
    return graph;
}

export function policyMain(argv: string[]): number {
    const options = parsePolicyArgs(argv);
    if (typeof options === "string") {
        const isHelp = options === USAGE;
        (isHelp ? console.log : console.error)(options);
        return isHelp ? 0 : 2;
    }
    try {
        const graph = readGraph(options.graph);
        const violations = checkGraph(graph, options.config);
        const source = options.config ?? "the pack's defaults";
        console.log(
            `Checked ${graph.resources.length} resources of ${graph.project ?? "?"}/${graph.stack ?? "?"} from ${options.graph}.`,
        );
        console.log(renderPolicyReport(violations, PACK_IDENTITY, source));
        if (options.json) {
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
            writeFileSync(
                options.json,
                `${JSON.stringify(
                    {
                        pack: PACK_IDENTITY,
                        config: source,
                        graph: { file: options.graph, project: graph.project, stack: graph.stack },
                        summary: { total: violations.length, mandatory, advisory: violations.length - mandatory },
                        violations,
                    },
                    null,
                    2,
                )}\n`,
            );
            console.log(`\nWrote the violations to ${path.resolve(options.json)}`);
        }
        return hasMandatory(violations) ? 3 : 0;
    } catch (err) {
        if (err instanceof PolicyConfigError || err instanceof GraphFileError || err instanceof PolicyEvaluationError) {
            console.error(err.message);
            return 1;
        }
        throw err;
    }
}

if (require.main === module) {
    process.exitCode = policyMain(process.argv.slice(2));
}
