import * as assert from "assert";
import { PlanGraph } from "../../infra/offline/graph";
import { evaluatePack, PolicyViolation } from "../../infra/offline/policy/engine";
import { resolvePackConfig } from "../../infra/offline/policy/pack-config";
import { PACK_IDENTITY } from "../../infra/offline/policy/run";
import { policies } from "../../policy-pack/policies";
import { compliantPlatform } from "./fixture";
import { SyntheticGraph } from "./synthetic";

/** Runs one policy of the pack, with its schema defaults and `config`, on a graph. */
export function violationsOf(graph: PlanGraph, name: string, config: Record<string, unknown> = {}): PolicyViolation[] {
    const policy = policies.find((p) => p.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    const resolved = resolvePackConfig([policy], Object.keys(config).length > 0 ? { [name]: config } : {}, "test");
    return evaluatePack(graph, [policy], resolved, PACK_IDENTITY);
}

/** The compliant platform fixture, changed by `mutate`. */
export function platform(mutate: (g: SyntheticGraph) => void = () => undefined): SyntheticGraph {
    const g = new SyntheticGraph();
    compliantPlatform(g);
    mutate(g);
    return g;
}

export interface PolicyCase {
    /** The rule this case breaks. */
    rule: string;
    mutate: (g: SyntheticGraph) => void;
    /** The message expected, or null when the change (with `config`) is compliant. */
    expect: RegExp | null;
    /** The resource the violation must name (stack policies report a URN of their choice). */
    at?: string;
    config?: Record<string, unknown>;
}

const CANT_RUN = /^can't run policy '.+' from policy pack 'shop-platform@v[\d.]+' during preview: /;

/**
 * Checks one case: on the compliant platform changed by `c.mutate`, the policy reports the expected
 * violation (at its own level, or advisory for the engine's "can't run ... during preview"), or
 * nothing when `c.expect` is null.
 */
export function checkCase(name: string, c: PolicyCase, config: Record<string, unknown> = {}): void {
    const level = policies.find((p) => p.name === name)?.enforcementLevel;
    const g = platform(c.mutate);
    const found = violationsOf(g.graph(), name, { ...config, ...c.config });
    if (c.expect === null) {
        assert.deepStrictEqual(
            found.map((v) => v.message),
            [],
        );
        return;
    }
    const urn = c.at ? g.get(c.at).urn : undefined;
    const match = found.find((v) => (c.expect as RegExp).test(v.message) && (urn === undefined || v.urn === urn));
    assert.ok(
        match,
        `expected ${c.expect}${urn ? ` at ${urn}` : ""} among ${JSON.stringify(
            found.map((v) => `${v.urn}: ${v.message}`),
            null,
            1,
        )}`,
    );
    assert.strictEqual(match.enforcementLevel, CANT_RUN.test(match.message) ? "advisory" : level);
}

/** The compliant platform passes the policy, and each case holds (see checkCase). */
export function describePolicy(name: string, options: { config?: Record<string, unknown> }, cases: PolicyCase[]): void {
    describe(`policy ${name}`, () => {
        it("passes the compliant platform", () => {
            assert.deepStrictEqual(
                violationsOf(platform().graph(), name, options.config).map((v) => v.message),
                [],
            );
        });
        for (const c of cases) {
            it(c.expect ? `reports: ${c.rule}` : `accepts: ${c.rule}`, () => checkCase(name, c, options.config));
        }
    });
}

/** Matches the engine's report of a value unknown during preview. */
export const cantRunDuringPreview = (detail: RegExp = /.*/) => new RegExp(`${CANT_RUN.source}.*${detail.source}`);
