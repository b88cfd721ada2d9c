import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { errorFor, expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith } from "../harness";

describe("observability configuration", () => {
    it("reads the committed stack files, prod meeting every minimum", () => {
        const dev = loadConfig(configWith("dev", {})).observability;
        const prod = loadConfig(configWith("prod", {})).observability;
        assert.deepStrictEqual(
            [dev.trail.name, dev.trail.source, dev.trail.assetsDataEvents, dev.trail.expireAfterDays],
            ["shop-dev-trail", "stack", "none", 365],
        );
        assert.deepStrictEqual(
            [prod.trail.assetsDataEvents, prod.trail.expireAfterDays, prod.guardDuty.minimumSeverity],
            ["writes", 2555, 4],
        );
        assert.deepStrictEqual(dev.guardDuty.features, [
            "S3_DATA_EVENTS",
            "RDS_LOGIN_EVENTS",
            "RUNTIME_MONITORING",
            "EBS_MALWARE_PROTECTION",
            "LAMBDA_NETWORK_LOGS",
        ]);
        assert.strictEqual(dev.webhookUrl, undefined);
        assert.strictEqual(dev.alarms.webErrorRatePercent, 5);
        assert.strictEqual(prod.alarms.webErrorRatePercent, 2);
        assert.deepStrictEqual(
            [dev.budget.monthlyLimitUsd, prod.budget.monthlyLimitUsd, prod.budget.scope],
            [300, 4000, "account"],
        );
    });

    describe("rejects bad values with the key, the value and the fix", () => {
        it("a missing observability section", () =>
            expectProblem("dev", { observability: undefined }, "shop:observability", /is required/));
        it("a missing budget", () =>
            expectProblem("dev", { "observability.budget": undefined }, "shop:observability.budget", /is required/));
        it("a budget that is not a number", () =>
            expectProblem(
                "dev",
                { "observability.budget.monthlyLimitUsd": "lots" },
                "shop:observability.budget.monthlyLimitUsd",
                /must be a number/,
            ));
        it("an unknown GuardDuty feature", () =>
            expectProblem(
                "dev",
                { "observability.guardDuty.features": ["S3_DATA_EVENTS", "MAGIC"] },
                "shop:observability.guardDuty.features",
                /"MAGIC" is not a GuardDuty feature/,
                /RUNTIME_MONITORING/,
            ));
        it("features for a detector the stack does not create", () =>
            expectProblem(
                "dev",
                {
                    "observability.guardDuty.createDetector": false,
                    "observability.guardDuty.features": ["S3_DATA_EVENTS"],
                },
                "shop:observability.guardDuty.features",
                /has no effect: the stack creates no detector/,
            ));
        it("a severity out of range", () =>
            expectProblem(
                "dev",
                { "observability.guardDuty.minimumSeverity": 11 },
                "shop:observability.guardDuty.minimumSeverity",
                /between 1 and 10/,
            ));
        it("an unknown finding frequency", () =>
            expectProblem(
                "dev",
                { "observability.guardDuty.findingPublishingFrequency": "HOURLY" },
                "shop:observability.guardDuty.findingPublishingFrequency",
                /not one of: FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS/,
            ));
        it("Standard-IA earlier than S3 allows", () =>
            expectProblem(
                "dev",
                { "observability.trail.infrequentAccessAfterDays": 10 },
                "shop:observability.trail.infrequentAccessAfterDays",
                /between 30 and 3650/,
            ));
        it("Glacier less than 30 days after Standard-IA", () =>
            expectProblem(
                "dev",
                { "observability.trail.infrequentAccessAfterDays": 60, "observability.trail.archiveAfterDays": 75 },
                "shop:observability.trail.archiveAfterDays",
                /at least 30 days after infrequentAccessAfterDays \(60\)/,
                /90/,
            ));
        it("an expiry before the last transition", () =>
            expectProblem(
                "dev",
                { "observability.trail.expireAfterDays": 90 },
                "shop:observability.trail.expireAfterDays",
                /later than archiveAfterDays \(90\)/,
            ));
        it("a log group for an existing trail while the stack creates its own", () =>
            expectProblem(
                "dev",
                { "observability.trail.existingLogGroupName": "aws-controltower/CloudTrailLogs" },
                "shop:observability.trail.existingLogGroupName",
                /only when the trail source is existing/,
                /source.*existing/,
            ));
        it("an unknown trail source", () =>
            expectProblem(
                "dev",
                { "observability.trail.source": "org" },
                "shop:observability.trail.source",
                /not one of: stack, existing/,
            ));
        it("an unknown data-event scope", () =>
            expectProblem(
                "dev",
                { "observability.trail.assetsDataEvents": "reads" },
                "shop:observability.trail.assetsDataEvents",
                /not one of: none, writes, all/,
            ));
        it("a webhook URL stored in plaintext", () =>
            expectProblem(
                "dev",
                { "observability.alerting.webhookUrl": "https://hooks.example.com/x" },
                "shop:observability.alerting.webhookUrl",
                /stored in plaintext/,
                /--secret/,
            ));
        it("a threshold out of range", () =>
            expectProblem(
                "dev",
                { "observability.alarms.serviceCpuPercent": 150 },
                "shop:observability.alarms.serviceCpuPercent",
                /between 1 and 100/,
            ));
        it("a count threshold that is not whole", () =>
            expectProblem(
                "dev",
                { "observability.alarms.databaseConnections": 10.5 },
                "shop:observability.alarms.databaseConnections",
                /whole number/,
            ));
        it("a misspelt threshold", () =>
            expectProblem(
                "dev",
                { "observability.alarms.cpuPercent": 80 },
                "shop:observability.alarms.cpuPercent",
                /not a known setting of observability.alarms/,
                /serviceCpuPercent/,
            ));
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            { key: "observability.trail.expireAfterDays", value: 180, minimum: /audit logs kept at least 365 days/ },
            {
                key: "observability.guardDuty.minimumSeverity",
                value: 8,
                minimum: /high-severity findings \(7\+\) always alert/,
            },
        ]);
    });

    it("reports every observability problem together", () => {
        const error = errorFor("prod", {
            "observability.alarms.webErrorRatePercent": 0,
            "observability.trail.expireAfterDays": 10,
            "observability.guardDuty.features": ["X"],
        });
        for (const key of ["alarms.webErrorRatePercent", "trail.expireAfterDays", "guardDuty.features"]) {
            assert.ok(
                error.issues.some((i) => i.key === `shop:observability.${key}`),
                key,
            );
        }
    });
});
