import { fixed, Outcome, PricingRule, usage } from "../model";

const CLUSTER = "aws:rds/cluster:Cluster";
const BUCKET = "aws:s3/bucket:Bucket";
const REPOSITORY = "aws:ecr/repository:Repository";

export const dataRules: Record<string, PricingRule> = {
    [CLUSTER]: (cluster, ctx): Outcome[] => {
        if (cluster.inputs.engine !== "aurora-postgresql")
            return [{ unpriced: `engine ${String(cluster.inputs.engine)}` }];
        const outcomes: Outcome[] = [
            usage("storage (storage.databaseGb)", ctx.usage.storage.databaseGb, "rds.auroraStorage"),
            usage("I/O requests (databaseIoMillions)", ctx.usage.databaseIoMillions, "rds.auroraIo"),
        ];
        if (cluster.inputs.manageMasterUserPassword === true)
            outcomes.push(fixed("RDS-managed master password secret", 1, "secretsmanager.secret"));
        return outcomes;
    },

    "aws:rds/clusterInstance:ClusterInstance": (instance, ctx): Outcome[] => {
        const instanceClass = String(instance.inputs.instanceClass);
        if (instance.inputs.engine !== "aurora-postgresql")
            return [{ unpriced: `engine ${String(instance.inputs.engine)}` }];
        if (instanceClass !== "db.serverless")
            return [fixed(`${instanceClass} instance hours`, ctx.hours, `rds.auroraPostgresql:${instanceClass}`)];
        const cluster = ctx.links.source(instance, "clusterIdentifier", CLUSTER);
        const scaling = cluster?.inputs.serverlessv2ScalingConfiguration as { minCapacity?: number } | undefined;
        if (typeof scaling?.minCapacity !== "number")
            return [{ unpriced: "no Serverless v2 scaling configuration on its cluster" }];
        return [
            fixed(
                `Serverless v2 at its minimum of ${scaling.minCapacity} ACU`,
                scaling.minCapacity * ctx.hours,
                "rds.auroraServerlessV2",
            ),
        ];
    },

    "aws:elasticache/replicationGroup:ReplicationGroup": (group, ctx): Outcome[] => {
        if (group.inputs.engine !== "valkey") return [{ unpriced: `engine ${String(group.inputs.engine)}` }];
        const nodes =
            typeof group.inputs.numCacheClusters === "number"
                ? group.inputs.numCacheClusters
                : Number(group.inputs.numNodeGroups ?? 1) * (Number(group.inputs.replicasPerNodeGroup ?? 0) + 1);
        const nodeType = String(group.inputs.nodeType);
        return [fixed(`${nodes} × ${nodeType} node hours`, nodes * ctx.hours, `elasticache.valkey:${nodeType}`)];
    },

    "aws:efs/fileSystem:FileSystem": (_fs, ctx) => [
        usage("Standard storage (storage.filesGb)", ctx.usage.storage.filesGb, "efs.standardStorage"),
    ],

    "aws:efs/backupPolicy:BackupPolicy": (policy, ctx): Outcome[] => {
        const status = (policy.inputs.backupPolicy as { status?: string } | undefined)?.status;
        if (status !== "ENABLED") return [{ free: "backups disabled" }];
        return [
            usage(
                "AWS Backup warm storage, one copy of storage.filesGb",
                ctx.usage.storage.filesGb,
                "backup.efsWarmStorage",
            ),
        ];
    },

    [BUCKET]: (bucket, ctx) => {
        // The bucket CloudFront serves holds the assets; the others (access logs, audit trail)
        // share the log archive.
        const served = ctx.links.dependents(bucket, "aws:cloudfront/distribution:Distribution", "origins").length > 0;
        if (served)
            return [usage("Standard storage (storage.assetsGb)", ctx.usage.storage.assetsGb, "s3.standardStorage")];
        const archives = ctx.links
            .ofType(BUCKET)
            .filter(
                (b) => ctx.links.dependents(b, "aws:cloudfront/distribution:Distribution", "origins").length === 0,
            ).length;
        return [
            usage(
                "Standard storage (storage.logArchiveGb, shared among log buckets)",
                ctx.usage.storage.logArchiveGb / archives,
                "s3.standardStorage",
            ),
        ];
    },

    [REPOSITORY]: (_repository, ctx) => [
        usage(
            "image storage (storage.imagesGb, shared among repositories)",
            ctx.usage.storage.imagesGb / ctx.count(REPOSITORY),
            "ecr.storage",
        ),
    ],

    "aws:secretsmanager/secret:Secret": () => [fixed("secret", 1, "secretsmanager.secret")],

    "aws:kms/key:Key": () => [fixed("customer managed key", 1, "kms.key")],
};
