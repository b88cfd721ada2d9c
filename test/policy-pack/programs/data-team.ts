/**
 * A data team's stores, built on a network another team owns (its subnet ids come from
 * configuration): an Aurora cluster, a Memcached cluster for sessions, a shared file system, an
 * export queue and topic, and a bucket whose policy is meant to refuse plaintext. Written with a
 * component of their own and `pulumi.interpolate`; each store has a mistake of its own.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

class DataStores extends pulumi.ComponentResource {
    constructor(name: string, args: { subnetIds: string[] }, opts?: pulumi.ComponentResourceOptions) {
        super("data:stores:DataStores", name, {}, opts);
        const child = { parent: this };

        const key = new aws.kms.Key(`${name}-key`, { description: "data", deletionWindowInDays: 30 }, child);

        const subnets = new aws.rds.SubnetGroup(`${name}-db`, { subnetIds: args.subnetIds }, child);
        const params = new aws.rds.ClusterParameterGroup(
            `${name}-db`,
            { family: "aurora-postgresql16", parameters: [{ name: "log_min_duration_statement", value: "500" }] },
            child,
        );
        const cluster = new aws.rds.Cluster(
            `${name}-db`,
            {
                engine: "aurora-postgresql",
                engineVersion: "16.4",
                dbSubnetGroupName: subnets.name,
                dbClusterParameterGroupName: params.name,
                storageEncrypted: true,
                kmsKeyId: key.arn,
                masterUsername: "analytics",
                manageMasterUserPassword: true,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql"],
                backupRetentionPeriod: 7,
                copyTagsToSnapshot: true,
                deletionProtection: true,
                finalSnapshotIdentifier: `${name}-final`,
            },
            child,
        );
        new aws.rds.ClusterInstance(
            `${name}-db-1`,
            { clusterIdentifier: cluster.id, engine: "aurora-postgresql", instanceClass: "db.r7g.large" },
            child,
        );

        const cacheSubnets = new aws.elasticache.SubnetGroup(`${name}-cache`, { subnetIds: args.subnetIds }, child);
        new aws.elasticache.Cluster(
            `${name}-sessions`,
            { engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2, subnetGroupName: cacheSubnets.name },
            child,
        );

        new aws.efs.FileSystem(
            `${name}-shared`,
            { encrypted: true, kmsKeyId: key.arn, availabilityZoneName: "af-south-1a" },
            child,
        );

        new aws.sqs.Queue(`${name}-exports`, { messageRetentionSeconds: 1209600 }, child);
        new aws.sns.Topic(`${name}-exported`, { kmsMasterKeyId: "alias/aws/sns" }, child);

        const bucket = new aws.s3.Bucket(`${name}-exports`, {}, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-exports`,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn } }],
            },
            child,
        );
        const block = new aws.s3.BucketPublicAccessBlock(
            `${name}-exports`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-exports`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        new aws.s3.BucketVersioning(
            `${name}-exports`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        new aws.s3.BucketPolicy(
            `${name}-exports`,
            {
                bucket: block.bucket,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "TlsOnly",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransports": "false" } },
                        },
                    ],
                }),
            },
            child,
        );
        this.registerOutputs({});
    }
}

export function dataTeam() {
    const config = new pulumi.Config();
    new DataStores("analytics", { subnetIds: config.requireObject<string[]>("subnetIds") });
    return {};
}
