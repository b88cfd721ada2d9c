import * as aws from "@pulumi/aws";
import { PolicyResource, ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { configsOf } from "./s3-buckets";
import { StackIndex } from "./support/stack-index";
import { BUCKETS, VERSIONING_CONFIGS } from "./support/type-groups";
import { checkEach } from "./support/unknowns";
import { isSet, structured } from "./support/values";

export const rdsDeletionProtection = resourcePolicy(
    {
        name: "rds-deletion-protection",
        description:
            "RDS clusters and instances are protected from deletion and keep a final snapshot when they are deleted.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["RDS.7", "RDS.8"],
        remediation: "Set deletionProtection: true, skipFinalSnapshot: false and a finalSnapshotIdentifier.",
    },
    [
        validateResourceOfType(aws.rds.Cluster, checkRdsDeletion),
        validateResourceOfType(aws.rds.Instance, checkRdsDeletion),
    ],
);

function checkRdsDeletion(
    db: { deletionProtection?: boolean; skipFinalSnapshot?: boolean; finalSnapshotIdentifier?: string },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (db.deletionProtection !== true)
        report("deletionProtection is not true: one mistaken delete drops the database.");
    if (db.skipFinalSnapshot === true) report("skipFinalSnapshot is true: deleting the database keeps no snapshot.");
    // Without skipFinalSnapshot RDS needs a snapshot name at deletion; `pulumi destroy` fails without one.
    else if (!isSet(db.finalSnapshotIdentifier))
        report("finalSnapshotIdentifier is not set, so deleting the database fails.");
}

interface RetentionConfig {
    minimumRetentionDays: number;
}

export const rdsBackups = resourcePolicy(
    {
        name: "rds-backups",
        description: "RDS clusters and instances keep automated backups long enough and copy their tags to snapshots.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["RDS.11", "RDS.16", "RDS.17"],
        remediation: "Set backupRetentionPeriod to at least the minimum and copyTagsToSnapshot: true.",
        configSchema: {
            properties: {
                minimumRetentionDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 35,
                    default: 7,
                    description: "Fewest days of automated backups",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.rds.Cluster, checkRdsBackups),
        validateResourceOfType(aws.rds.Instance, checkRdsBackups),
    ],
);

function checkRdsBackups(
    db: { backupRetentionPeriod?: number; copyTagsToSnapshot?: boolean },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    const { minimumRetentionDays } = args.getConfig<RetentionConfig>();
    const retention = db.backupRetentionPeriod ?? 1;
    if (retention < minimumRetentionDays)
        report(`backupRetentionPeriod is ${retention} day(s); at least ${minimumRetentionDays} are required.`);
    if (db.copyTagsToSnapshot !== true)
        report("copyTagsToSnapshot is not true: snapshots lose the ownership and classification tags.");
}

export const elasticacheBackups = resourcePolicy(
    {
        name: "elasticache-backups",
        description: "ElastiCache replication groups keep automatic snapshots.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["ElastiCache.1"],
        remediation: "Set snapshotRetentionLimit to at least the minimum (and a snapshotWindow).",
        configSchema: {
            properties: {
                minimumRetentionDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 35,
                    default: 1,
                    description: "Fewest days of automatic snapshots",
                },
            },
        },
    },
    validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, report) => {
        const { minimumRetentionDays } = args.getConfig<RetentionConfig>();
        if ((group.snapshotRetentionLimit ?? 0) < minimumRetentionDays) {
            report(
                `snapshotRetentionLimit is ${group.snapshotRetentionLimit ?? 0}; at least ${minimumRetentionDays} are required.`,
            );
        }
    }),
);

export const efsAutomaticBackups = stackPolicy(
    {
        name: "efs-automatic-backups",
        description:
            "EFS file systems have automatic backups on (an aws.efs.BackupPolicy linked by its `fileSystemId` input).",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["EFS.7"],
        remediation: 'Add an aws.efs.BackupPolicy for the file system with backupPolicy.status "ENABLED".',
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.efs.FileSystem),
            (r) => r.urn,
            (fs) => {
                const policies = index.referrers(fs, [aws.efs.BackupPolicy], "fileSystemId");
                if (!policies.some((p) => p.props.backupPolicy?.status === "ENABLED"))
                    report("has no backup policy with status ENABLED.", fs.urn);
            },
        );
    },
);

