import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { drawDiagram } from "../../../../infra/offline/diagram";
import { planOf, PROJECT_DIR, STACKS } from "../../harness";

describe("the diagrams in docs/ (shown in the README)", () => {
    for (const stack of STACKS)
        it(`docs/architecture-${stack}.svg is the ${stack} stack's current plan`, async () => {
            const file = path.join(PROJECT_DIR, "docs", `architecture-${stack}.svg`);
            const committed = readFileSync(file, "utf8");
            assert.ok(
                committed === (await drawDiagram(await planOf(stack))),
                `docs/architecture-${stack}.svg is stale: regenerate it with npm run diagrams`,
            );
        });

    it("are both shown in the README", () => {
        const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        for (const stack of STACKS)
            assert.match(readme, new RegExp(`!\\[[^\\]]+\\]\\(docs/architecture-${stack}\\.svg\\)`));
    });
});
