import { describePolicy } from "./check";

describePolicy("rds-deletion-protection", {}, [
    {
        rule: "deletion protection off",
        mutate: (g) => g.set("data-cluster", { deletionProtection: false }),
        expect: /deletionProtection is not true/,
    },
    {
        rule: "no final snapshot",
        mutate: (g) => g.set("data-cluster", { skipFinalSnapshot: true }),
        expect: /skipFinalSnapshot is true/,
    },
    {
        rule: "a final snapshot without a name (destroy fails)",
        mutate: (g) => g.set("data-cluster", { finalSnapshotIdentifier: undefined }),
        expect: /finalSnapshotIdentifier is not set/,
    },
]);

describePolicy("rds-backups", {}, [
    {
        rule: "retention below the minimum",
        mutate: (g) => g.set("data-cluster", { backupRetentionPeriod: 3 }),
        expect: /backupRetentionPeriod is 3 day\(s\); at least 7/,
    },
    {
        rule: "the one-day default",
        mutate: (g) => g.set("data-cluster", { backupRetentionPeriod: undefined }),
        expect: /is 1 day\(s\)/,
    },
    {
        rule: "tags not copied to snapshots",
        mutate: (g) => g.set("data-cluster", { copyTagsToSnapshot: false }),
        expect: /copyTagsToSnapshot is not true/,
    },
    {
        rule: "a shorter retention where configured",
        mutate: (g) => g.set("data-cluster", { backupRetentionPeriod: 1 }),
        config: { minimumRetentionDays: 1 },
        expect: null,
    },
]);

describePolicy("elasticache-backups", {}, [
    {
        rule: "no snapshots",
        mutate: (g) => g.set("cache", { snapshotRetentionLimit: 0 }),
        expect: /snapshotRetentionLimit is 0/,
    },
]);

describePolicy("efs-automatic-backups", {}, [
    {
        rule: "no backup policy",
        mutate: (g) => g.remove("files-backup"),
        expect: /has no backup policy with status ENABLED/,
        at: "files",
    },
    {
        rule: "backups disabled",
        mutate: (g) => g.set("files-backup", { backupPolicy: { status: "DISABLED" } }),
        expect: /has no backup policy with status ENABLED/,
    },
]);

describePolicy("lb-deletion-protection", {}, [
    {
        rule: "deletion protection off",
        mutate: (g) => g.set("web-alb", { enableDeletionProtection: false }),
        expect: /enableDeletionProtection is not true/,
        at: "web-alb",
    },
]);

describePolicy("cognito-user-pool-deletion-protection", {}, [
    {
        rule: "deletion protection inactive",
        mutate: (g) => g.set("identity-users", { deletionProtection: undefined }),
        expect: /INACTIVE \(the default\)/,
    },
]);

describePolicy("kms-key-deletion-window", {}, [
    {
        rule: "a seven-day window",
        mutate: (g) => g.set("keys-audit", { deletionWindowInDays: 7 }),
        expect: /deletionWindowInDays is 7; at least 30/,
        at: "keys-audit",
    },
    {
        rule: "a seven-day window where configured",
        mutate: (g) => g.set("keys-audit", { deletionWindowInDays: 7 }),
        config: { minimumDays: 7 },
        expect: null,
    },
]);

describePolicy("secretsmanager-recovery-window", {}, [
    {
        rule: "immediate deletion",
        mutate: (g) => g.set("cache-auth", { recoveryWindowInDays: 0 }),
        expect: /recoveryWindowInDays is 0/,
    },
]);

describePolicy("s3-bucket-versioning", {}, [
    {
        rule: "no versioning resource",
        mutate: (g) => g.remove("assets-versioning"),
        expect: /does not keep object versions/,
        at: "assets",
    },
    {
        rule: "versioning suspended",
        mutate: (g) => g.set("assets-versioning", { versioningConfiguration: { status: "Suspended" } }),
        expect: /does not keep object versions/,
    },
]);

describePolicy("sqs-queue-has-dead-letter-queue", {}, [
    {
        rule: "a queue without a dead-letter queue",
        mutate: (g) => g.set("queues-orders", { redrivePolicy: undefined }),
        expect: /has no dead-letter queue/,
        at: "queues-orders",
    },
    {
        rule: "a dead-letter queue that keeps messages too briefly",
        mutate: (g) => g.set("queues-orders-dlq", { messageRetentionSeconds: 86400 }),
        expect: /is a dead-letter queue keeping messages 86400 s/,
        at: "queues-orders-dlq",
    },
    {
        rule: "a dead-letter queue shorter than its source (messages expire on arrival)",
        mutate: (g) => g.set("queues-orders", { messageRetentionSeconds: 1209600 }),
        config: { minimumDlqRetentionSeconds: 60 },
        expect: null,
    },
    {
        rule: "a dead-letter queue that keeps messages less long than its source",
        mutate: (g) => g.set("queues-orders-dlq", { messageRetentionSeconds: 86400 }),
        config: { minimumDlqRetentionSeconds: 60 },
        expect: /keeps messages 345600 s but its dead-letter queue queues-orders-dlq only 86400 s/,
        at: "queues-orders",
    },
    {
        rule: "a standard dead-letter queue for a FIFO queue (SQS rejects it)",
        mutate: (g) => g.set("queues-orders", { fifoQueue: true }),
        expect: /which is not FIFO/,
    },
    {
        rule: "a redrive policy given as a separate resource",
        mutate: (g) => {
            g.set("queues-orders", { redrivePolicy: undefined });
            g.add("aws:sqs/redrivePolicy:RedrivePolicy", "orders-redrive", {
                queueUrl: g.ref("queues-orders"),
                redrivePolicy: g.json({ deadLetterTargetArn: g.arn("queues-orders-dlq"), maxReceiveCount: 5 }),
            });
        },
        expect: null,
    },
    {
        rule: "a dead-letter queue outside the stack, by ARN",
        mutate: (g) => {
            g.remove("queues-orders-dlq");
            g.set("queues-orders", {
                redrivePolicy: JSON.stringify({
                    deadLetterTargetArn: "arn:aws:sqs:af-south-1:222222222222:shared-dlq",
                    maxReceiveCount: 5,
                }),
            });
        },
        expect: null,
    },
]);
