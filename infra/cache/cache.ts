import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheConfig, cacheTopologyProblem, MAX_CACHE_NODES } from "../config/cache";
import { encryptedLogGroup } from "../shared/log-group";
import { admitGroups, ruleLessSecurityGroup } from "../shared/security-groups";

export const CACHE_PORT = 6379;

/** ElastiCache replication group ids: 1-40 characters, a letter first, no "--", no trailing hyphen. */
const REPLICATION_GROUP_ID = /^(?=.{1,40}$)[a-z](-?[a-z0-9])*$/;

/** The logs ElastiCache delivers for Valkey, each to a log group of its own. */
export const CACHE_LOG_TYPES = ["slow-log", "engine-log"] as const;

/** The validated `cache` settings (engine, nodes, topology, snapshots, windows) plus the wiring. */
export interface CacheArgs extends CacheConfig {
    /** Physical names derive from it: the replication group id, the subnet group, the secret, the log groups. */
    namePrefix: string;
    vpcId: pulumi.Input<string>;
    /** The isolated (data) subnets, one per zone, in the order of `zones`. */
    subnetIds: pulumi.Input<string>[];
    zones: string[];
    /** The security groups of the workloads that use the cache, by workload name; nothing else gets in. */
    clientSecurityGroups: Readonly<Record<string, pulumi.Input<string>>>;
    /** Take a final snapshot when the group is deleted. */
    finalSnapshot: boolean;
    /** Encrypts the nodes, their snapshots and the AUTH secret; its policy must admit ElastiCache and Secrets Manager. */
    dataKeyArn: pulumi.Input<string>;
    /** Encrypts the slow and engine log groups; its policy must admit CloudWatch Logs. */
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** Days a deleted AUTH secret can still be restored (7-30). */
    secretRecoveryWindowDays: number;
}

/**
 * The Valkey replication group for sessions and popular products: in the isolated subnets,
 * encrypted at rest with the data key and in transit (TLS required), protected by an AUTH token
 * that is generated, kept secret and published in Secrets Manager for the services, with
 * snapshots, slow and engine logs, and a security group admitting only its consumers.
 *
 * Valkey rather than Redis OSS: the same protocol and clients (it is the Redis OSS 7.2 fork), an
 * open-source licence, and ElastiCache prices Valkey nodes about 20% below Redis OSS ones.
 */
export class Cache extends pulumi.ComponentResource {
    readonly primaryEndpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port = CACHE_PORT;
    /** The group that admits the clients; their tiers add egress to it on `port`. */
    readonly securityGroupId: pulumi.Output<string>;
    /**
     * Secrets Manager secret (JSON: authToken, primaryEndpoint, readerEndpoint, port, tls). Readers
     * need secretsmanager:GetSecretValue on it and kms:Decrypt on the data key.
     */
    readonly authSecretArn: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;
    /** The member cache clusters, "<group>-001" onwards, as ElastiCache names them (the CacheClusterId dimension). */
    readonly memberClusterIds: pulumi.Output<string>[];

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:cache:Cache", name, {}, opts);
        const groupId = `${args.namePrefix}-cache`;
        validate(name, groupId, args);
        const child = { parent: this };

