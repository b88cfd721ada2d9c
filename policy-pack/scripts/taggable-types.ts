/**
 * Regenerates policies/taggable-types.json: the type tokens of every @pulumi/aws resource that
 * takes tags (its declaration has `tagsAll`, the tags merged with the provider's default tags).
 *   node --require ./infra/offline/ts-loader.js policy-pack/scripts/taggable-types.ts
 * A test compares the file with the installed @pulumi/aws, so an upgrade that adds taggable
 * types fails until the file is regenerated.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";

export function taggableTypes(awsDir: string): string[] {
    const tokens: string[] = [];
    for (const module of readdirSync(awsDir, { withFileTypes: true })) {
        if (!module.isDirectory() || module.name === "node_modules" || module.name === "types") continue;
        for (const file of readdirSync(path.join(awsDir, module.name))) {
            if (!file.endsWith(".d.ts")) continue;
            const declaration = readFileSync(path.join(awsDir, module.name, file), "utf8");
            if (!declaration.includes("readonly tagsAll:")) continue;
            const js = path.join(awsDir, module.name, file.replace(/\.d\.ts$/, ".js"));
            const token = existsSync(js) ? /__pulumiType = '([^']+)'/.exec(readFileSync(js, "utf8"))?.[1] : undefined;
            if (token) tokens.push(token);
        }
    }
    return [...new Set(tokens)].sort();
}

export const TAGGABLE_TYPES_FILE = path.join(__dirname, "..", "policies", "taggable-types.json");

if (require.main === module) {
    const awsDir = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const tokens = taggableTypes(awsDir);
    writeFileSync(TAGGABLE_TYPES_FILE, `${JSON.stringify(tokens, null, 1)}\n`);
    console.log(`Wrote ${tokens.length} taggable types to ${TAGGABLE_TYPES_FILE}`);
}
