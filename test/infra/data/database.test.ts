import * as assert from "assert";
import {
    CA_CERTIFICATES,
    instanceClassProblem,
    isPerformanceInsightsRetention,
    rdsIdentifierProblem,
} from "../../../infra/data/aurora-postgresql";
import { RELOADABLE_PARAMETERS } from "../../../infra/data/cluster-parameters";
import { Database, DatabaseArgs } from "../../../infra/data/database";
import { ENHANCED_MONITORING_POLICY_ARN } from "../../../infra/data/monitoring-role";
import { loadConfig } from "../../../infra/config";
import {
    dailyOverlapsWeekly,
    parseDailyWindow,
    parseWeeklyWindow,
    RDS_MIN_WINDOW_MINUTES,
    Window,
} from "../../../infra/config/windows";
import { EvaluationError } from "../../../infra/offline/evaluate";
import { PlanResource } from "../../../infra/offline/graph";
import { functionWorkload, serviceWorkload, SERVICES, VPC_FUNCTIONS } from "../../../infra/workloads";
import { errorFor, expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith, Graph, graphOf, planWith, STACKS } from "../harness";

const ZONES = { dev: ["af-south-1a", "af-south-1b"], prod: ["af-south-1a", "af-south-1b", "af-south-1c"] };
const ACCOUNT = { dev: "111111111111", prod: "222222222222" };
const DATABASE_CLIENTS = [...SERVICES.map(serviceWorkload), ...VPC_FUNCTIONS.map(functionWorkload)].sort();
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

