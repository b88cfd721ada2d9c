import * as assert from "assert";
import { loadConfig } from "../../../../infra/config";
import { readUsageProfile, USAGE_DEFAULTS, UsageProfileError } from "../../../../infra/offline/cost/usage";
import { configWith } from "../../harness";

describe("the cost usage profile (cost.usage)", () => {
    it("takes the environment's defaults for what the stack file does not set", () => {
        assert.deepStrictEqual(readUsageProfile(configWith("dev", {})), USAGE_DEFAULTS.dev);
        const prod = readUsageProfile(configWith("prod", {}));
        assert.strictEqual(prod.ordersPerMonth, 30_000, "set in Pulumi.prod.yaml");
        assert.strictEqual(prod.natDataGb, USAGE_DEFAULTS.prod.natDataGb, "a default");
        assert.strictEqual(
            readUsageProfile(configWith("prod", { cost: undefined })).ordersPerMonth,
            USAGE_DEFAULTS.prod.ordersPerMonth,
        );
    });

    it("reads storage fields and numbers given as text", () => {
        const profile = readUsageProfile(
            configWith("dev", { "cost.usage.storage.assetsGb": 42, "cost.usage.dataOutGb": "12.5" }),
        );
        assert.deepStrictEqual([profile.storage.assetsGb, profile.dataOutGb], [42, 12.5]);
    });

    it("rejects unknown fields and bad values, naming each key and the fix", () => {
        const read = () =>
            readUsageProfile(
                configWith("dev", {
                    "cost.usage.ordersPerMonth": -1,
                    "cost.usage.cacheHitRatio": 2,
                    "cost.usage.requestsPerMonth": "lots",
                    "cost.usage.ordres": 5,
                    "cost.usage.storage.tapeGb": 1,
                    "cost.budget": 5,
                }),
            );
        assert.throws(read, (err: unknown) => {
            assert.ok(err instanceof UsageProfileError);
            const lines = err.message.split("\n");
            assert.strictEqual(lines[0], 'Invalid cost usage profile for stack "dev":');
            assert.match(err.message, /shop:cost\.budget is not a setting; remove it/);
            assert.match(
                err.message,
                /shop:cost\.usage\.ordersPerMonth = -1 must be a whole number from 0 to 10000000000; fix: pulumi config set --path 'cost\.usage\.ordersPerMonth' <value>/,
            );
            assert.match(err.message, /shop:cost\.usage\.cacheHitRatio = 2 must be a number from 0 to 1/);
            assert.match(err.message, /shop:cost\.usage\.requestsPerMonth = "lots" must be a whole number/);
            assert.match(err.message, /shop:cost\.usage\.ordres is not a usage field; use one of: requestsPerMonth, /);
            assert.match(err.message, /shop:cost\.usage\.storage\.tapeGb is not a storage field/);
            return true;
        });
    });

    it("is not rejected by the program's check for unknown keys (the program does not read it)", () => {
        assert.doesNotThrow(() => loadConfig(configWith("prod", {})));
    });
});