export const lbDeletionProtection = resourcePolicy(
    {
        name: "lb-deletion-protection",
        description:
            "Load balancers are protected from deletion (their DNS name is what CloudFront, records and clients point at).",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["ELB.6"],
        remediation: "Set enableDeletionProtection: true.",
    },
    [
        validateResourceOfType(aws.lb.LoadBalancer, checkLbDeletion),
        validateResourceOfType(aws.alb.LoadBalancer, checkLbDeletion),
    ],
);

function checkLbDeletion(
    lb: { enableDeletionProtection?: boolean },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (lb.enableDeletionProtection !== true) report("enableDeletionProtection is not true.");
}

export const cognitoUserPoolDeletionProtection = resourcePolicy(
    {
        name: "cognito-user-pool-deletion-protection",
        description: "Cognito user pools (the customers' accounts) are protected from deletion.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        remediation: 'Set deletionProtection: "ACTIVE".',
    },
    validateResourceOfType(aws.cognito.UserPool, (pool, _args, report) => {
        if (pool.deletionProtection !== "ACTIVE")
            report(
                `deletionProtection is ${pool.deletionProtection ?? "INACTIVE (the default)"}: deleting the pool deletes every customer account.`,
            );
    }),
);

interface WindowConfig {
    minimumDays: number;
}

export const kmsKeyDeletionWindow = resourcePolicy(
    {
        name: "kms-key-deletion-window",
        description:
            "KMS keys wait long enough between a scheduled deletion and the destruction of the key (everything encrypted with it becomes unreadable).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        fsbp: ["KMS.3"],
        remediation: "Set deletionWindowInDays to at least the minimum (30 in production).",
        configSchema: {
            properties: {
                minimumDays: {
                    type: "integer",
                    minimum: 7,
                    maximum: 30,
                    default: 30,
                    description: "Shortest deletion window",
                },
            },
        },
    },
    validateResourceOfType(aws.kms.Key, (key, args, report) => {
        const { minimumDays } = args.getConfig<WindowConfig>();
        const window = key.deletionWindowInDays ?? 30;
        if (window < minimumDays)
            report(
                `deletionWindowInDays is ${window}; at least ${minimumDays} are required to notice and cancel a deletion.`,
            );
    }),
);

export const secretsManagerRecoveryWindow = resourcePolicy(
    {
        name: "secretsmanager-recovery-window",
        description: "Secrets Manager secrets can be recovered for a while after deletion.",
        severity: "low",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        remediation:
            "Leave recoveryWindowInDays unset (30) or set it to at least the minimum; 0 deletes the secret at once.",
        configSchema: {
            properties: {
                minimumDays: {
                    type: "integer",
                    minimum: 0,
                    maximum: 30,
                    default: 7,
                    description: "Shortest recovery window",
                },
            },
        },
    },
    validateResourceOfType(aws.secretsmanager.Secret, (secret, args, report) => {
        const { minimumDays } = args.getConfig<WindowConfig>();
        const window = secret.recoveryWindowInDays ?? 30;
        if (window < minimumDays) report(`recoveryWindowInDays is ${window}; at least ${minimumDays} are required.`);
    }),
);

export const s3BucketVersioning = stackPolicy(
    {
        name: "s3-bucket-versioning",
        description:
            "S3 buckets keep object versions (an aws.s3.BucketVersioning linked by its `bucket` input), so an overwrite or delete can be undone.",
        severity: "low",
        enforcementLevel: "advisory",
        mandate: "resilience",
        securityHub: ["S3.14"],
        remediation:
            'Add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" and a lifecycle rule that expires noncurrent versions.',
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...BUCKETS),
            (b) => b.urn,
            (bucket) => {
                const enabled =
                    configsOf(index, bucket, VERSIONING_CONFIGS).some(
                        (v) => v.props.versioningConfiguration?.status === "Enabled",
                    ) || bucket.props.versioning?.enabled === true;
                if (!enabled) report("does not keep object versions.", bucket.urn);
            },
        );
    },
);