for (const stack of STACKS) {
    const prod = stack === "prod";

    describe(`data tier: Aurora PostgreSQL (${stack})`, () => {
        let g: Graph;
        let cluster: PlanResource;
        let instances: PlanResource[];
        before(async () => {
            g = await graphOf(stack);
            cluster = g.one("aws:rds/cluster:Cluster");
            instances = g.ofType("aws:rds/clusterInstance:ClusterInstance");
        });

        /** The KMS key behind the alias of a purpose. */
        const keyOf = (purpose: string) => {
            const alias = g
                .ofType("aws:kms/alias:Alias")
                .find((a) => a.inputs.name === `alias/shop-${stack}-${purpose}`);
            assert.ok(alias, `no alias for the ${purpose} key`);
            return g.sources(alias, "targetKeyId")[0];
        };
        const only = (resource: PlanResource, property: string) => {
            const sources = g.sources(resource, property);
            assert.strictEqual(
                sources.length,
                1,
                `${resource.name}.${property} comes from ${sources.length} resources`,
            );
            return sources[0];
        };

        it("is one shop:data:Database component holding every database resource", () => {
            const component = g.one("shop:data:Database");
            const types = [
                "aws:rds/cluster:Cluster",
                "aws:rds/clusterInstance:ClusterInstance",
                "aws:rds/subnetGroup:SubnetGroup",
                "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                "aws:appautoscaling/target:Target",
                "aws:appautoscaling/policy:Policy",
            ];
            // Application Auto Scaling also scales the ECS services; the database's scale RDS.
            const ofDatabase = (r: PlanResource) =>
                !r.type.startsWith("aws:appautoscaling/") || r.inputs.serviceNamespace === "rds";
            for (const type of types) {
                for (const r of g.ofType(type).filter(ofDatabase))
                    assert.strictEqual(r.parent, component.urn, `${r.urn} is not under the database`);
            }
            assert.ok(g.under(component).every((r) => r.name.startsWith("database-")));
        });

        it("names the cluster and its instances with valid, explicit RDS identifiers", () => {
            assert.strictEqual(cluster.inputs.clusterIdentifier, `shop-${stack}-aurora`);
            const identifiers = [
                String(cluster.inputs.clusterIdentifier),
                ...instances.map((i) => String(i.inputs.identifier)),
            ];
            for (const id of identifiers) assert.strictEqual(rdsIdentifierProblem(id), undefined, id);
            assert.strictEqual(new Set(identifiers).size, identifiers.length);
        });

        it("runs aurora-postgresql with a parameter group whose family matches the engine's major version", () => {
            assert.strictEqual(cluster.inputs.engine, "aurora-postgresql");
            assert.strictEqual(cluster.inputs.engineMode, "provisioned");
            const version = String(cluster.inputs.engineVersion);
            // A bare major: RDS picks the major's default minor, so no retired minor can break a new stack.
            assert.match(version, /^\d+$/);
            const parameterGroup = only(cluster, "dbClusterParameterGroupName");
            assert.strictEqual(parameterGroup.type, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
            assert.strictEqual(parameterGroup.inputs.family, `aurora-postgresql${version.split(".")[0]}`);
            for (const instance of instances) {
                assert.strictEqual(instance.inputs.engine, "aurora-postgresql");
                // Instances follow the cluster's version; setting one there would not upgrade anything.
                assert.strictEqual(instance.inputs.engineVersion, undefined);
            }
        });

        it("requires TLS and applies immediately only parameters PostgreSQL reloads", () => {
            const parameters = only(cluster, "dbClusterParameterGroupName").inputs.parameters as Record<
                string,
                string
            >[];
            const forceSsl = parameters.find((p) => p.name === "rds.force_ssl");
            assert.deepStrictEqual(forceSsl, { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" });
            for (const p of parameters) {
                assert.ok(["immediate", "pending-reboot"].includes(p.applyMethod), p.name);
                if (p.applyMethod === "immediate")
                    assert.ok(RELOADABLE_PARAMETERS.includes(p.name), `${p.name} is not known to be reloadable`);
            }
            assert.ok(
                parameters.some((p) => p.name === "log_min_duration_statement"),
                "slow statements are logged",
            );
        });

        it("puts the cluster in a subnet group of exactly the isolated subnets", () => {
            const subnetGroup = only(cluster, "dbSubnetGroupName");
            assert.strictEqual(subnetGroup.type, "aws:rds/subnetGroup:SubnetGroup");
            const subnets = g.sources(subnetGroup, "subnetIds");
            const isolated = g
                .ofType("aws:ec2/subnet:Subnet")
                .filter((s) => (s.inputs.tags as Record<string, string>).Layer === "isolated");
            assert.deepStrictEqual(subnets.map((s) => s.urn).sort(), isolated.map((s) => s.urn).sort());
            assert.deepStrictEqual(subnets.map((s) => s.inputs.availabilityZone).sort(), ZONES[stack]);
        });

        it(
            prod
                ? "runs a writer and a reader, each pinned to a distinct configured zone"
                : "runs a single instance, pinned to the first zone",
            () => {
                assert.strictEqual(instances.length, prod ? 2 : 1);
                const zones = instances.map((i) => i.inputs.availabilityZone as string);
                assert.deepStrictEqual(zones, ZONES[stack].slice(0, instances.length), "instance n in zone n");
                assert.strictEqual(new Set(zones).size, zones.length, "zones are distinct");
                const subnetGroup = only(cluster, "dbSubnetGroupName");
                const subnetZones = g.sources(subnetGroup, "subnetIds").map((s) => s.inputs.availabilityZone);
                for (const instance of instances) {
                    assert.ok(
                        subnetZones.includes(instance.inputs.availabilityZone),
                        "the subnet group has a subnet in the instance's zone",
                    );
                    assert.strictEqual(
                        only(instance, "dbSubnetGroupName").urn,
                        subnetGroup.urn,
                        "the instance names the cluster's subnet group",
                    );
                    assert.strictEqual(only(instance, "clusterIdentifier").urn, cluster.urn);
                }
            },
        );

        it("creates the writer first and prefers the pinned instances for failover", () => {
            const [writer, ...readers] = instances;
            assert.strictEqual(writer.name, "database-instance-1");
            for (const reader of readers)
                assert.ok(reader.dependencies.includes(writer.urn), `${reader.name} waits for the writer`);
            for (const instance of instances) assert.strictEqual(instance.inputs.promotionTier, 0);
        });

        it("uses instance classes Aurora PostgreSQL offers, and db.serverless only with a scaling configuration", () => {
            const scaling = cluster.inputs.serverlessv2ScalingConfiguration as
                { minCapacity: number; maxCapacity: number } | undefined;
            for (const instance of instances) {
                const instanceClass = String(instance.inputs.instanceClass);
                assert.strictEqual(instanceClassProblem(instanceClass), undefined, instanceClass);
                if (instanceClass === "db.serverless") {
                    assert.ok(scaling, "a db.serverless instance needs the cluster's serverlessv2ScalingConfiguration");
                    assert.ok(
                        scaling.minCapacity >= 0.5 &&
                            scaling.minCapacity <= scaling.maxCapacity &&
                            scaling.maxCapacity <= 256,
                    );
                    assert.strictEqual(scaling.minCapacity % 0.5, 0);
                }
            }
            if (prod) {
                assert.ok(instances.every((i) => i.inputs.instanceClass === "db.r6g.large"));
                assert.strictEqual(scaling, undefined, "no Serverless v2 range without serverless instances");
            } else {
                assert.strictEqual(instances[0].inputs.instanceClass, "db.serverless");
                assert.deepStrictEqual(scaling, { minCapacity: 0.5, maxCapacity: 4 });
            }
        });

        it("makes nothing publicly accessible and admits only the application workloads, on 5432", () => {
            for (const instance of instances) assert.strictEqual(instance.inputs.publiclyAccessible, false);
            const groups = g.sources(cluster, "vpcSecurityGroupIds");
            assert.strictEqual(groups.length, 1);
            const [group] = groups;
            assert.strictEqual(group.parent, g.one("shop:data:Database").urn);
            assert.ok(!group.inputs.ingress && !group.inputs.egress, "no inline rules");
            assert.strictEqual(cluster.inputs.port, 5432);

            const rules = g
                .ofType(INGRESS)
                .filter((r) => (r.propertyDependencies.securityGroupId ?? []).includes(group.urn));
            const workloads = g.one("shop:network:WorkloadSecurityGroups");
            const sources = rules.map((rule) => {
                assert.deepStrictEqual(
                    [rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort],
                    ["tcp", 5432, 5432],
                );
                for (const open of ["cidrIpv4", "cidrIpv6", "prefixListId"])
                    assert.strictEqual(rule.inputs[open], undefined, `${rule.name} has ${open}`);
                const source = only(rule, "referencedSecurityGroupId");
                assert.strictEqual(
                    source.parent,
                    workloads.urn,
                    `${rule.name} admits a group that is not a workload's`,
                );
                return (source.inputs.tags as Record<string, string>).Workload;
            });
            assert.deepStrictEqual(
                sources.sort(),
                DATABASE_CLIENTS,
                "exactly the services and the VPC functions, once each",
            );
            assert.ok(
                !g.ofType(EGRESS).some((r) => (r.propertyDependencies.securityGroupId ?? []).includes(group.urn)),
                "the database opens no connections",
            );
        });

        it("encrypts storage, the master user secret and Performance Insights with the customer-managed data key", () => {
            const dataKey = keyOf("data");
            assert.strictEqual(cluster.inputs.storageEncrypted, true, "kmsKeyId needs storageEncrypted");
            assert.strictEqual(only(cluster, "kmsKeyId").urn, dataKey.urn);
            assert.strictEqual(
                cluster.inputs.manageMasterUserPassword,
                true,
                "masterUserSecretKmsKeyId needs manageMasterUserPassword",
            );
            assert.strictEqual(only(cluster, "masterUserSecretKmsKeyId").urn, dataKey.urn);
            for (const absent of ["masterPassword", "masterPasswordWo"])
                assert.strictEqual(cluster.inputs[absent], undefined, `${absent} would put a password in state`);
            for (const instance of instances) {
                assert.strictEqual(instance.inputs.performanceInsightsEnabled, true);
                // Set from creation: AWS never lets the Performance Insights key change once enabled.
                assert.strictEqual(only(instance, "performanceInsightsKmsKeyId").urn, dataKey.urn);
                assert.ok(isPerformanceInsightsRetention(instance.inputs.performanceInsightsRetentionPeriod as number));
                assert.strictEqual(instance.inputs.performanceInsightsRetentionPeriod, 7);
            }
        });

        // Without these the cluster, its Performance Insights or the managed secret fail to create.
        it("has a data key policy that lets RDS and Secrets Manager use the key and create grants, only for this account", () => {
            const statements = g.policy(keyOf("data")).Statement;
            for (const sid of ["UseThroughDataServices", "GrantsForDataServices"]) {
                const statement = statements.find((s) => s.Sid === sid);
                assert.ok(statement, sid);
                const via = statement.Condition.StringEquals["kms:ViaService"] as string[];
                assert.ok(
                    via.includes("rds.af-south-1.amazonaws.com") &&
                        via.includes("secretsmanager.af-south-1.amazonaws.com"),
                    sid,
                );
                assert.strictEqual(statement.Condition.StringEquals["kms:CallerAccount"], ACCOUNT[stack]);
            }
            const use = statements.find((s) => s.Sid === "UseThroughDataServices") as Record<string, string[]>;
            for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"])
                assert.ok(use.Action.includes(action), action);
        });

        it("authenticates with IAM and exports the postgresql log to a log group declared before the cluster", () => {
            assert.strictEqual(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
            assert.deepStrictEqual(cluster.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
            const name = `/aws/rds/cluster/${cluster.inputs.clusterIdentifier}/postgresql`;
            const logGroup = g.ofType("aws:cloudwatch/logGroup:LogGroup").find((l) => l.inputs.name === name);
            assert.ok(logGroup, `no log group ${name}`);
            assert.ok(
                cluster.dependencies.includes(logGroup.urn),
                "the cluster waits for its log group (else RDS creates one without retention or key)",
            );
            assert.strictEqual(logGroup.inputs.retentionInDays, prod ? 365 : 30);
            assert.strictEqual(only(logGroup, "kmsKeyId").urn, keyOf("logs").urn);
        });

        it("keeps backups in a window apart from maintenance and copies tags to snapshots", () => {
            assert.strictEqual(cluster.inputs.backupRetentionPeriod, prod ? 14 : 1);
            if (prod) assert.ok((cluster.inputs.backupRetentionPeriod as number) >= 7);
            assert.strictEqual(cluster.inputs.copyTagsToSnapshot, true);
            const backup = parseDailyWindow(String(cluster.inputs.preferredBackupWindow), RDS_MIN_WINDOW_MINUTES);
            const maintenance = parseWeeklyWindow(
                String(cluster.inputs.preferredMaintenanceWindow),
                RDS_MIN_WINDOW_MINUTES,
            );
            assert.ok(
                typeof backup !== "string" && typeof maintenance !== "string",
                "both windows are well-formed and 30 minutes or longer",
            );
            assert.ok(!dailyOverlapsWeekly(backup as Window, maintenance as Window));
            for (const instance of instances) {
                assert.strictEqual(
                    instance.inputs.preferredBackupWindow,
                    undefined,
                    "the cluster's backup window must not be repeated on instances",
                );
                assert.strictEqual(
                    instance.inputs.preferredMaintenanceWindow,
                    cluster.inputs.preferredMaintenanceWindow,
                );
            }
        });

        it(
            prod
                ? "protects the cluster from deletion and takes a uniquely named final snapshot"
                : "can be deleted without a final snapshot",
            () => {
                assert.strictEqual(cluster.inputs.deletionProtection, prod);
                assert.strictEqual(cluster.inputs.skipFinalSnapshot, !prod);
                if (!prod) {
                    assert.strictEqual(cluster.inputs.finalSnapshotIdentifier, undefined);
                    return;
                }
                const identifier = String(cluster.inputs.finalSnapshotIdentifier);
                assert.match(identifier, /^shop-prod-aurora-final-[0-9a-f]{8}$/);
                assert.ok(!identifier.includes("--") && identifier.length <= 255);
                const suffix = only(cluster, "finalSnapshotIdentifier");
                assert.strictEqual(suffix.type, "random:index/randomId:RandomId");
                assert.deepStrictEqual(suffix.inputs.keepers, { clusterIdentifier: "shop-prod-aurora" });
            },
        );

        it("upgrades minor versions in the maintenance window and pins the server certificate authority", () => {
            assert.strictEqual(cluster.inputs.applyImmediately, !prod);
            for (const instance of instances) {
                assert.strictEqual(instance.inputs.autoMinorVersionUpgrade, true);
                assert.ok((CA_CERTIFICATES as readonly unknown[]).includes(instance.inputs.caCertIdentifier));
                assert.strictEqual(instance.inputs.applyImmediately, !prod);
            }
        });

        it(
            prod
                ? "monitors every instance through a role RDS may assume, attached before the instances exist"
                : "has Enhanced Monitoring off and no monitoring role",
            () => {
                const roles = g.ofType("aws:iam/role:Role").filter((r) => r.name.startsWith("database-"));
                if (!prod) {
                    assert.strictEqual(roles.length, 0);
                    for (const instance of instances)
                        assert.ok(!instance.inputs.monitoringInterval && !instance.inputs.monitoringRoleArn);
                    return;
                }
                assert.strictEqual(roles.length, 1);
                const [role] = roles;
                const trust = g.policy(role, "assumeRolePolicy").Statement;
                assert.deepStrictEqual(
                    trust.map((s) => s.Principal.Service),
                    ["monitoring.rds.amazonaws.com"],
                );
                assert.strictEqual(trust[0].Condition.StringEquals["aws:SourceAccount"], ACCOUNT.prod);
                const attachment = g
                    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .find((a) => only(a, "role").urn === role.urn);
                assert.ok(attachment);
                assert.strictEqual(attachment.inputs.policyArn, ENHANCED_MONITORING_POLICY_ARN);
                for (const instance of instances) {
                    assert.strictEqual(instance.inputs.monitoringInterval, 60);
                    assert.strictEqual(only(instance, "monitoringRoleArn").urn, role.urn);
                    assert.ok(
                        instance.dependencies.includes(attachment.urn),
                        `${instance.name} waits for the role's permissions`,
                    );
                }
            },
        );

        it(
            prod
                ? "scales readers on CPU with Application Auto Scaling, registered after the pinned instances"
                : "has no reader auto scaling",
            () => {
                const targets = g
                    .ofType("aws:appautoscaling/target:Target")
                    .filter((t) => t.inputs.serviceNamespace === "rds");
                const policies = g
                    .ofType("aws:appautoscaling/policy:Policy")
                    .filter((p) => p.inputs.serviceNamespace === "rds");
                if (!prod) {
                    assert.strictEqual(targets.length + policies.length, 0);
                    return;
                }
                const [target] = targets;
                assert.strictEqual(targets.length, 1);
                assert.deepStrictEqual(
                    [target.inputs.serviceNamespace, target.inputs.scalableDimension, target.inputs.resourceId],
                    ["rds", "rds:cluster:ReadReplicaCount", "cluster:shop-prod-aurora"],
                );
                assert.strictEqual(only(target, "resourceId").urn, cluster.urn);
                assert.deepStrictEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [1, 4]);
                assert.ok(
                    (target.inputs.minCapacity as number) >= instances.length - 1,
                    "the minimum counts the pinned readers",
                );
                for (const instance of instances)
                    assert.ok(target.dependencies.includes(instance.urn), `registered after ${instance.name}`);

                assert.strictEqual(policies.length, 1);
                const [policy] = policies;
                assert.strictEqual(only(policy, "resourceId").urn, target.urn);
                assert.strictEqual(policy.inputs.policyType, "TargetTrackingScaling");
                const tracking = policy.inputs.targetTrackingScalingPolicyConfiguration as Record<string, any>;
                assert.strictEqual(
                    tracking.predefinedMetricSpecification.predefinedMetricType,
                    "RDSReaderAverageCPUUtilization",
                );
                assert.strictEqual(tracking.targetValue, 70);
            },
        );

        it("exports the endpoints, port, database name, master secret, security group and data key", () => {
            const out = g.plan.outputs as Record<string, unknown>;
            const id = `shop-${stack}-aurora`;
            assert.match(
                String(out.databaseWriterEndpoint),
                new RegExp(`^${id}\\.cluster-[a-z0-9]+\\.af-south-1\\.rds\\.amazonaws\\.com$`),
            );
            assert.match(String(out.databaseReaderEndpoint), new RegExp(`^${id}\\.cluster-ro-`));
            assert.strictEqual(out.databasePort, 5432);
            assert.strictEqual(out.databaseName, "shop");
            assert.match(
                String(out.databaseMasterSecretArn),
                new RegExp(`^arn:aws:secretsmanager:af-south-1:${ACCOUNT[stack]}:secret:rds!cluster-`),
            );
            assert.match(String(out.databaseSecurityGroupId), /^sg-[0-9a-f]{17}$/);
            assert.match(String(out.dataKeyArn), new RegExp(`^arn:aws:kms:af-south-1:${ACCOUNT[stack]}:key/`));
        });
    });
}

describe("database configuration", () => {
    it("reads the committed stacks", () => {
        const dev = loadConfig(configWith("dev", {})).database;
        assert.deepStrictEqual(
            [
                dev.instanceClass,
                dev.readerCount,
                dev.serverlessMinCapacity,
                dev.serverlessMaxCapacity,
                dev.readerAutoScalingMax,
            ],
            ["db.serverless", 0, 0.5, 4, undefined],
        );
        const prod = loadConfig(configWith("prod", {})).database;
        assert.deepStrictEqual(
            [
                prod.instanceClass,
                prod.readerCount,
                prod.serverlessMinCapacity,
                prod.readerAutoScalingMin,
                prod.readerAutoScalingMax,
            ],
            ["db.r6g.large", 1, undefined, 1, 4],
        );
    });

    describe("engine version", () => {
        const engineVersion = (stack: "dev" | "prod", value: unknown) =>
            loadConfig(configWith(stack, { "database.engineVersion": value })).database.engineVersion;
        for (const stack of STACKS) {
            it(`accepts a bare major in ${stack} (${stack === "dev" ? "Serverless v2" : "provisioned"})`, () =>
                assert.strictEqual(engineVersion(stack, "17"), "17"));
            it(`accepts a pinned minor in ${stack}`, () => assert.strictEqual(engineVersion(stack, "17.7"), "17.7"));
        }
        it("accepts a bare major that `pulumi config set --path` stored as an integer", () =>
            assert.strictEqual(engineVersion("prod", 17), "17"));
        it("accepts a bare major for Serverless v2 whose first minors had none", () =>
            assert.strictEqual(engineVersion("dev", "13"), "13"));
    });

    describe("rejects bad values with the key, the value and the fix", () => {
        const key = (field: string) => `shop:database.${field}`;
        it("an engine version the family table does not know", () =>
            expectProblem(
                "prod",
                { "database.engineVersion": "18.1" },
                key("engineVersion"),
                /not an engine version this program knows \(known major versions: 13, 14, 15, 16, 17\)/,
                /use a known major version.*<major>\.<minor> to pin a minor.*'database\.engineVersion' 17\)/,
            ));
        for (const version of ["latest", "17.", "17.4.1", ".4", "v17"]) {
            it(`an engine version that is neither <major> nor <major>.<minor> (${version})`, () =>
                expectProblem(
                    "dev",
                    { "database.engineVersion": version },
                    key("engineVersion"),
                    /not an engine version this program knows/,
                ));
        }
        it("an engine version written as a number", () =>
            expectProblem("dev", { "database.engineVersion": 16.1 }, key("engineVersion"), /quoted string/, /"16\.1"/));
        it("a version without Serverless v2 for db.serverless", () =>
            expectProblem(
                "dev",
                { "database.engineVersion": "13.4" },
                key("engineVersion"),
                /does not support Serverless v2/,
                /13\.6/,
            ));
        it("more pinned instances than zones", () =>
            expectProblem(
                "dev",
                { "database.readers": 2 },
                key("readers"),
                /writer and 2 reader\(s\) need 3 zones.*lists 2/,
            ));
        it("an instance class Aurora PostgreSQL does not offer", () =>
            expectProblem(
                "prod",
                { "database.instanceClass": "db.m5.large" },
                key("instanceClass"),
                /not an Aurora PostgreSQL instance class/,
            ));
        it("a burstable size that does not exist", () =>
            expectProblem(
                "dev",
                { "database.instanceClass": "db.t4g.xlarge", "database.serverless": undefined },
                key("instanceClass"),
                /medium and large only/,
            ));
        it("a Serverless v2 range with a provisioned class", () =>
            expectProblem(
                "prod",
                { "database.serverless": { minCapacity: 1 } },
                key("serverless"),
                /applies only to instanceClass db.serverless/,
            ));
        it("a Serverless v2 minimum above the maximum", () =>
            expectProblem(
                "dev",
                { "database.serverless": { minCapacity: 8, maxCapacity: 4 } },
                key("serverless.minCapacity"),
                /is above maxCapacity \(4\)/,
            ));
        it("a capacity that is not a multiple of 0.5 ACU", () =>
            expectProblem(
                "dev",
                { "database.serverless.maxCapacity": 4.2 },
                key("serverless.maxCapacity"),
                /multiple of 0.5 ACU/,
            ));
        it("a capacity outside AWS's range", () =>
            expectProblem(
                "dev",
                { "database.serverless.minCapacity": 0 },
                key("serverless.minCapacity"),
                /between 0.5 and 256/,
            ));
        it("a reader auto scaling minimum above the maximum", () =>
            expectProblem(
                "prod",
                { "database.readerAutoScaling": { minReaders: 4, maxReaders: 3 } },
                key("readerAutoScaling.minReaders"),
                /is above maxReaders \(3\)/,
            ));
        it("a reader auto scaling minimum below the pinned readers", () =>
            expectProblem(
                "prod",
                { "database.readers": 2, "database.readerAutoScaling.minReaders": 1 },
                key("readerAutoScaling.minReaders"),
                /below database.readers \(2\)/,
            ));
        it("a backup window overlapping the maintenance window", () =>
            expectProblem(
                "prod",
                { "database.backupWindow": "02:30-03:30" },
                key("backupWindow"),
                /overlaps the maintenance window sun:02:00-sun:03:00/,
            ));
        it("a backup window overlapping a maintenance window across midnight", () =>
            expectProblem(
                "dev",
                { "database.backupWindow": "23:30-00:30", "database.maintenanceWindow": "mon:00:00-mon:01:00" },
                key("backupWindow"),
                /overlaps/,
            ));
        it("a maintenance window wrapping the week over the backup window", () =>
            expectProblem(
                "dev",
                { "database.maintenanceWindow": "Sun:23:45-mon:00:15" },
                key("backupWindow"),
                /overlaps the maintenance window sun:23:45-mon:00:15/,
            ));
        it("a window shorter than 30 minutes", () =>
            expectProblem(
                "dev",
                { "database.backupWindow": "04:00-04:15" },
                key("backupWindow"),
                /lasts 15 minutes; AWS requires at least 30/,
            ));
        it("a malformed maintenance window", () =>
            expectProblem(
                "dev",
                { "database.maintenanceWindow": "sunday 02:00" },
                key("maintenanceWindow"),
                /not a weekly window/,
            ));
        it("a Performance Insights retention AWS does not offer", () =>
            expectProblem(
                "dev",
                { "database.performanceInsightsRetentionDays": 30 },
                key("performanceInsightsRetentionDays"),
                /not a Performance Insights retention/,
                /7, a multiple of 31/,
            ));
        it("an Enhanced Monitoring interval AWS does not offer", () =>
            expectProblem(
                "dev",
                { "database.monitoringIntervalSeconds": 20 },
                key("monitoringIntervalSeconds"),
                /not an Enhanced Monitoring interval/,
            ));
        it("a master user name RDS reserves", () =>
            expectProblem(
                "dev",
                { "database.masterUsername": "postgres" },
                key("masterUsername"),
                /name RDS reserves/,
            ));
        it("a misspelt database setting", () =>
            expectProblem(
                "dev",
                { "database.engineVersoin": "17" },
                key("engineVersoin"),
                /not a known setting of database/,
                /engineVersion/,
            ));
        it("a stack name that makes an invalid RDS identifier", () => {
            const raw = { ...configWith("dev", {}), stack: "Team_Dev" };
            expectProblem("dev", {}, "stack name", /"shop-Team_Dev-aurora".*lower-case/, /stack name/, raw);
        });
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            // Keep the other settings consistent with the lowered one, so only the minimum is reported.
            {
                key: "database.readers",
                value: 0,
                minimum: /at least 1 reader/,
                alsoSet: { "database.readerAutoScaling.minReaders": 0 },
                notInDev: "dev has no readers and no reader auto scaling",
            },
            { key: "database.backupRetentionDays", value: 3, minimum: /backups kept at least 7 days/ },
            { key: "database.finalSnapshot", value: false, minimum: /final snapshot/ },
            { key: "database.monitoringIntervalSeconds", value: 0, minimum: /Enhanced Monitoring on/ },
            { key: "database.performanceInsightsRetentionDays", value: 0, minimum: /Performance Insights on/ },
            {
                key: "database.instanceClass",
                value: "db.t4g.large",
                minimum: /non-burstable/,
                notInDev: "dev is Serverless v2, whose settings need db.serverless",
            },
            { key: "database.readerAutoScaling", value: undefined, minimum: /reader auto scaling on/ },
        ]);
        it("reports only the minimum when prod lowers a value", () => {
            const error = errorFor("prod", { "database.backupRetentionDays": 3 });
            assert.strictEqual(error.issues.length, 1, error.message);
        });
    });
});

describe("Database component arguments", () => {
    const valid: DatabaseArgs = {
        ...loadConfig(configWith("prod", {})).database,
        deletionProtection: true,
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        availabilityZones: ZONES.prod,
        allowedSourceSecurityGroupIds: { "svc-orders": "sg-1" },
        dataKeyArn: "arn:aws:kms:af-south-1:222222222222:key/data",
        logsKeyArn: "arn:aws:kms:af-south-1:222222222222:key/logs",
        logRetentionInDays: 365,
        accountId: "222222222222",
        region: "af-south-1",
    };
    const cases: [string, Partial<DatabaseArgs>, RegExp][] = [
        ["more instances than zones", { readerCount: 3, readerAutoScalingMin: 3 }, /need 4 zones, got 3/],
        ["db.serverless without a capacity range", { instanceClass: "db.serverless" }, /required with db.serverless/],
        [
            "a capacity range with a provisioned class",
            { serverlessMinCapacity: 1, serverlessMaxCapacity: 2 },
            /not allowed otherwise/,
        ],
        [
            "an auto scaling minimum below the pinned readers",
            { readerCount: 2, readerAutoScalingMin: 1 },
            /readerCount \(2\) <= min \(1\)/,
        ],
        [
            "an unknown engine version",
            { engineVersion: "9.6" },
            /no parameter group family is known for engine version 9\.6/,
        ],
        [
            "an engine version with a patch level",
            { engineVersion: "17.4.1" },
            /no parameter group family is known for engine version 17\.4\.1/,
        ],
        ["no allowed sources", { allowedSourceSecurityGroupIds: {} }, /nothing could connect/],
        [
            "an instance identifier over RDS's 63 characters",
            { clusterIdentifier: `a${"b".repeat(61)}` },
            /"ab{61}-2" is 64 characters long/,
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what} before creating anything`, async () => {
            const failure = await planWith(configWith("prod", {}), () => {
                new Database("database", { ...valid, ...change });
                return {};
            }).then(
                () => assert.fail("the component should throw"),
                (err: unknown) => err,
            );
            assert.ok(failure instanceof EvaluationError, String(failure));
            assert.match(failure.message, message);
            assert.ok(
                failure.graph.resources.every((r) => !r.custom),
                "no resource was registered",
            );
        });
    }

    it("passes a pinned minor to the cluster, with its major's parameter group family", async () => {
        const graph = new Graph(
            await planWith(configWith("prod", {}), () => {
                new Database("database", { ...valid, engineVersion: "16.8" });
                return {};
            }),
        );
        const cluster = graph.one("aws:rds/cluster:Cluster");
        const parameters = graph.one("aws:rds/clusterParameterGroup:ClusterParameterGroup");
        assert.deepStrictEqual(
            [cluster.inputs.engineVersion, parameters.inputs.family],
            ["16.8", "aurora-postgresql16"],
        );
    });
});
