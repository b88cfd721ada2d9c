import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../config";
import { encryptedLogGroup } from "../shared/log-group";
import {
    parameterGroupFamily,
    POSTGRES_PORT,
    rdsIdentifierProblem,
    SERVERLESS_INSTANCE_CLASS,
} from "./aurora-postgresql";
import { CLUSTER_PARAMETERS } from "./cluster-parameters";
import { enhancedMonitoringRole } from "./monitoring-role";
import { readerAutoScaling } from "./reader-scaling";

const ENGINE = "aurora-postgresql";

/** The validated database settings (see DatabaseConfig) plus what the other tiers provide. */
export interface DatabaseArgs extends DatabaseConfig {
    /** Deletion protection on the cluster. */
    deletionProtection: boolean;
    vpcId: pulumi.Input<string>;
    /** The isolated subnets, one per zone, in the order of availabilityZones. */
    subnetIds: pulumi.Input<string>[];
    /** Zones of the subnets; instance n (the writer first) is pinned to zone n. */
    availabilityZones: string[];
    /** The security groups that may connect on 5432, by workload name (one ingress rule each). */
    allowedSourceSecurityGroupIds: Record<string, pulumi.Input<string>>;
    /** Encrypts storage, Performance Insights and the master user secret. */
    dataKeyArn: pulumi.Input<string>;
    /** Encrypts the exported postgresql log; its policy must admit CloudWatch Logs. */
    logsKeyArn: pulumi.Input<string>;
    logRetentionInDays: number;
    accountId: string;
    region: string;
}

/**
 * Aurora PostgreSQL in the isolated subnets: an encrypted cluster whose master password RDS keeps
 * in Secrets Manager, reachable on 5432 only from the given workloads over TLS, with IAM database
 * authentication, backups, its postgresql log in a log group of ours, and a writer plus readers
 * each pinned to its own zone (provisioned with reader auto scaling, or Serverless v2).
 */
export class Database extends pulumi.ComponentResource {
    readonly clusterIdentifier: string;
    /** For IAM database authentication: rds-db:connect on arn:aws:rds-db:<region>:<account>:dbuser:<id>/<user>. */
    readonly clusterResourceId: pulumi.Output<string>;
    readonly writerEndpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: string;
    /** The Secrets Manager secret RDS manages for the master user (encrypted with the data key). */
    readonly masterSecretArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The instances this program creates, writer first (auto-scaled replicas are not among them). */
    readonly instanceIdentifiers: pulumi.Output<string>[];

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:data:Database", name, {}, opts);
        const family = validate(name, args);
        const serverless = args.instanceClass === SERVERLESS_INSTANCE_CLASS;
        const child = { parent: this };
        this.clusterIdentifier = args.clusterIdentifier;
        this.databaseName = args.databaseName;

