// Bundles a Lambda handler (app/functions/<name>/index.ts and everything it imports) into one
// CommonJS file with esbuild, while the program is evaluated. Bundles are cached by content under
// node_modules/.cache/lambda-bundles: a manifest per entry lists the files the last build read,
// and when none of them changed (same bytes, same esbuild, same options) the cached bundle is
// used without starting esbuild. The output is deterministic (paths relative to the project), so
// the archive's hash, and so the function's code, changes only when the code does.
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import * as path from "path";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const BUNDLE_CACHE_DIR = path.join(PROJECT_DIR, "node_modules", ".cache", "lambda-bundles");

/**
 * What the Node.js 22 Lambda runtime provides: the AWS SDK for JavaScript v3's clients. Helper
 * libraries it need not ship (@aws-sdk/rds-signer, which signs the functions' IAM database
 * tokens) are bundled.
 */
export const RUNTIME_PROVIDED = ["@aws-sdk/client-*"];
/**
 * Optional modules the code never loads: pg's native binding, and the SDK's CRT signer (SigV4a,
 * for multi-region access points), which the bundled helper libraries require only inside a try.
 */
export const NEVER_LOADED = ["pg-native", "@aws-sdk/signature-v4-crt"];

export const BUNDLE_OPTIONS = {
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    sourcemap: true,
    // Stack traces map back to the TypeScript (NODE_OPTIONS=--enable-source-maps); the sources
    // themselves stay out of the archive.
    sourcesContent: false,
    legalComments: "none",
} as const;

export interface Bundle {
    /** The directory holding index.js and index.js.map. */
    dir: string;
    /** The files the bundle was built from, relative to the project. */
    inputs: string[];
    /** Digest of the options and of every input's content: the bundle's identity. */
    digest: string;
}

interface Manifest {
    inputs: string[];
    digest: string;
}

/**
 * The bundle of `entry` (relative to the project), with `external` modules left to the runtime
 * (or a layer). Built at most once per process; rebuilt only when an input changed.
 */
export function bundle(entry: string, external: readonly string[] = []): Bundle {
    const salt = JSON.stringify({
        esbuild: esbuildVersion(),
        options: BUNDLE_OPTIONS,
        entry,
        external: [...RUNTIME_PROVIDED, ...NEVER_LOADED, ...external],
    });
    const key = sha1(salt);
    const memo = bundles.get(key);
    if (memo) return memo;

    const manifest = readManifest(path.join(BUNDLE_CACHE_DIR, `${key}.json`));
    const cached =
        manifest &&
        digestOf(salt, manifest.inputs) === manifest.digest &&
        existsSync(path.join(outputDir(manifest.digest), "index.js"))
            ? { dir: outputDir(manifest.digest), inputs: manifest.inputs, digest: manifest.digest }
            : build(entry, external, salt, key);
    bundles.set(key, cached);
    return cached;
}

const bundles = new Map<string, Bundle>();

function build(entry: string, external: readonly string[], salt: string, key: string): Bundle {
    // Loaded only when a bundle must be built: a cached plan never starts esbuild's service.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, by design
    const esbuild = require("esbuild") as typeof import("esbuild");
    const staging = path.join(BUNDLE_CACHE_DIR, `.staging-${process.pid}-${key}`);
    rmSync(staging, { recursive: true, force: true });
    let metafile: import("esbuild").Metafile;
    try {
        ({ metafile } = esbuild.buildSync({
            ...BUNDLE_OPTIONS,
            entryPoints: [entry],
            outfile: path.join(staging, "index.js"),
            external: [...RUNTIME_PROVIDED, ...NEVER_LOADED, ...external],
            absWorkingDir: PROJECT_DIR,
            metafile: true,
            logLevel: "silent",
        }));
    } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw new Error(`bundling ${entry} failed: ${(error as Error).message}`, { cause: error });
    }
    const inputs = Object.keys(metafile.inputs).sort();
    const digest = digestOf(salt, inputs);
    const dir = outputDir(digest);
    try {
        renameSync(staging, dir);
    } catch (error) {
        // Another process built the same bundle first: identical bytes, keep theirs.
        if (!existsSync(dir)) throw error;
        rmSync(staging, { recursive: true, force: true });
    }
    writeAtomically(path.join(BUNDLE_CACHE_DIR, `${key}.json`), JSON.stringify({ inputs, digest } satisfies Manifest));
    return { dir, inputs, digest };
}

const outputDir = (digest: string) => path.join(BUNDLE_CACHE_DIR, digest);

/** The options and every input's bytes; an input that no longer exists makes it differ. */
function digestOf(salt: string, inputs: string[]): string {
    const hash = createHash("sha256").update(salt);
    for (const input of inputs) hash.update(`\0${input}\0`).update(contentDigest(input));
    return hash.digest("hex").slice(0, 32);
}

// Shared modules (zod, pg, Powertools, app/functions/shared) are read once for all bundles.
const contents = new Map<string, string>();
function contentDigest(input: string): string {
    let digest = contents.get(input);
    if (digest === undefined) {
        try {
            digest = sha1(readFileSync(path.join(PROJECT_DIR, input)));
        } catch {
            digest = "missing";
        }
        contents.set(input, digest);
    }
    return digest;
}

function readManifest(file: string): Manifest | undefined {
    try {
        const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
        return Array.isArray(manifest.inputs) && typeof manifest.digest === "string" ? manifest : undefined;
    } catch {
        return undefined;
    }
}

function esbuildVersion(): string {
    return (
        JSON.parse(readFileSync(path.join(PROJECT_DIR, "node_modules", "esbuild", "package.json"), "utf8")) as {
            version: string;
        }
    ).version;
}

/** Write then rename, so a concurrent reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
}

function sha1(data: string | Buffer): string {
    return createHash("sha1").update(data).digest("hex");
}