        const securityGroup = ruleLessSecurityGroup(
            `${name}-sg`,
            args.vpcId,
            `Valkey ${groupId}: port ${CACHE_PORT} from its clients only`,
            child,
        );
        admitGroups(`${name}-sg`, securityGroup.id, CACHE_PORT, args.clientSecurityGroups, "Valkey", child);
        this.securityGroupId = securityGroup.id;

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                name: groupId,
                description: `Isolated subnets of ${groupId}`,
                subnetIds: args.subnetIds,
            },
            child,
        );

        // Named by Pulumi so that a new family (engine major upgrade) can be created before the old one is released.
        const parameters = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                family: `valkey${args.engineVersion.split(".")[0]}`,
                description: `Parameters of ${groupId}`,
                // Evict only keys that carry a TTL (sessions, cached products) when memory runs out;
                // keys written without a TTL are never evicted silently.
                parameters: [{ name: "maxmemory-policy", value: "volatile-lru" }],
            },
            child,
        );

        const logGroups = CACHE_LOG_TYPES.map((logType) =>
            encryptedLogGroup(
                `${name}-${logType}`,
                {
                    logGroupName: `/aws/elasticache/${groupId}/${logType}`,
                    retentionInDays: args.logRetentionDays,
                    kmsKeyArn: args.logsKeyArn,
                },
                child,
            ),
        );

        // AUTH tokens are 16-128 printable characters, and the only symbols allowed are !&#$^<>-;
        // letters and digits alone avoid them and any escaping in connection strings.
        const authToken = pulumi.secret(
            new random.RandomPassword(
                `${name}-auth-token`,
                {
                    length: 64,
                    special: false,
                },
                child,
            ).result,
        );

        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                replicationGroupId: groupId,
                description: `Sessions and popular products (${args.namePrefix})`,
                engine: "valkey",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                parameterGroupName: parameters.name,
                port: CACHE_PORT,
                numCacheClusters: args.nodes,
                // ElastiCache requires exactly one zone per node; the first holds the primary.
                preferredCacheClusterAzs: Array.from(
                    { length: args.nodes },
                    (_, i) => args.zones[i % args.zones.length],
                ),
                automaticFailoverEnabled: args.automaticFailover,
                multiAzEnabled: args.multiAz,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [securityGroup.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken,
                // A later token change keeps the old token valid until clients have moved (ROTATE, then SET).
                authTokenUpdateStrategy: "ROTATE",
                autoMinorVersionUpgrade: true,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                finalSnapshotIdentifier: args.finalSnapshot ? `${groupId}-final` : undefined,
                logDeliveryConfigurations: logGroups.map((logGroup, i) => ({
                    destination: logGroup.name,
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType: CACHE_LOG_TYPES[i],
                })),
            },
            child,
        );
        this.primaryEndpoint = group.primaryEndpointAddress;
        this.replicationGroupId = group.replicationGroupId;
        this.memberClusterIds = Array.from({ length: args.nodes }, (_, i) =>
            group.replicationGroupId.apply((id) => `${id}-${String(i + 1).padStart(3, "0")}`),
        );
        this.readerEndpoint = group.readerEndpointAddress;

        const secret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            {
                name: `${args.namePrefix}/cache/auth`,
                description: `AUTH token and endpoints of the Valkey group ${groupId}`,
                kmsKeyId: args.dataKeyArn,
                recoveryWindowInDays: args.secretRecoveryWindowDays,
            },
            child,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(
                    pulumi
                        .all([authToken, group.primaryEndpointAddress, group.readerEndpointAddress])
                        .apply(([token, primary, reader]) =>
                            JSON.stringify({
                                authToken: token,
                                primaryEndpoint: primary,
                                readerEndpoint: reader,
                                port: CACHE_PORT,
                                tls: true,
                            }),
                        ),
                ),
            },
            child,
        );
        this.authSecretArn = secret.arn;

        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            securityGroupId: this.securityGroupId,
            authSecretArn: this.authSecretArn,
        });
    }
}

function validate(name: string, groupId: string, args: CacheArgs): void {
    const fail = (problem: string) => {
        throw new Error(`Cache ${name}: ${problem}`);
    };
    if (!REPLICATION_GROUP_ID.test(groupId))
        fail(
            `replication group id "${groupId}" must be 1-40 lower-case letters, digits and single hyphens, starting with a letter`,
        );
    if (!Number.isInteger(args.nodes) || args.nodes < 1 || args.nodes > MAX_CACHE_NODES)
        fail(`nodes must be 1-${MAX_CACHE_NODES}, got ${args.nodes}`);
    const topology = cacheTopologyProblem(args.nodes, args.multiAz, args.automaticFailover);
    if (topology) fail(`${topology.setting} ${topology.problem}`);
    if (args.zones.length === 0 || args.subnetIds.length !== args.zones.length)
        fail(`needs one subnet per zone, got ${args.subnetIds.length} for ${args.zones.length} zones`);
    if (args.multiAz && args.zones.length < 2) fail("Multi-AZ needs subnets in at least 2 zones");
    if (Object.keys(args.clientSecurityGroups).length === 0)
        fail("clientSecurityGroups is empty: nothing could reach the cache");
    if (args.secretRecoveryWindowDays < 7 || args.secretRecoveryWindowDays > 30)
        fail(`secretRecoveryWindowDays must be 7-30, got ${args.secretRecoveryWindowDays}`);
}
