import * as assert from "assert";
import { ConfigError, loadConfig } from "../../../infra/config";
import { EvaluationError } from "../../../infra/offline/evaluate";
import { errorFor, expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith, planWith } from "../harness";

describe("stack configuration", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`accepts the ${stack} stack file as committed`, () => {
            const config = loadConfig(configWith(stack, {}));
            assert.strictEqual(config.stack.environment, stack);
            assert.strictEqual(config.stack.region, "af-south-1");
        });
    }

    it("defaults the region to af-south-1", () => {
        assert.strictEqual(loadConfig(configWith("dev", { "aws:region": undefined })).stack.region, "af-south-1");
    });

    it("lays out three layers per zone inside the VPC, reserving a slot for every zone of the region", () => {
        const dev = loadConfig(configWith("dev", {}));
        assert.deepStrictEqual(
            dev.network.subnets.map((s) => `${s.layer} ${s.zone} ${s.cidr}`),
            [
                "public af-south-1a 10.10.48.0/24",
                "public af-south-1b 10.10.49.0/24",
                "private af-south-1a 10.10.0.0/20",
                "private af-south-1b 10.10.16.0/20",
                "isolated af-south-1a 10.10.51.0/24",
                "isolated af-south-1b 10.10.52.0/24",
            ],
        );
        // Adding zone c later leaves a and b where they are.
        const three = loadConfig(
            configWith("dev", { availabilityZones: ["af-south-1a", "af-south-1b", "af-south-1c"] }),
        );
        for (const subnet of dev.network.subnets) {
            assert.ok(
                three.network.subnets.some(
                    (s) => s.zone === subnet.zone && s.layer === subnet.layer && s.cidr === subnet.cidr,
                ),
            );
        }
    });

    describe("rejects bad values with the key, the value and the fix", () => {
        const cidrCases: [string, RegExp][] = [
            ["10.0.0.0/33", /not an IPv4 CIDR|prefix length/],
            ["banana", /not an IPv4 CIDR/],
            ["10.0.300.0/16", /octet is above 255/],
            ["10.20.0.1/16", /host bits are set \(the network address is 10\.20\.0\.0\/16\)/],
            ["10.0.0.0/8", /from \/16 to \/28/],
            ["8.8.0.0/16", /not a private range/],
            ["10.20.0.0/20", /cannot hold 3 zone slots of af-south-1/],
        ];
        for (const [cidr, problem] of cidrCases) {
            it(`network.vpcCidr ${cidr}`, () =>
                expectProblem(
                    "prod",
                    { "network.vpcCidr": cidr },
                    "shop:network.vpcCidr",
                    problem,
                    /pulumi config set|larger block/,
                ));
        }

        it("subnet sizes that do not fit the VPC", () =>
            expectProblem(
                "dev",
                { "network.subnetPrefixLengths": { public: 24, private: 17, isolated: 24 } },
                "shop:network.vpcCidr",
                /cannot hold/,
            ));
        it("a subnet prefix out of range", () =>
            expectProblem(
                "dev",
                { "network.subnetPrefixLengths": { private: 30 } },
                "shop:network.subnetPrefixLengths.private",
                /between 16 and 28/,
            ));
        it("a zone outside the region", () =>
            expectProblem(
                "dev",
                { availabilityZones: ["af-south-1a", "eu-west-1a"] },
                "shop:availabilityZones",
                /"eu-west-1a" is not a zone of af-south-1/,
            ));
        it("a zone the region does not have", () =>
            expectProblem(
                "dev",
                { availabilityZones: ["af-south-1a", "af-south-1d"] },
                "shop:availabilityZones",
                /not a zone of af-south-1/,
            ));
        it("a duplicate zone", () =>
            expectProblem(
                "dev",
                { availabilityZones: ["af-south-1a", "af-south-1a"] },
                "shop:availabilityZones",
                /af-south-1a more than once/,
            ));
        it("a single zone", () =>
            expectProblem(
                "dev",
                { availabilityZones: ["af-south-1a"] },
                "shop:availabilityZones",
                /at least 2 required/,
            ));
        it("zones that are not a list", () =>
            expectProblem("dev", { availabilityZones: "af-south-1a" }, "shop:availabilityZones", /list of strings/));
        it("an unknown region", () =>
            expectProblem(
                "dev",
                { "aws:region": "mars-north-1" },
                "aws:region",
                /not a region this program knows/,
                /af-south-1/,
            ));
        it("an unknown NAT strategy", () =>
            expectProblem(
                "dev",
                { "network.natStrategy": "two" },
                "shop:network.natStrategy",
                /not one of: one-per-az, single/,
            ));
        it("an unknown environment", () =>
            expectProblem("dev", { environment: "qa" }, "shop:environment", /not one of: dev, staging, prod/));
        it("an unknown data classification", () =>
            expectProblem(
                "dev",
                { "tags.dataClassification": "secret" },
                "shop:tags.dataClassification",
                /not one of/,
            ));
        it("a retention CloudWatch does not offer", () =>
            expectProblem(
                "dev",
                { logRetentionDays: 45 },
                "shop:logRetentionDays",
                /not a retention period/,
                /30, 60/,
            ));
        it("a retention out of range", () =>
            expectProblem("dev", { logRetentionDays: 0 }, "shop:logRetentionDays", /between 1 and 3653/));
        it("a count that is not a number", () =>
            expectProblem("dev", { logRetentionDays: "a month" }, "shop:logRetentionDays", /whole number/));
        it("a key deletion window out of range", () =>
            expectProblem("dev", { keyDeletionWindowDays: 5 }, "shop:keyDeletionWindowDays", /between 7 and 30/));
        it("a malformed account id", () => expectProblem("dev", { accountId: "1234" }, "shop:accountId", /12-digit/));
        it("a missing required key", () =>
            expectProblem("dev", { accountId: undefined }, "shop:accountId", /is required/, /123456789012/));
        it("a malformed e-mail address", () =>
            expectProblem("dev", { alertEmail: "oncall" }, "shop:alertEmail", /e-mail address/));
        it("a malformed hosted zone id", () =>
            expectProblem("prod", { "domain.hostedZoneId": "zone-1" }, "shop:domain.hostedZoneId", /hosted zone id/));
        it("a boolean that is not one", () =>
            expectProblem(
                "dev",
                { "network.interfaceEndpoints": "yes" },
                "shop:network.interfaceEndpoints",
                /true or false/,
            ));
        it("a misspelt key", () =>
            expectProblem("dev", { logRetentionDay: 30 }, "shop:logRetentionDay", /not a setting of this program/));
        it("a misspelt field of a structured key", () =>
            expectProblem(
                "dev",
                { "network.vpcCIDR": "10.0.0.0/16" },
                "shop:network.vpcCIDR",
                /not a known setting of network/,
                /vpcCidr/,
            ));
        it("a structured key that is not an object", () =>
            expectProblem("dev", { network: "10.0.0.0/16" }, "shop:network", /must be an object/));
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            {
                key: "availabilityZones",
                value: ["af-south-1a", "af-south-1b"],
                minimum: /at least 3 availability zones/,
            },
            { key: "network.natStrategy", value: "single", minimum: /NAT gateway in every zone/ },
            { key: "deletionProtection", value: false, minimum: /deletion protection on/ },
            { key: "logRetentionDays", value: 30, minimum: /at least 365 days/ },
            { key: "keyDeletionWindowDays", value: 7, minimum: /30 days/ },
        ]);

        it("rejects an override that names a key without a minimum", () =>
            expectProblem(
                "prod",
                { productionOverrides: ["natStrategy"] },
                "shop:productionOverrides",
                /"natStrategy", which has no production minimum/,
                /network\.natStrategy/,
            ));
    });

    it("reports every problem together in one message", () => {
        const error = errorFor("prod", {
            accountId: "x",
            "network.vpcCidr": "nope",
            "network.natStrategy": "none",
            availabilityZones: ["af-south-1a", "af-south-1a"],
            logRetentionDays: 45,
        });
        assert.ok(error.issues.length >= 5, error.message);
        assert.match(error.message, /^Invalid configuration for stack "prod" \(\d+ problems\):/);
        for (const key of [
            "accountId",
            "network.vpcCidr",
            "network.natStrategy",
            "availabilityZones",
            "logRetentionDays",
        ]) {
            assert.ok(error.message.includes(`shop:${key} = `), `${key} missing from:\n${error.message}`);
        }
    });

    it("fails before any resource is registered", async () => {
        const failure = await planWith(configWith("prod", { "network.vpcCidr": "10.0.0.0/33", accountId: "x" })).then(
            () => assert.fail("the plan should fail"),
            (err: unknown) => err,
        );
        assert.ok(failure instanceof EvaluationError, String(failure));
        assert.ok(failure.cause instanceof ConfigError);
        assert.deepStrictEqual(
            failure.graph.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });
});