        const securityGroup = this.securityGroup(name, args);
        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: `Isolated subnets of ${args.clusterIdentifier}`,
                subnetIds: args.subnetIds,
            },
            child,
        );
        // Autonamed, so that a new major version's family replaces it before the old one is deleted.
        const parameterGroup = new aws.rds.ClusterParameterGroup(
            `${name}-params`,
            {
                family,
                description: `${args.clusterIdentifier} cluster parameters`,
                parameters: CLUSTER_PARAMETERS.map((p) => ({ ...p })),
            },
            child,
        );
        // RDS creates this group itself (unencrypted, never expiring) unless it exists first.
        const logGroup = encryptedLogGroup(
            `${name}-postgresql-log`,
            {
                logGroupName: `/aws/rds/cluster/${args.clusterIdentifier}/postgresql`,
                retentionInDays: args.logRetentionInDays,
                kmsKeyArn: args.logsKeyArn,
            },
            child,
        );

        const cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: args.clusterIdentifier,
                engine: ENGINE,
                engineMode: "provisioned",
                engineVersion: args.engineVersion,
                // A new major version in config is deliberate; AWS refuses it without this flag.
                allowMajorVersionUpgrade: true,
                databaseName: args.databaseName,
                masterUsername: args.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.dataKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                port: POSTGRES_PORT,
                // availabilityZones is left to RDS: it always spreads storage over three zones and a
                // shorter list would show as a change that replaces the cluster.
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [securityGroup.id],
                dbClusterParameterGroupName: parameterGroup.name,
                storageEncrypted: true,
                kmsKeyId: args.dataKeyArn,
                backupRetentionPeriod: args.backupRetentionDays,
                preferredBackupWindow: args.backupWindow,
                preferredMaintenanceWindow: args.maintenanceWindow,
                copyTagsToSnapshot: true,
                deletionProtection: args.deletionProtection,
                skipFinalSnapshot: !args.finalSnapshot,
                finalSnapshotIdentifier: args.finalSnapshot
                    ? this.finalSnapshotIdentifier(name, args.clusterIdentifier)
                    : undefined,
                enabledCloudwatchLogsExports: ["postgresql"],
                serverlessv2ScalingConfiguration: serverless
                    ? {
                          minCapacity: args.serverlessMinCapacity as number,
                          maxCapacity: args.serverlessMaxCapacity as number,
                      }
                    : undefined,
                applyImmediately: args.applyImmediately,
                tags: { Name: args.clusterIdentifier },
            },
            { parent: this, dependsOn: [logGroup] },
        );

        const instances = this.instances(name, args, cluster, subnetGroup);
        this.instanceIdentifiers = instances.map((instance) => instance.identifier);
        if (args.readerAutoScalingMax !== undefined) {
            readerAutoScaling(
                `${name}-readers`,
                {
                    clusterIdentifier: cluster.clusterIdentifier,
                    minReaders: args.readerAutoScalingMin as number,
                    maxReaders: args.readerAutoScalingMax,
                    targetCpuPercent: args.readerAutoScalingTargetCpu as number,
                },
                { parent: this, dependsOn: instances },
            );
        }

        this.clusterResourceId = cluster.clusterResourceId;
        this.writerEndpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = cluster.port;
        this.masterSecretArn = cluster.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) throw new Error(`RDS reported no managed master user secret for ${args.clusterIdentifier}`);
            return arn;
        });
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            writerEndpoint: this.writerEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /** The database's group: no egress, and 5432 in from exactly the given workload groups. */
    private securityGroup(name: string, args: DatabaseArgs): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Aurora ${args.clusterIdentifier}: PostgreSQL from the application workloads only`,
                revokeRulesOnDelete: true,
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );
        for (const [workload, sourceId] of Object.entries(args.allowedSourceSecurityGroupIds)) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-${workload}`,
                {
                    securityGroupId: group.id,
                    referencedSecurityGroupId: sourceId,
                    ipProtocol: "tcp",
                    fromPort: POSTGRES_PORT,
                    toPort: POSTGRES_PORT,
                    description: `PostgreSQL from ${workload}`,
                },
                { parent: this },
            );
        }
        return group;
    }

    /**
     * "<cluster>-final-<random>": a fixed name would collide with the snapshot a previous cluster
     * of the same identifier left behind, and the deletion would fail.
     */
    private finalSnapshotIdentifier(name: string, clusterIdentifier: string): pulumi.Output<string> {
        const suffix = new random.RandomId(
            `${name}-final-snapshot`,
            { byteLength: 4, keepers: { clusterIdentifier } },
            { parent: this },
        );
        return pulumi.interpolate`${clusterIdentifier}-final-${suffix.hex}`;
    }

    /**
     * The writer (instance 1, created first so it takes the writer role) and the readers, each in
     * its own zone. Pulumi-managed instances get promotion tier 0, ahead of auto-scaled replicas.
     */
    private instances(
        name: string,
        args: DatabaseArgs,
        cluster: aws.rds.Cluster,
        subnetGroup: aws.rds.SubnetGroup,
    ): aws.rds.ClusterInstance[] {
        const monitoring =
            args.monitoringIntervalSeconds > 0
                ? enhancedMonitoringRole(`${name}-monitoring`, args.accountId, args.region, this)
                : undefined;
        const insights = args.performanceInsightsRetentionDays > 0;
        const instances: aws.rds.ClusterInstance[] = [];
        args.availabilityZones.slice(0, args.readerCount + 1).forEach((zone, i) => {
            const dependsOn: pulumi.Resource[] = [
                ...(monitoring ? [monitoring.permissions] : []),
                ...(i > 0 ? [instances[0]] : []),
            ];
            instances.push(
                new aws.rds.ClusterInstance(
                    `${name}-instance-${i + 1}`,
                    {
                        identifier: `${args.clusterIdentifier}-${i + 1}`,
                        clusterIdentifier: cluster.id,
                        engine: ENGINE,
                        instanceClass: args.instanceClass,
                        availabilityZone: zone,
                        // Must name the cluster's subnet group.
                        dbSubnetGroupName: subnetGroup.name,
                        publiclyAccessible: false,
                        autoMinorVersionUpgrade: true,
                        caCertIdentifier: args.caCertificateIdentifier,
                        promotionTier: 0,
                        preferredMaintenanceWindow: args.maintenanceWindow,
                        applyImmediately: args.applyImmediately,
                        monitoringInterval: args.monitoringIntervalSeconds,
                        monitoringRoleArn: monitoring?.roleArn,
                        performanceInsightsEnabled: insights,
                        // Set from the start: once enabled, the Performance Insights key cannot change.
                        performanceInsightsKmsKeyId: insights ? args.dataKeyArn : undefined,
                        performanceInsightsRetentionPeriod: insights
                            ? args.performanceInsightsRetentionDays
                            : undefined,
                        tags: { Name: `${args.clusterIdentifier}-${i + 1}` },
                        // An explicit identifier cannot exist twice: replace by deleting first (the others serve meanwhile).
                    },
                    { parent: this, dependsOn, deleteBeforeReplace: true },
                ),
            );
        });
        return instances;
    }
}

