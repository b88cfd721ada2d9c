import * as assert from "assert";
import { PlanGraph, PlanResource } from "../../../../infra/offline/graph";
import { estimateCost } from "../../../../infra/offline/cost/estimate";
import { PriceBook, PriceFile } from "../../../../infra/offline/cost/price-book";
import { FREE_TYPES, PRICING_RULES } from "../../../../infra/offline/cost/rules";
import { USAGE_DEFAULTS, UsageProfile } from "../../../../infra/offline/cost/usage";
import { configWith, planOf, planWith, STACKS } from "../../harness";

/** A resource of a hand-made graph: inputs, and the resources its inputs came from. */
function resource(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    from: Record<string, PlanResource[]> = {},
): PlanResource {
    const propertyDependencies = Object.fromEntries(Object.entries(from).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
    return {
        urn: `urn:pulumi:test::shop::${type}::${name}`,
        type,
        name,
        custom: true,
        id: `${name}-id`,
        arn: null,
        parent: "urn:pulumi:test::shop::pulumi:pulumi:Stack::shop-test",
        provider: null,
        region: "af-south-1",
        inputs,
        dependencies: Object.values(propertyDependencies).flat(),
        propertyDependencies,
        protect: false,
        ignoreChanges: [],
    };
}

const TEST_PRICES: PriceFile = {
    version: "test",
    currency: "USD",
    hoursPerMonth: 730,
    compiledOn: "2026-01-01",
    compiledBy: "the test",
    sources: {
        test: { title: "round numbers", url: "https://example.com", date: "2026-01-01", verified: true, note: "" },
    },
    instanceVcpus: {},
    prices: {
        global: {},
        "af-south-1": {
            "vpc.natGateway": { usd: 0.05, source: "test" },
            "vpc.natGatewayData": { usd: 0.04, source: "test" },
            "vpc.publicIpv4": { usd: 0.005, source: "test" },
            "rds.auroraPostgresql:db.r6g.large": { usd: 0.3, source: "test" },
            "rds.auroraServerlessV2": { usd: 0.15, source: "test" },
            "kms.key": { usd: 1, source: "test" },
            "secretsmanager.secret": { usd: 0.4, source: "test" },
            "cloudwatch.alarmMetric": { usd: 0.1, source: "test" },
        },
    },
};

const PROFILE: UsageProfile = { ...USAGE_DEFAULTS.dev, natDataGb: 100, storage: { ...USAGE_DEFAULTS.dev.storage } };

describe("the cost estimate", () => {
    describe("of a known configuration, computed by hand", () => {
        const subnet = resource("aws:ec2/subnet:Subnet", "public-a", { availabilityZone: "af-south-1a" });
        const eip = resource("aws:ec2/eip:Eip", "nat-a", { domain: "vpc" });
        const nat = resource("aws:ec2/natGateway:NatGateway", "nat-a", {}, { subnetId: [subnet], allocationId: [eip] });
        const cluster = resource("aws:rds/cluster:Cluster", "db", {
            engine: "aurora-postgresql",
            serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 4 },
        });
        const writer = resource(
            "aws:rds/clusterInstance:ClusterInstance",
            "db-1",
            { engine: "aurora-postgresql", instanceClass: "db.r6g.large" },
            { clusterIdentifier: [cluster] },
        );
        const serverless = resource(
            "aws:rds/clusterInstance:ClusterInstance",
            "db-2",
            { engine: "aurora-postgresql", instanceClass: "db.serverless" },
            { clusterIdentifier: [cluster] },
        );
        const key = resource("aws:kms/key:Key", "data", {});
        const secret = resource("aws:secretsmanager/secret:Secret", "token", {});
        const alarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "errors", {
            period: 60,
            metricQueries: [
                { id: "a", metric: { period: 60 } },
                { id: "b", metric: { period: 60 } },
                { id: "e", expression: "a / b" },
            ],
        });
        const role = resource("aws:iam/role:Role", "role", {});
        const graph: PlanGraph = {
            project: "shop",
            stack: "test",
            region: "af-south-1",
            resources: [subnet, eip, nat, cluster, writer, serverless, key, secret, alarm, role],
            outputs: {},
            violations: [],
        };
        const pricesWithoutStorage = new PriceBook(TEST_PRICES);
        const estimate = estimateCost(graph, PROFILE, pricesWithoutStorage);
        const line = (name: string) =>
            estimate.items.filter((i) => i.name === name).reduce((sum, i) => sum + i.monthlyUsd, 0);

        it("prices each resource by the hour or from the usage profile", () => {
            assert.strictEqual(round(line("nat-a")), round(730 * 0.05 + 100 * 0.04 + 730 * 0.005)); // 40.5 + 3.65
            assert.strictEqual(round(line("db-1")), 219); // 730 h × $0.30
            assert.strictEqual(round(line("db-2")), round(0.5 * 730 * 0.15)); // the minimum ACUs: 54.75
            assert.strictEqual(line("data"), 1);
            assert.strictEqual(line("token"), 0.4);
            assert.strictEqual(round(line("errors")), 0.2); // two metrics in one alarm
        });

        it("totals them: $315.50 fixed and $4.00 from the usage profile", () => {
            assert.strictEqual(round(estimate.fixedUsd), round(36.5 + 3.65 + 219 + 54.75 + 1 + 0.4 + 0.2));
            assert.strictEqual(round(estimate.usageUsd), 4); // the NAT gateway's 100 GB
            assert.strictEqual(round(estimate.totalUsd), 319.5);
        });

        it("lists what it cannot price instead of counting it as zero", () => {
            // The cluster's storage and I/O have no price in this price file.
            assert.deepStrictEqual(
                estimate.unpriced.map((u) => [u.name, u.reason.replace(/:.*: /, ": ")]),
                [
                    ["db", "storage (storage.databaseGb): no price for rds.auroraStorage in af-south-1"],
                    ["db", "I/O requests (databaseIoMillions): no price for rds.auroraIo in af-south-1"],
                ],
            );
            assert.strictEqual(estimate.freeResources, 2, "the subnet and the role cost nothing");
        });
    });

    for (const stack of STACKS) {
        describe(`of the ${stack} stack`, () => {
            it("knows every resource type it creates: priced or explicitly free", async () => {
                const types = new Set((await planOf(stack)).resources.filter((r) => r.custom).map((r) => r.type));
                const unknown = [...types].filter((t) => !PRICING_RULES[t] && FREE_TYPES[t] === undefined);
                assert.deepStrictEqual(
                    unknown,
                    [],
                    "add a pricing rule or a reason it is free (infra/offline/cost/rules/)",
                );
                const both = Object.keys(PRICING_RULES).filter((t) => FREE_TYPES[t] !== undefined);
                assert.deepStrictEqual(both, []);
            });

            it("breaks the total down per component and per resource type, each summing to it", async () => {
                const estimate = estimateCost(await planOf(stack), USAGE_DEFAULTS[stack]);
                const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
                assert.ok(estimate.totalUsd > 0);
                assert.strictEqual(round(sum(estimate.byComponent.map((g) => g.totalUsd))), round(estimate.totalUsd));
                assert.strictEqual(round(sum(estimate.byType.map((g) => g.totalUsd))), round(estimate.totalUsd));
                assert.strictEqual(round(estimate.fixedUsd + estimate.usageUsd), round(estimate.totalUsd));
                for (const group of [...estimate.byComponent, ...estimate.byType])
                    assert.strictEqual(round(group.fixedUsd + group.usageUsd), round(group.totalUsd), group.name);
            });
        });
    }

    describe("of configuration changes, by exactly the resources they add or remove", () => {
        const prices = PriceBook.load();
        const usd = (key: string) => prices.find(key, "af-south-1")?.usd as number;
        const total = async (changes: Record<string, unknown>) =>
            estimateCost(await planWith(configWith("prod", changes)), USAGE_DEFAULTS.prod, prices).totalUsd;
        let base: number;
        before(async () => {
            base = estimateCost(await planOf("prod"), USAGE_DEFAULTS.prod, prices).totalUsd;
        });

        it("network.natStrategy single: two NAT gateways and their addresses fewer (the data they process is the same)", async () => {
            const single = await total({
                "network.natStrategy": "single",
                productionOverrides: ["network.natStrategy"],
            });
            assert.strictEqual(round(base - single), round(2 * 730 * (usd("vpc.natGateway") + usd("vpc.publicIpv4"))));
        });

        it("database.readers 2: one more Aurora instance of the writer's class", async () => {
            const more = await total({ "database.readers": 2, "database.readerAutoScaling.minReaders": 2 });
            assert.strictEqual(round(more - base), round(730 * usd("rds.auroraPostgresql:db.r6g.large")));
        });
    });
});

function round(amount: number): number {
    return Math.round(amount * 100) / 100;
}
