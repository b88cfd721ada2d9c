import * as assert from "assert";
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { bundle, BUNDLE_CACHE_DIR, NEVER_LOADED, PROJECT_DIR } from "../../../infra/async/bundle";
import { SHARP_LAYER_DIR, sharpLayerProblem } from "../../../infra/async/code";

/** The handlers the Functions component bundles, and what each leaves to the runtime or a layer. */
const HANDLERS: [string, string[]][] = [
    ["order-intake", []],
    ["order-processor", []],
    ["notifier", []],
    ["thumbnailer", ["sharp"]],
    ["cart-abandonment", []],
    ["dlq-redrive", []],
    ["db-migrate", []],
];

describe("asynchronous processing: bundles", () => {
    it("bundles each handler into one CommonJS file that exports the handler, with the AWS SDK's clients left to the runtime", () => {
        for (const [name, external] of HANDLERS) {
            const built = bundle(`app/functions/${name}/index.ts`, external);
            assert.ok(built.inputs.includes(`app/functions/${name}/index.ts`));
            assert.ok(
                !built.inputs.some((i) => i.includes("node_modules/@aws-sdk/client-")),
                `${name} bundles an AWS SDK client`,
            );
            // Loading it must not need anything but the runtime's SDK (and the layer's sharp).
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the built bundle as Lambda would
            const loaded = require(path.join(built.dir, "index.js")) as { handler?: unknown };
            assert.strictEqual(typeof loaded.handler, "function", name);
            const code = readFileSync(path.join(built.dir, "index.js"), "utf8");
            const required = [...code.matchAll(/require\("([^"]+)"\)/g)]
                .map((m) => m[1])
                .filter((m) => !m.startsWith("node:") && !builtinModules.includes(m));
            assert.ok(
                required.every(
                    (m) => m.startsWith("@aws-sdk/client-") || external.includes(m) || NEVER_LOADED.includes(m),
                ),
                `${name} requires ${required.join(", ")}`,
            );
        }
        assert.ok(
            bundle("app/functions/order-processor/index.ts").inputs.some((i) => i.startsWith("node_modules/pg/")),
            "pg is bundled",
        );
        assert.ok(
            !bundle("app/functions/thumbnailer/index.ts", ["sharp"]).inputs.some((i) =>
                i.includes("node_modules/sharp/"),
            ),
            "sharp comes from the layer",
        );
        // The runtime need not ship the IAM token signer: the functions that log in with IAM bundle it.
        for (const name of ["order-processor", "cart-abandonment"])
            assert.ok(
                bundle(`app/functions/${name}/index.ts`).inputs.some((i) =>
                    i.startsWith("node_modules/@aws-sdk/rds-signer/"),
                ),
                `${name} bundles @aws-sdk/rds-signer`,
            );
    });

    describe("cache", function () {
        let dir: string;
        let entry: string;
        const fresh = () => {
            // A new process each time, as a new `pulumi up` or plan would be.
            const out = execFileSync(
                process.execPath,
                [
                    "--require",
                    "./infra/offline/ts-loader.js",
                    "-e",
                    `const b = require("./infra/async/bundle").bundle(${JSON.stringify(entry)}); console.log(JSON.stringify(b));`,
                ],
                { cwd: PROJECT_DIR, encoding: "utf8" },
            );
            return JSON.parse(out.trim().split("\n").pop()!) as { dir: string; digest: string };
        };
        const manifests = () =>
            readdirSync(BUNDLE_CACHE_DIR)
                .filter((f) => f.endsWith(".json"))
                .map((f) => [f, statSync(path.join(BUNDLE_CACHE_DIR, f)).mtimeMs] as const);

        before(() => {
            dir = path.join(BUNDLE_CACHE_DIR, "..", `bundle-test-${process.pid}`);
            mkdirSync(dir, { recursive: true });
            entry = path.relative(PROJECT_DIR, path.join(dir, "index.ts"));
            writeFileSync(path.join(dir, "helper.ts"), "export const greeting = 'hello';\n");
            writeFileSync(
                path.join(dir, "index.ts"),
                "import { greeting } from './helper';\nexport const handler = async () => greeting;\n",
            );
        });
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("reuses a bundle whose inputs are unchanged, without building it again, and rebuilds when any input changes", function () {
            const first = fresh();
            const before = manifests();
            const again = fresh();
            assert.deepStrictEqual(again, first);
            assert.deepStrictEqual(manifests(), before, "a cached bundle rewrote its manifest (it was built again)");

            writeFileSync(path.join(dir, "helper.ts"), "export const greeting = 'hello again';\n");
            const changed = fresh();
            assert.notStrictEqual(changed.digest, first.digest);
            assert.match(readFileSync(path.join(changed.dir, "index.js"), "utf8"), /hello again/);
        });
    });
});

describe("asynchronous processing: the sharp layer", () => {
    const rootSharp = JSON.parse(readFileSync(path.join(PROJECT_DIR, "node_modules", "sharp", "package.json"), "utf8"))
        .version as string;

    it("is installed with sharp's linux-arm64 binaries at the version the thumbnailer is tested with", () => {
        assert.strictEqual(sharpLayerProblem(SHARP_LAYER_DIR, rootSharp), undefined);
        const binaries = path.join(SHARP_LAYER_DIR, "node_modules", "@img", "sharp-linux-arm64", "lib");
        const addon = readdirSync(binaries).find((f) => f.endsWith(".node"))!;
        const header = readFileSync(path.join(binaries, addon)).subarray(0, 20);
        // An ELF shared object (e_type 3) for AArch64 (e_machine 183): what Lambda's arm64 runs.
        assert.deepStrictEqual(
            [header.subarray(0, 4).toString("latin1"), header.readUInt16LE(16), header.readUInt16LE(18)],
            ["\x7fELF", 3, 183],
        );
    });

    it("pins in its lockfile the sharp the project's lockfile pins", () => {
        const pinned = (lockfile: string) =>
            JSON.parse(readFileSync(lockfile, "utf8")).packages["node_modules/sharp"].version;
        assert.strictEqual(
            pinned(path.join(SHARP_LAYER_DIR, "package-lock.json")),
            pinned(path.join(PROJECT_DIR, "package-lock.json")),
        );
    });

    it("says what is wrong and how to fix it when missing or at another version", () => {
        const empty = mkdtempSync(path.join(os.tmpdir(), "layer-"));
        try {
            assert.match(sharpLayerProblem(empty, rootSharp)!, /is not installed/);
            mkdirSync(path.join(empty, "node_modules", "sharp"), { recursive: true });
            writeFileSync(
                path.join(empty, "node_modules", "sharp", "package.json"),
                JSON.stringify({ version: "0.1.0" }),
            );
            assert.match(sharpLayerProblem(empty, rootSharp)!, /has no linux-arm64 binaries/);
            mkdirSync(path.join(empty, "node_modules", "@img", "sharp-linux-arm64"), { recursive: true });
            writeFileSync(path.join(empty, "node_modules", "@img", "sharp-linux-arm64", "package.json"), "{}");
            assert.match(
                sharpLayerProblem(empty, rootSharp)!,
                new RegExp(
                    `holds sharp 0\\.1\\.0, but the thumbnailer is built and tested with ${rootSharp.replace(/\./g, "\\.")}`,
                ),
            );
        } finally {
            rmSync(empty, { recursive: true, force: true });
        }
    });
});
