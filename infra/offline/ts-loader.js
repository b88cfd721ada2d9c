// A minimal TypeScript loader for the offline plan, the tests and the benchmarks: it compiles
// only this project's .ts files (with esbuild, types stripped, no type check; `npm run typecheck`
// does that) and leaves every .js file of node_modules to Node. General-purpose loaders hook
// every module load, which costs more than half a second over @pulumi/pulumi's 1,400 modules.
//
// Compiled output is cached by content in node_modules/.cache/ts-loader: each esbuild call is a
// round trip to its service process, which over a hundred files is a quarter of a second.
"use strict";
const { createHash } = require("crypto");
const { mkdirSync, readFileSync, writeFileSync, renameSync } = require("fs");
const path = require("path");

const OPTIONS = { loader: "ts", format: "cjs", target: "node20", sourcemap: "inline" };
const NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");
const CACHE_DIR = path.join(NODE_MODULES, ".cache", "ts-loader");
// The version from its package.json: esbuild itself is loaded only on a cache miss, so a warm run
// never pays for loading it.
const ESBUILD_VERSION = JSON.parse(readFileSync(path.join(NODE_MODULES, "esbuild", "package.json"), "utf8")).version;
const SALT = `${ESBUILD_VERSION}|${JSON.stringify(OPTIONS)}`;

function compile(source, filename) {
    const key = createHash("sha1").update(SALT).update(filename).update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return readFileSync(cached, "utf8");
    } catch {
        // Not compiled yet (or the cache was cleared).
    }
    // Mapped stack traces with `node --enable-source-maps` (the tests turn it on).
    const { code } = require("esbuild").transformSync(source, { ...OPTIONS, sourcefile: filename });
    try {
        mkdirSync(CACHE_DIR, { recursive: true });
        // Write then rename, so a concurrent reader never sees half a file.
        const temporary = `${cached}.${process.pid}.tmp`;
        writeFileSync(temporary, code);
        renameSync(temporary, cached);
    } catch {
        // A read-only checkout still runs, only without the cache.
    }
    return code;
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
    module._compile(compile(readFileSync(filename, "utf8"), filename), filename);
};