/** Rejects contradictory arguments; returns the parameter group family of the engine version. */
function validate(name: string, args: DatabaseArgs): string {
    const fail = (message: string): never => {
        throw new Error(`Database ${name}: ${message}`);
    };
    const family =
        parameterGroupFamily(args.engineVersion) ??
        fail(`no parameter group family is known for engine version ${args.engineVersion}`);
    // The last instance's identifier is the longest: "<cluster>-<n>".
    for (const id of [args.clusterIdentifier, `${args.clusterIdentifier}-${args.readerCount + 1}`]) {
        const problem = rdsIdentifierProblem(id);
        if (problem) fail(`identifier "${id}" ${problem}`);
    }
    if (args.subnetIds.length !== args.availabilityZones.length) {
        fail(`${args.subnetIds.length} subnets for ${args.availabilityZones.length} zones; give one subnet per zone`);
    }
    if (args.readerCount + 1 > args.availabilityZones.length) {
        fail(
            `a writer and ${args.readerCount} readers need ${args.readerCount + 1} zones, got ${args.availabilityZones.length}`,
        );
    }
    const serverless = args.instanceClass === SERVERLESS_INSTANCE_CLASS;
    const capacity = [args.serverlessMinCapacity, args.serverlessMaxCapacity];
    if (serverless ? capacity.includes(undefined) : capacity.some((c) => c !== undefined)) {
        fail(
            "serverlessMinCapacity and serverlessMaxCapacity are required with db.serverless and not allowed otherwise",
        );
    }
    if (serverless && (args.serverlessMinCapacity as number) > (args.serverlessMaxCapacity as number)) {
        fail(
            `serverlessMinCapacity ${args.serverlessMinCapacity} is above serverlessMaxCapacity ${args.serverlessMaxCapacity}`,
        );
    }
    const scaling = [args.readerAutoScalingMin, args.readerAutoScalingMax, args.readerAutoScalingTargetCpu];
    if (scaling.some((v) => v === undefined) && !scaling.every((v) => v === undefined)) {
        fail("readerAutoScalingMin, readerAutoScalingMax and readerAutoScalingTargetCpu go together");
    }
    const [min, max] = scaling as number[];
    if (max !== undefined && (min < args.readerCount || min > max)) {
        fail(`reader auto scaling needs readerCount (${args.readerCount}) <= min (${min}) <= max (${max})`);
    }
    if (Object.keys(args.allowedSourceSecurityGroupIds).length === 0)
        fail("allowedSourceSecurityGroupIds is empty: nothing could connect");
    return family;
}
