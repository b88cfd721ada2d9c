// A minimal TypeScript loader for the offline plan, the tests and the benchmarks: it compiles
// only this project's .ts files (with esbuild, types stripped, no type check; `npm run typecheck`
// does that) and leaves every .js file of node_modules to Node. General-purpose loaders hook
// every module load, which costs more than half a second over @pulumi/pulumi's 1,400 modules.
"use strict";
const { readFileSync } = require("fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = function compileTypeScript(module, filename) {
    const { code } = transformSync(readFileSync(filename, "utf8"), {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcefile: filename,
        // Mapped stack traces with `node --enable-source-maps` (the tests turn it on).
        sourcemap: "inline",
    });
    module._compile(code, filename);
};
