import * as assert from "assert";
import { CATALOGUE } from "../../../../infra/offline/cost/catalogue";
import { filtersFor, priceOf } from "../../../../infra/offline/cost/refresh-prices";

/** A product as the Price List API returns it, with one On-Demand price dimension per price. */
function product(attributes: Record<string, string>, ...prices: { usd: string; unit?: string; beginRange?: string }[]) {
    const priceDimensions = Object.fromEntries(
        prices.map((p, i) => [
            `d${i}`,
            { unit: p.unit ?? "Hrs", beginRange: p.beginRange ?? "0", pricePerUnit: { USD: p.usd } },
        ]),
    );
    return { product: { attributes }, terms: { OnDemand: { term: { priceDimensions } } } };
}

describe("the price refresh (npm run prices:refresh; never run by the tests)", () => {
    it("queries the Price List API with the catalogue's filters and the region", () => {
        assert.deepStrictEqual(filtersFor(CATALOGUE["vpc.natGateway"].query(""), "af-south-1"), [
            { Type: "TERM_MATCH", Field: "productFamily", Value: "NAT Gateway" },
            { Type: "CONTAINS", Field: "usagetype", Value: "NatGateway-Hours" },
            { Type: "TERM_MATCH", Field: "regionCode", Value: "af-south-1" },
        ]);
        assert.ok(!filtersFor(CATALOGUE["waf.webAcl"].query(""), undefined).some((f) => f.Field === "regionCode"));
        assert.ok(
            filtersFor(CATALOGUE["ec2.instance"].query("m5.large"), "us-east-1").some(
                (f) => f.Field === "instanceType" && f.Value === "m5.large",
            ),
        );
    });

    it("takes the one first-tier On-Demand price in the catalogue's unit, with the instance's vCPUs", () => {
        const query = CATALOGUE["ec2.instance"].query("m5.large");
        assert.deepStrictEqual(
            priceOf([product({ vcpu: "2" }, { usd: "0.1270000000" }, { usd: "0.1", beginRange: "500" })], query),
            { usd: 0.127, vcpu: 2 },
        );
        const perMillion = CATALOGUE["sqs.requests"].query("");
        assert.deepStrictEqual(priceOf([product({}, { usd: "0.0000004", unit: "Requests" })], perMillion), {
            usd: 0.4,
            vcpu: undefined,
        });
    });

    it("refuses a query that finds no price or several different ones", () => {
        const query = CATALOGUE["vpc.natGateway"].query("");
        assert.strictEqual(priceOf([], query), "no On-Demand price found");
        assert.match(
            priceOf([product({}, { usd: "0.045" }), product({}, { usd: "0.06" })], query) as string,
            /^2 different prices \(0\.045, 0\.06\): narrow the query/,
        );
    });
});
