import * as assert from "assert";
import { Cache, CacheArgs, CACHE_PORT } from "../../../infra/cache/cache";
import { loadConfig } from "../../../infra/config";
import {
    dailyOverlapsWeekly,
    ELASTICACHE_MIN_WINDOW_MINUTES,
    parseDailyWindow,
    parseWeeklyWindow,
    Window,
} from "../../../infra/config/windows";
import { PlanResource } from "../../../infra/offline/graph";
import { WORKLOADS } from "../../../infra/workloads";
import { expectConstructionError } from "../expect";
import { configWith, Graph, graphOf, STACKS } from "../harness";

for (const stack of STACKS) {
    const config = loadConfig(configWith(stack, {}));

    describe(`cache: Valkey replication group (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const group = () => g.one("aws:elasticache/replicationGroup:ReplicationGroup");
        const keyOf = (purpose: string) =>
            g.sources(
                g
                    .ofType("aws:kms/alias:Alias")
                    .find((a) => a.inputs.name === `alias/shop-${stack}-${purpose}`) as PlanResource,
                "targetKeyId",
            )[0];
        const layerOf = (subnet: PlanResource) => (subnet.inputs.tags as Record<string, string>).Layer;
        const cacheGroup = () => g.sources(group(), "securityGroupIds")[0];

        it("is one component that parents the group and everything around it", () => {
            const component = g.one("shop:cache:Cache");
            for (const type of [
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:elasticache/subnetGroup:SubnetGroup",
                "aws:elasticache/parameterGroup:ParameterGroup",
                "aws:secretsmanager/secret:Secret",
                "aws:cloudwatch/logGroup:LogGroup",
            ]) {
                assert.ok(
                    g.under(component).some((r) => r.type === type),
                    `${type} is not under the cache component`,
                );
            }
        });

        it("lives in the isolated subnets of every zone", () => {
            const subnetGroup = g.sources(group(), "subnetGroupName")[0];
            assert.strictEqual(subnetGroup.type, "aws:elasticache/subnetGroup:SubnetGroup");
            const subnets = g.sources(subnetGroup, "subnetIds");
            assert.ok(
                subnets.every((s) => layerOf(s) === "isolated"),
                "data stores stay in the isolated layer",
            );
            assert.deepStrictEqual(
                subnets.map((s) => s.inputs.availabilityZone).sort(),
                [...config.stack.availabilityZones].sort(),
            );
        });

        it("runs Valkey with a parameter group of the engine's family", () => {
            const rg = group().inputs;
            assert.deepStrictEqual([rg.engine, rg.engineVersion], ["valkey", config.cache.engineVersion]);
            const parameters = g.sources(group(), "parameterGroupName")[0];
            assert.strictEqual(parameters.inputs.family, `valkey${config.cache.engineVersion.split(".")[0]}`);
            assert.deepStrictEqual(parameters.inputs.parameters, [{ name: "maxmemory-policy", value: "volatile-lru" }]);
            assert.strictEqual(rg.port, CACHE_PORT);
            assert.strictEqual(rg.autoMinorVersionUpgrade, true);
        });

        it("encrypts at rest with the data key and requires TLS and an AUTH token in transit", () => {
            const rg = group().inputs;
            assert.strictEqual(rg.atRestEncryptionEnabled, true);
            assert.ok(g.sources(group(), "kmsKeyId").includes(keyOf("data")));
            assert.deepStrictEqual([rg.transitEncryptionEnabled, rg.transitEncryptionMode], [true, "required"]);
            const token = g.sources(group(), "authToken")[0];
            assert.strictEqual(token.type, "random:index/randomPassword:RandomPassword");
            // AUTH tokens: 16-128 printable characters; the only symbols allowed are !&#$^<>-.
            assert.ok((token.inputs.length as number) >= 16 && (token.inputs.length as number) <= 128);
            assert.strictEqual(token.inputs.special, false);
            assert.match(String(rg.authToken), /^[A-Za-z0-9!&#$^<>-]{16,128}$/);
            assert.strictEqual(rg.authTokenUpdateStrategy, "ROTATE");
        });

        it("pairs Multi-AZ with automatic failover and at least two nodes, each node in a configured zone", () => {
            for (const rg of g.ofType("aws:elasticache/replicationGroup:ReplicationGroup")) {
                const { multiAzEnabled, automaticFailoverEnabled, numCacheClusters } = rg.inputs as Record<string, any>;
                if (multiAzEnabled) assert.ok(automaticFailoverEnabled, "Multi-AZ requires automatic failover");
                if (automaticFailoverEnabled) assert.ok(numCacheClusters >= 2, "failover needs a replica");
                const zones = rg.inputs.preferredCacheClusterAzs as string[];
                assert.strictEqual(zones.length, numCacheClusters, "ElastiCache wants one zone per node");
                assert.ok(zones.every((z) => config.stack.availabilityZones.includes(z)));
                if (multiAzEnabled) assert.ok(new Set(zones).size >= 2, "Multi-AZ nodes sit in different zones");
            }
            const rg = group().inputs;
            if (stack === "prod")
                assert.deepStrictEqual(
                    [rg.multiAzEnabled, rg.automaticFailoverEnabled, (rg.numCacheClusters as number) >= 2],
                    [true, true, true],
                );
            else
                assert.deepStrictEqual(
                    [rg.multiAzEnabled, rg.automaticFailoverEnabled, rg.numCacheClusters],
                    [false, false, 1],
                );
        });

        it("keeps daily snapshots in a window that does not overlap maintenance", () => {
            const rg = group().inputs;
            assert.strictEqual(rg.snapshotRetentionLimit, config.cache.snapshotRetentionDays);
            if (stack === "prod") assert.ok((rg.snapshotRetentionLimit as number) >= 7);
            const snapshot = parseDailyWindow(String(rg.snapshotWindow), ELASTICACHE_MIN_WINDOW_MINUTES);
            const maintenance = parseWeeklyWindow(String(rg.maintenanceWindow), ELASTICACHE_MIN_WINDOW_MINUTES);
            assert.ok(typeof snapshot !== "string" && typeof maintenance !== "string");
            assert.ok(!dailyOverlapsWeekly(snapshot, maintenance), "ElastiCache refuses overlapping windows");
            assert.strictEqual(rg.finalSnapshotIdentifier, stack === "prod" ? "shop-prod-cache-final" : undefined);
        });

        it("names the group within ElastiCache's id rules", () => {
            assert.match(String(group().inputs.replicationGroupId), /^(?=.{1,40}$)[a-z](-?[a-z0-9])*$/);
        });

        it("delivers slow and engine logs to encrypted log groups with retention", () => {
            const deliveries = group().inputs.logDeliveryConfigurations as Record<string, string>[];
            assert.deepStrictEqual(deliveries.map((d) => d.logType).sort(), ["engine-log", "slow-log"]);
            const logGroups = g.sources(group(), "logDeliveryConfigurations");
            assert.strictEqual(logGroups.length, 2);
            for (const delivery of deliveries) {
                assert.strictEqual(delivery.destinationType, "cloudwatch-logs");
                const logGroup = logGroups.find((l) => l.inputs.name === delivery.destination) as PlanResource;
                assert.ok(logGroup, `no log group ${delivery.destination}`);
                assert.strictEqual(logGroup.inputs.retentionInDays, config.stack.logRetentionDays);
                assert.ok(g.sources(logGroup, "kmsKeyId").includes(keyOf("logs")));
            }
        });

        it("admits its port only from the web servers, every service and every VPC function", () => {
            const ingress = g
                .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .filter((r) => g.sources(r, "securityGroupId").includes(cacheGroup()));
            const sources = ingress.map((r) => {
                assert.deepStrictEqual(
                    [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort],
                    ["tcp", CACHE_PORT, CACHE_PORT],
                );
                assert.strictEqual(r.inputs.cidrIpv4, undefined);
                const [source] = g.sources(r, "referencedSecurityGroupId");
                return (source.inputs.tags as Record<string, string>).Workload;
            });
            assert.deepStrictEqual(
                sources.sort(),
                WORKLOADS.filter((w) => w === "web" || w.startsWith("svc-") || w.startsWith("fn-")).sort(),
            );
            const egress = g
                .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                .filter((r) => g.sources(r, "securityGroupId").includes(cacheGroup()));
            assert.strictEqual(egress.length, 0, "the cache opens no connections");
        });

        it("publishes the AUTH token and endpoints in a Secrets Manager secret under the data key", () => {
            const secret = g.one("aws:secretsmanager/secret:Secret", "cache-auth");
            assert.ok(g.sources(secret, "kmsKeyId").includes(keyOf("data")));
            assert.strictEqual(secret.inputs.recoveryWindowInDays, config.stack.keyDeletionWindowDays);
            // A name ending in a hyphen and six characters is confused with the ARN's random suffix.
            assert.doesNotMatch(String(secret.inputs.name), /-[A-Za-z0-9]{6}$/);
            const version = g
                .ofType("aws:secretsmanager/secretVersion:SecretVersion")
                .find((v) => g.sources(v, "secretId").includes(secret)) as PlanResource;
            const value = JSON.parse(String(version.inputs.secretString));
            assert.strictEqual(value.authToken, group().inputs.authToken);
            assert.deepStrictEqual([value.port, value.tls], [CACHE_PORT, true]);
            assert.match(value.primaryEndpoint, /\.cache\.amazonaws\.com$/);
        });

        it("exports the primary and reader endpoints and the secret's ARN", () => {
            const outputs = g.plan.outputs;
            assert.match(String(outputs.cachePrimaryEndpoint), /^master\./);
            assert.match(String(outputs.cacheReaderEndpoint), /^replica\./);
            assert.match(String(outputs.cacheAuthSecretArn), /^arn:aws:secretsmanager:af-south-1:\d{12}:secret:shop-/);
        });
    });
}

describe("maintenance and snapshot windows", () => {
    const daily = (text: string) => parseDailyWindow(text, ELASTICACHE_MIN_WINDOW_MINUTES) as Window;
    const weekly = (text: string) => parseWeeklyWindow(text, ELASTICACHE_MIN_WINDOW_MINUTES) as Window;

    it("finds overlaps on any day, across midnight and across the week's end", () => {
        assert.ok(dailyOverlapsWeekly(daily("02:00-03:00"), weekly("wed:02:30-wed:03:30")));
        assert.ok(
            dailyOverlapsWeekly(daily("23:30-00:30"), weekly("tue:00:00-tue:01:00")),
            "daily window over midnight",
        );
        assert.ok(
            dailyOverlapsWeekly(daily("00:00-01:00"), weekly("sat:23:30-sun:00:30")),
            "weekly window over the week's end",
        );
        assert.ok(!dailyOverlapsWeekly(daily("22:00-23:00"), weekly("mon:00:30-mon:01:30")));
        assert.ok(
            !dailyOverlapsWeekly(daily("03:00-04:00"), weekly("sun:04:00-sun:05:00")),
            "touching windows do not overlap",
        );
    });

    it("rejects malformed and short windows", () => {
        assert.match(String(parseDailyWindow("2am-3am", ELASTICACHE_MIN_WINDOW_MINUTES)), /hh24:mi-hh24:mi/);
        assert.match(
            String(parseWeeklyWindow("sunday:01:00-sunday:02:00", ELASTICACHE_MIN_WINDOW_MINUTES)),
            /ddd:hh24:mi/,
        );
        assert.match(
            String(parseDailyWindow("01:00-01:30", ELASTICACHE_MIN_WINDOW_MINUTES)),
            /lasts 30 minutes; AWS requires at least 60/,
        );
        assert.match(
            String(parseWeeklyWindow("sun:23:30-mon:00:00", ELASTICACHE_MIN_WINDOW_MINUTES)),
            /lasts 30 minutes/,
        );
    });
});

describe("the Cache component rejects contradictory arguments", () => {
    const base: CacheArgs = {
        namePrefix: "shop-dev",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        zones: ["af-south-1a", "af-south-1b"],
        clientSecurityGroups: { web: "sg-1" },
        engineVersion: "8.1",
        nodeType: "cache.t3.micro",
        nodes: 2,
        multiAz: true,
        automaticFailover: true,
        snapshotRetentionDays: 1,
        snapshotWindow: "22:00-23:00",
        maintenanceWindow: "mon:00:30-mon:01:30",
        finalSnapshot: false,
        dataKeyArn: "arn:aws:kms:af-south-1:111111111111:key/1",
        logsKeyArn: "arn:aws:kms:af-south-1:111111111111:key/2",
        logRetentionDays: 30,
        secretRecoveryWindowDays: 7,
    };
    const cases: [string, Partial<CacheArgs>, RegExp][] = [
        [
            "automatic failover with a single node",
            { nodes: 1, multiAz: false },
            /automaticFailover needs a replica to promote, but nodes is 1/,
        ],
        ["Multi-AZ without automatic failover", { automaticFailover: false }, /multiAz requires automaticFailover/],
        [
            "Multi-AZ in a single zone",
            { zones: ["af-south-1a"], subnetIds: ["subnet-a"] },
            /Multi-AZ needs subnets in at least 2 zones/,
        ],
        ["no clients", { clientSecurityGroups: {} }, /clientSecurityGroups is empty/],
        ["an id ElastiCache refuses", { namePrefix: "shop--dev" }, /replication group id "shop--dev-cache"/],
    ];
    for (const [what, change, message] of cases) {
        it(what, () => expectConstructionError(() => new Cache("cache", { ...base, ...change }), message));
    }
});
