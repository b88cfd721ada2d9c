import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { bundle, PROJECT_DIR } from "./bundle";

/** The thumbnailer's layer: sharp and its prebuilt linux-arm64 binaries (`npm run layers`, run by `npm ci`). */
export const SHARP_LAYER_DIR = path.join(PROJECT_DIR, "app", "layers", "sharp-linux-arm64");
/** Where Lambda's Node.js runtimes look for a layer's modules: /opt/nodejs/node_modules. */
const LAYER_MODULES_PATH = "nodejs/node_modules";

/** The engine resolves asset paths from the program's directory; relative paths keep plans machine-independent. */
const assetPath = (file: string) => path.relative(process.cwd(), file);

/**
 * A handler's deployment package: its bundle (index.js with its source map) and, beside it, any
 * extra directories it reads at run time (e.g. the migrations).
 */
export function handlerArchive(
    entry: string,
    opts: { external?: string[]; directories?: Record<string, string> } = {},
): pulumi.asset.AssetArchive {
    const { dir } = bundle(entry, opts.external);
    const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {
        "index.js": new pulumi.asset.FileAsset(assetPath(path.join(dir, "index.js"))),
        "index.js.map": new pulumi.asset.FileAsset(assetPath(path.join(dir, "index.js.map"))),
    };
    for (const [name, directory] of Object.entries(opts.directories ?? {})) {
        assets[name] = new pulumi.asset.FileArchive(assetPath(path.join(PROJECT_DIR, directory)));
    }
    return new pulumi.asset.AssetArchive(assets);
}

/**
 * The sharp layer's content. Its binaries are for Lambda's arm64 Linux, not this machine, so it is
 * installed apart from the project's own sharp, at the same version the thumbnailer is tested with.
 * Missing or at another version, the program stops here rather than deploy a thumbnailer that
 * cannot load sharp.
 */
export function sharpLayerArchive(): pulumi.asset.AssetArchive {
    const problem = sharpLayerProblem(
        SHARP_LAYER_DIR,
        installedVersion(path.join(PROJECT_DIR, "node_modules", "sharp")),
    );
    if (problem) {
        throw new Error(
            `The thumbnailer's sharp layer ${problem}. Fix: run "npm run layers" (npm ci runs it), which installs it from the npm registry; ` +
                "after an upgrade of the project's sharp, first pin the same version in app/layers/sharp-linux-arm64/package.json (npm install --package-lock-only there).",
        );
    }
    return new pulumi.asset.AssetArchive({
        [LAYER_MODULES_PATH]: new pulumi.asset.FileArchive(assetPath(path.join(SHARP_LAYER_DIR, "node_modules"))),
    });
}

/** Why the layer in `layerDir` cannot serve, or undefined when it holds sharp `expectedVersion` for linux-arm64. */
export function sharpLayerProblem(layerDir: string, expectedVersion: string | undefined): string | undefined {
    const modules = path.join(layerDir, "node_modules");
    const version = installedVersion(path.join(modules, "sharp"));
    if (!version) return `is not installed (${path.relative(PROJECT_DIR, modules)} has no sharp)`;
    if (!existsSync(path.join(modules, "@img", "sharp-linux-arm64", "package.json")))
        return "has no linux-arm64 binaries (@img/sharp-linux-arm64 is missing)";
    if (expectedVersion && version !== expectedVersion)
        return `holds sharp ${version}, but the thumbnailer is built and tested with ${expectedVersion}`;
    return undefined;
}

function installedVersion(packageDir: string): string | undefined {
    try {
        return (JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
    } catch {
        return undefined;
    }
}
