import * as pulumi from "@pulumi/pulumi";
import { loadConfig, RawConfig, runtimeConfig } from "../config";
import { DEFAULT_REGION } from "../config/stack";
import { buildPlatform } from "../platform";
import { PlanGraph, PlanResource } from "./graph";
import { PlanMocks } from "./mocks";
import { plainValue, providerUrn, RecordedResource, Recorder } from "./recorder";
import { readStackConfig } from "./stack-files";

/** A program to evaluate: what `infra/index.ts` exports, or a smaller one in a test. */
export type Program = () => Record<string, pulumi.Input<unknown>> | Promise<Record<string, pulumi.Input<unknown>>>;

/** The program as the Pulumi entry point runs it: read config from the runtime, validate, build. */
export const platformProgram: Program = () => buildPlatform(loadConfig(runtimeConfig()));

/** Raised when the program itself fails; carries the partial graph recorded up to the failure. */
export class EvaluationError extends Error {
    constructor(
        readonly cause: unknown,
        readonly graph: PlanGraph,
    ) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "EvaluationError";
    }
}

// The Pulumi runtime is process-global: evaluations must run one after another.
let queue: Promise<unknown> = Promise.resolve();

// When the program throws, the SDK leaves a second promise rejected with the same error (the
// stack root's data) without a handler. The failure is reported through EvaluationError, so that
// echo is dropped; any other unhandled rejection is left to the process's default handling.
const reportedFailures = new WeakSet<object>();
function dropEchoOfReportedFailure(reason: unknown): void {
    if (typeof reason === "object" && reason !== null && reportedFailures.has(reason)) return;
    throw reason;
}

/** Evaluates the program for `Pulumi.<stack>.yaml` of `projectDir` under mocks. */
export function evaluateStack(projectDir: string, stack: string): Promise<PlanGraph> {
    return evaluate(readStackConfig(projectDir, stack));
}

/**
 * Runs the program (the whole platform unless a test passes a smaller one) for the given
 * configuration under the mocked runtime, with no credentials and no network, and returns the
 * recorded resource graph and stack outputs.
 */
export function evaluate(raw: RawConfig, program: Program = platformProgram): Promise<PlanGraph> {
    const run = queue.then(() => evaluateNow(raw, program));
    queue = run.catch(() => undefined);
    return run;
}

async function evaluateNow(raw: RawConfig, program: Program): Promise<PlanGraph> {
    const stackRegion = raw.values["aws:region"] ?? DEFAULT_REGION;
    const recorder = new Recorder();
    const providerRegion = (ref: string | undefined) => {
        if (!ref) return undefined;
        const provider = recorder.byUrn.get(providerUrn(ref));
        return typeof provider?.inputs.region === "string" ? provider.inputs.region : undefined;
    };
    const regionOf = (inputs: Record<string, unknown>, ref: string | undefined) =>
        (typeof inputs.region === "string" ? inputs.region : undefined) ?? providerRegion(ref) ?? stackRegion;
    const accountId = raw.values[`${raw.project}:accountId`] ?? "000000000000";

    await pulumi.runtime.setMocks(new PlanMocks(accountId, regionOf), raw.project, raw.stack, false);
    pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
    recorder.attach(raw.project, raw.stack);

    const restoreStackTraces = withoutStackTraces();
    let outputs: Record<string, unknown> = {};
    let failure: unknown;
    try {
        outputs = (await pulumi.runtime.runInPulumiStack(async () => program())) as Record<string, unknown>;
    } catch (err) {
        failure = err;
    }
    // Even after a failure, let registrations in flight land so the graph shows what was sent.
    await waitForRPCs().catch((err: unknown) => {
        failure ??= err;
    });
    restoreStackTraces();

    const graph: PlanGraph = {
        project: raw.project,
        stack: raw.stack,
        region: stackRegion,
        resources: recorder.resources.map((r) => withRegion(r, regionOf(r.inputs, r.providerRef ?? undefined))),
        outputs: plainValue(JSON.parse(JSON.stringify(outputs ?? {}))) as Record<string, unknown>,
        violations: [],
    };
    if (failure !== undefined) {
        if (typeof failure === "object" && failure !== null) {
            reportedFailures.add(failure);
            if (!process.listeners("unhandledRejection").includes(dropEchoOfReportedFailure)) {
                process.on("unhandledRejection", dropEchoOfReportedFailure);
            }
        }
        throw new EvaluationError(failure, graph);
    }
    return graph;
}

function waitForRPCs(): Promise<void> {
    return (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

function withRegion(record: RecordedResource, region: string): PlanResource {
    const { providerRef: _ref, ...rest } = record;
    return { ...rest, region };
}

/**
 * The SDK records a stack trace for every promise it creates (debuggablePromise), which is most
 * of an evaluation's time. The plan turns that off while the program runs; PLAN_STACK_TRACES=1
 * keeps them for debugging a failure inside the program.
 */
function withoutStackTraces(): () => void {
    if (process.env.PLAN_STACK_TRACES === "1") return () => undefined;
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    return () => {
        Error.stackTraceLimit = saved;
    };
}
