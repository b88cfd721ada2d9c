import * as assert from "assert";
import { readFileSync } from "fs";
import { CATALOGUE, parsePriceKey } from "../../../../infra/offline/cost/catalogue";
import { PRICE_FILE, PriceFile } from "../../../../infra/offline/cost/price-book";

describe("the price data file (infra/offline/cost/prices.json)", () => {
    const file = JSON.parse(readFileSync(PRICE_FILE, "utf8")) as PriceFile;

    it("records its version, date and how it was compiled", () => {
        assert.match(file.version, /^\d{4}-\d{2}-\d{2}\.\d+$/);
        assert.match(file.compiledOn, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(file.compiledBy.length > 0);
        assert.strictEqual(file.hoursPerMonth, 730);
    });

    it("gives every price a source with its address and date", () => {
        for (const source of Object.values(file.sources)) {
            assert.match(source.url, /^https:\/\//);
            assert.match(source.date, /^\d{4}-\d{2}-\d{2}$/);
            assert.strictEqual(typeof source.verified, "boolean");
        }
        for (const [section, prices] of Object.entries(file.prices))
            for (const [key, entry] of Object.entries(prices)) {
                assert.ok(file.sources[entry.source], `${section} ${key}: unknown source ${entry.source}`);
                assert.ok(
                    entry.usd > 0,
                    `${section} ${key}: a price must be positive (a free resource type is listed as free, not priced at 0)`,
                );
            }
    });

    it("holds catalogue keys only, global ones in the global section, for af-south-1 and us-east-1", () => {
        assert.deepStrictEqual(Object.keys(file.prices).sort(), ["af-south-1", "global", "us-east-1"]);
        for (const [section, prices] of Object.entries(file.prices))
            for (const key of Object.keys(prices)) {
                const definition = CATALOGUE[parsePriceKey(key).name];
                assert.ok(definition, `${section} ${key}: not in the catalogue`);
                assert.strictEqual(
                    definition.scope === "global",
                    section === "global",
                    `${section} ${key}: scope ${definition.scope}`,
                );
            }
    });

    it("prices the same regional keys in both regions", () => {
        assert.deepStrictEqual(
            Object.keys(file.prices["af-south-1"]).sort(),
            Object.keys(file.prices["us-east-1"]).sort(),
        );
    });
});