interface DlqConfig {
    minimumDlqRetentionSeconds: number;
}

/** SQS keeps messages 4 days unless told otherwise. */
const DEFAULT_RETENTION_SECONDS = 345600;

export const sqsQueueHasDeadLetterQueue = stackPolicy(
    {
        name: "sqs-queue-has-dead-letter-queue",
        description:
            "Every SQS queue is either a dead-letter queue or redrives to one (found through the redrive policy's links), of the same kind (FIFO or standard), that keeps messages at least as long as its source and long enough to be examined.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "resilience",
        remediation:
            "Give each queue a redrivePolicy { deadLetterTargetArn: dlq.arn, maxReceiveCount } pointing at a queue of the same kind with messageRetentionSeconds at least the minimum (14 days).",
        configSchema: {
            properties: {
                minimumDlqRetentionSeconds: {
                    type: "integer",
                    minimum: 60,
                    maximum: 1209600,
                    default: 1209600,
                    description: "Shortest message retention of a dead-letter queue",
                },
            },
        },
    },
    (args, report) => {
        const { minimumDlqRetentionSeconds } = args.getConfig<DlqConfig>();
        const index = StackIndex.of(args.resources);
        const redriveLinks = (queue: PolicyResource) => [
            ...index.sources(queue, "redrivePolicy", aws.sqs.Queue),
            ...index
                .referrers(queue, [aws.sqs.RedrivePolicy], "queueUrl")
                .flatMap((r) => index.sources(r, "redrivePolicy", aws.sqs.Queue)),
        ];
        const isDeadLetterQueue = (queue: PolicyResource) =>
            index.referrers(queue, [aws.sqs.Queue, aws.sqs.RedrivePolicy], "redrivePolicy").length > 0;
        const retention = (queue: PolicyResource) =>
            (queue.props.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) as number;

        checkEach(
            index.ofType(aws.sqs.Queue),
            (q) => q.urn,
            (queue) => {
                if (isDeadLetterQueue(queue)) {
                    if (retention(queue) < minimumDlqRetentionSeconds) {
                        report(
                            `is a dead-letter queue keeping messages ${retention(queue)} s; at least ${minimumDlqRetentionSeconds} s are required to examine and redrive them.`,
                            queue.urn,
                        );
                    }
                    return;
                }
                const dlqs = redriveLinks(queue);
                if (dlqs.length === 0) {
                    const target = structured<{ deadLetterTargetArn?: string }>(
                        queue.props.redrivePolicy,
                    )?.deadLetterTargetArn;
                    if (!isSet(target))
                        report(
                            "has no dead-letter queue: a message that keeps failing is retried until it expires, and lost.",
                            queue.urn,
                        );
                    return;
                }
                for (const dlq of dlqs) {
                    if ((dlq.props.fifoQueue === true) !== (queue.props.fifoQueue === true)) {
                        report(
                            `redrives to ${dlq.name}, which is ${dlq.props.fifoQueue === true ? "" : "not "}FIFO: SQS requires the dead-letter queue to be of the same kind.`,
                            queue.urn,
                        );
                    }
                    if (retention(dlq) < retention(queue)) {
                        report(
                            `keeps messages ${retention(queue)} s but its dead-letter queue ${dlq.name} only ${retention(dlq)} s: messages expire on arrival.`,
                            queue.urn,
                        );
                    }
                }
            },
        );
    },
);

export const resiliencePolicies = [
    rdsDeletionProtection,
    rdsBackups,
    elasticacheBackups,
    efsAutomaticBackups,
    lbDeletionProtection,
    cognitoUserPoolDeletionProtection,
    kmsKeyDeletionWindow,
    secretsManagerRecoveryWindow,
    s3BucketVersioning,
    sqsQueueHasDeadLetterQueue,
];
