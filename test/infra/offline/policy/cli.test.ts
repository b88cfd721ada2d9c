import * as assert from "assert";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parsePolicyArgs, policyMain } from "../../../../infra/offline/policy/cli";
import { PROJECT_DIR, runCommand } from "../../harness";
import { platform } from "../../../policy-pack/check";

/** Runs `npm run policy` in-process, capturing what it prints. */
const runPolicy = (args: string[]) => runCommand(() => policyMain(args));

describe("npm run policy", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "policy-cli-"));
    const file = (name: string, content: unknown) => {
        const target = path.join(dir, name);
        writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
        return target;
    };
    const prodConfig = path.join(PROJECT_DIR, "policy-pack/config/prod.json");

    it("lists each violation with policy, level, URN and message, and exits 3 on a mandatory one", async () => {
        const g = platform((x) => x.set("data-cluster", { storageEncrypted: false }));
        const graph = file("graph.json", g.graph());
        const json = path.join(dir, "violations.json");
        const result = await runPolicy(["--graph", graph, "--config", prodConfig, "--json", json]);
        assert.strictEqual(result.code, 3, result.err);
        assert.match(result.out, /^Checked \d+ resources of shop\/prod from .*graph\.json\./);
        assert.match(
            result.out,
            /config: .*prod\.json\): 1 violation\(s\), 1 mandatory, 0 advisory\.\n\nHIGH \(1\)\n {2}\[mandatory\] rds-storage-encrypted {2}urn:pulumi:prod::shop::aws:rds\/cluster:Cluster::data-cluster\n {6}storageEncrypted is not true/,
        );
        const written = JSON.parse(readFileSync(json, "utf8"));
        assert.deepStrictEqual(written.summary, { total: 1, mandatory: 1, advisory: 0 });
        assert.deepStrictEqual(Object.keys(written.violations[0]).sort(), [
            "enforcementLevel",
            "message",
            "policy",
            "severity",
            "urn",
        ]);
    });

    it("exits 0 when only advisory violations remain", async () => {
        const graph = file("advisory.json", platform((x) => x.remove("assets-versioning")).graph());
        const result = await runPolicy(["--graph", graph, "--config", prodConfig]);
        assert.strictEqual(result.code, 0, result.err);
        assert.match(
            result.out,
            /1 violation\(s\), 0 mandatory, 1 advisory\.\n\nLOW \(1\)\n {2}\[advisory\] s3-bucket-versioning/,
        );
    });

    it("exits 1 with the problems of a bad pack config or graph file", async () => {
        const graph = file("ok.json", platform().graph());
        const bad = await runPolicy([
            "--graph",
            graph,
            "--config",
            file("bad.json", { "lb-multi-az": { minimumZones: "3" } }),
        ]);
        assert.strictEqual(bad.code, 1);
        assert.match(
            bad.err,
            /^Invalid policy pack configuration in .*bad\.json:\n {2}- lb-multi-az\.minimumZones: "3" is of type string, expected integer$/,
        );
        const notGraph = await runPolicy(["--graph", file("not-graph.json", { resources: [{ urn: 1 }] })]);
        assert.strictEqual(notGraph.code, 1);
        assert.match(
            notGraph.err,
            /resources\[0\] lacks urn, type, name, inputs, dependencies or propertyDependencies/,
        );
        assert.strictEqual((await runPolicy(["--graph", path.join(dir, "missing.json")])).code, 1);
    });

    it("exits 2 on bad usage and prints the usage with --help", async () => {
        assert.strictEqual((await runPolicy([])).code, 2);
        assert.strictEqual((await runPolicy(["--graph"])).code, 2);
        assert.strictEqual((await runPolicy(["--graph", "g.json", "--frobnicate", "x"])).code, 2);
        const help = await runPolicy(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(
            help.out,
            /^Usage: npm run policy -- --graph <plan.json> \[--config <file>\] \[--json <out.json>\]/,
        );
        assert.deepStrictEqual(parsePolicyArgs(["--graph", "g.json", "--json", "o.json"]), {
            graph: "g.json",
            json: "o.json",
        });
    });
});
