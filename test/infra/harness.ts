import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { RawConfig } from "../../infra/config";
import { evaluate, evaluateStack, Program } from "../../infra/offline/evaluate";
import { PlanGraph, PlanResource } from "../../infra/offline/graph";
import { readStackConfig } from "../../infra/offline/stack-files";

export const PROJECT_DIR = path.resolve(__dirname, "../..");
export const STACKS = ["dev", "prod"] as const;
export type StackName = (typeof STACKS)[number];

const plans = new Map<string, Promise<PlanGraph>>();

/** The offline plan of one of the project's stacks, evaluated once per test process. */
export function planOf(stack: StackName): Promise<PlanGraph> {
    let plan = plans.get(stack);
    if (!plan) {
        plan = evaluateStack(PROJECT_DIR, stack);
        plans.set(stack, plan);
    }
    return plan;
}

/** The stack file's configuration with some values changed ("network.vpcCidr") or removed (undefined). */
export function configWith(stack: StackName, changes: Record<string, unknown>): RawConfig {
    const raw = readStackConfig(PROJECT_DIR, stack);
    const values: Record<string, string> = { ...raw.values };
    const secretKeys = new Set(raw.secretKeys);
    for (const [dotted, value] of Object.entries(changes)) {
        const [top, ...rest] = dotted.includes(":") ? [dotted] : dotted.split(".");
        const key = top.includes(":") ? top : `${raw.project}:${top}`;
        if (rest.length === 0) {
            if (value === undefined) delete values[key];
            else values[key] = typeof value === "string" ? value : JSON.stringify(value);
            continue;
        }
        const tree = values[key] ? JSON.parse(values[key]) : {};
        let node = tree;
        for (const part of rest.slice(0, -1)) node = node[part] ??= {};
        if (value === undefined) delete node[rest[rest.length - 1]];
        else node[rest[rest.length - 1]] = value;
        values[key] = JSON.stringify(tree);
    }
    return { ...raw, values, secretKeys };
}

/**
 * Evaluates the platform for an arbitrary configuration (e.g. from configWith), or, given a
 * `program`, that program instead (to test a component alone with inputs the platform does not
 * produce yet).
 */
export function planWith(raw: RawConfig, program?: Program): Promise<PlanGraph> {
    return evaluate(raw, program);
}

/** Queries over a plan graph. */
export class Graph {
    private readonly byUrn: Map<string, PlanResource>;
    /** The resources queries range over: the whole plan, or one component's (see `within`). */
    readonly resources: PlanResource[];

    constructor(
        readonly plan: PlanGraph,
        scope?: PlanResource[],
        index?: Map<string, PlanResource>,
    ) {
        this.byUrn = index ?? new Map(plan.resources.map((r) => [r.urn, r]));
        this.resources = scope ?? plan.resources;
    }

    /** The same queries over the resources under `component`; lookups by URN still see everything. */
    within(component: PlanResource): Graph {
        return new Graph(
            this.plan,
            this.plan.resources.filter((r) => this.ancestors(r).includes(component.urn)),
            this.byUrn,
        );
    }

    ofType(type: string): PlanResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The single resource of a type (optionally with that logical name); fails otherwise. */
    one(type: string, name?: string): PlanResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1)
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
        return found[0];
    }

    get(urn: string): PlanResource {
        const found = this.byUrn.get(urn);
        if (!found) throw new Error(`no resource ${urn}`);
        return found;
    }

    find(urn: string | null): PlanResource | undefined {
        return urn ? this.byUrn.get(urn) : undefined;
    }

    /** Resources whose given input came from `source` (a property dependency). */
    dependents(source: PlanResource, property?: string): PlanResource[] {
        return this.resources.filter((r) =>
            property
                ? (r.propertyDependencies[property] ?? []).includes(source.urn)
                : r.dependencies.includes(source.urn),
        );
    }

    /** The resources a property of `resource` came from. */
    sources(resource: PlanResource, property: string): PlanResource[] {
        return (resource.propertyDependencies[property] ?? []).map((urn) => this.get(urn));
    }

    /** True when `resource` waits for `other`, directly or through other dependencies. */
    dependsOn(resource: PlanResource, other: PlanResource): boolean {
        const seen = new Set<string>();
        const stack = [...resource.dependencies];
        while (stack.length) {
            const urn = stack.pop() as string;
            if (urn === other.urn) return true;
            if (seen.has(urn)) continue;
            seen.add(urn);
            stack.push(...(this.byUrn.get(urn)?.dependencies ?? []));
        }
        return false;
    }

    /** The component directly under the stack that `resource` belongs to. */
    component(resource: PlanResource): PlanResource | undefined {
        let node: PlanResource | undefined = resource;
        while (node) {
            const parent = this.find(node.parent);
            if (!parent || parent.type === "pulumi:pulumi:Stack") return node === resource ? undefined : node;
            node = parent;
        }
        return undefined;
    }

    /** Every custom resource under a component (at any depth). */
    under(component: PlanResource): PlanResource[] {
        return this.resources.filter((r) => r.custom && this.ancestors(r).includes(component.urn));
    }

    ancestors(resource: PlanResource): string[] {
        const out: string[] = [];
        for (let node = this.find(resource.parent); node; node = this.find(node.parent)) out.push(node.urn);
        return out;
    }

    /** A JSON policy input (key policies, trust policies, bucket policies) parsed. */
    policy(resource: PlanResource, property = "policy"): { Statement: Record<string, any>[] } {
        const value = resource.inputs[property];
        if (typeof value !== "string") throw new Error(`${resource.urn} has no ${property} document`);
        return JSON.parse(value);
    }
}

export async function graphOf(stack: StackName): Promise<Graph> {
    return new Graph(await planOf(stack));
}

const taggable = new Map<string, boolean>();
/** Whether an @pulumi/aws resource type takes tags (its declaration has `tagsAll`). */
export function isTaggable(type: string): boolean {
    let known = taggable.get(type);
    if (known === undefined) {
        const match = /^aws:([^/]+)\/([^:]+):/.exec(type);
        const file = match && path.join(PROJECT_DIR, "node_modules/@pulumi/aws", match[1], `${match[2]}.d.ts`);
        known = !!file && existsSync(file) && readFileSync(file, "utf8").includes("readonly tagsAll:");
        taggable.set(type, known);
    }
    return known;
}

/** Runs a command's main function in-process, capturing what it prints; `code` is its exit code. */
export async function runCommand(
    main: () => number | Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const saved = { log: console.log, error: console.error };
    console.log = (...a: unknown[]) => void out.push(a.join(" "));
    console.error = (...a: unknown[]) => void err.push(a.join(" "));
    try {
        const code = await main();
        return { code, out: out.join("\n"), err: err.join("\n") };
    } finally {
        Object.assign(console, saved);
    }
}

/**
 * A copy of the project for the plan command: Pulumi.yaml, the prod stack file (changed by
 * `stackYaml`) and the prod pack config (or `packConfig`), in a directory of its own.
 */
export function prodProjectCopy(stackYaml: (text: string) => string, packConfig?: unknown): string {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-project-"));
    copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    writeFileSync(
        path.join(dir, "Pulumi.prod.yaml"),
        stackYaml(readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")),
    );
    mkdirSync(path.join(dir, "policy-pack", "config"), { recursive: true });
    writeFileSync(
        path.join(dir, "policy-pack", "config", "prod.json"),
        JSON.stringify(
            packConfig ?? JSON.parse(readFileSync(path.join(PROJECT_DIR, "policy-pack/config/prod.json"), "utf8")),
        ),
    );
    return dir;
}
