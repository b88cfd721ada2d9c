import { describePolicy } from "./check";
import { UNKNOWN } from "./synthetic";

describePolicy("rds-storage-encrypted", {}, [
    {
        rule: "storage not encrypted",
        mutate: (g) => g.set("data-cluster", { storageEncrypted: false }),
        expect: /storageEncrypted is not true/,
        at: "data-cluster",
    },
    {
        rule: "an AWS-managed key",
        mutate: (g) => g.set("data-cluster", { kmsKeyId: "alias/aws/rds" }),
        expect: /not a customer-managed key/,
    },
    {
        rule: "no key, when a customer-managed one is not required",
        mutate: (g) => g.set("data-cluster", { kmsKeyId: undefined }),
        expect: null,
        config: { requireCustomerManagedKey: false },
    },
    {
        rule: "a DocumentDB cluster unencrypted",
        mutate: (g) => g.add("aws:docdb/cluster:Cluster", "catalog-docs", { engine: "docdb" }),
        expect: /storageEncrypted is not true/,
        at: "catalog-docs",
    },
    {
        rule: "a Neptune cluster encrypted with the AWS-managed key",
        mutate: (g) => g.add("aws:neptune/cluster:Cluster", "graph", { storageEncrypted: true }),
        expect: /not a customer-managed key/,
        at: "graph",
    },
    {
        rule: "a Neptune cluster with the data key (kmsKeyArn)",
        mutate: (g) =>
            g.add("aws:neptune/cluster:Cluster", "graph", { storageEncrypted: true, kmsKeyArn: g.arn("keys-data") }),
        expect: null,
    },
    {
        rule: "a new global cluster unencrypted",
        mutate: (g) => g.add("aws:rds/globalCluster:GlobalCluster", "global", { engine: "aurora-postgresql" }),
        expect: /storageEncrypted is not true: the clusters that join it/,
        at: "global",
    },
    {
        rule: "a global cluster made from the encrypted cluster",
        mutate: (g) =>
            g.add("aws:rds/globalCluster:GlobalCluster", "global", {
                sourceDbClusterIdentifier: g.arn("data-cluster"),
            }),
        expect: null,
    },
    {
        rule: "a standalone instance unencrypted",
        mutate: (g) =>
            g.add("aws:rds/instance:Instance", "legacy-db", { instanceClass: "db.t4g.micro", engine: "postgres" }),
        expect: /storageEncrypted is not true/,
        at: "legacy-db",
    },
    {
        rule: "a key unknown during preview",
        mutate: (g) => g.set("data-cluster", { kmsKeyId: UNKNOWN }),
        expect: /can't run policy .* during preview: string value at \.kmsKeyId/,
    },
]);

describePolicy("rds-performance-insights-encrypted", {}, [
    {
        rule: "Performance Insights without a key",
        mutate: (g) => g.set("data-instance-1", { performanceInsightsKmsKeyId: undefined }),
        expect: /without performanceInsightsKmsKeyId/,
        at: "data-instance-1",
    },
    {
        rule: "Performance Insights off needs no key",
        mutate: (g) =>
            g.set("data-instance-1", { performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined }),
        expect: null,
    },
]);

describePolicy("elasticache-encrypted-at-rest", {}, [
    {
        rule: "a standalone cache cluster (no at-rest encryption possible)",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "memcached", numCacheNodes: 2 }),
        expect: /is a standalone memcached cluster, which ElastiCache cannot encrypt at rest/,
        at: "sessions",
    },
    {
        rule: "a cache cluster that is a member of the encrypted replication group",
        mutate: (g) =>
            g.add("aws:elasticache/cluster:Cluster", "cache-extra-node", { replicationGroupId: g.ref("cache") }),
        expect: null,
    },
    {
        rule: "a serverless cache with the AWS-owned key",
        mutate: (g) => g.add("aws:elasticache/serverlessCache:ServerlessCache", "carts", { engine: "valkey" }),
        expect: /kmsKeyId is not a customer-managed key: the cache uses an AWS-owned key/,
        at: "carts",
    },
    {
        rule: "at-rest encryption off",
        mutate: (g) => g.set("cache", { atRestEncryptionEnabled: false }),
        expect: /atRestEncryptionEnabled is not true/,
    },
    {
        rule: "no customer-managed key",
        mutate: (g) => g.set("cache", { kmsKeyId: undefined }),
        expect: /kmsKeyId is not a customer-managed key/,
    },
]);

describePolicy("efs-encrypted-at-rest", {}, [
    {
        rule: "unencrypted file system",
        mutate: (g) => g.set("files", { encrypted: false }),
        expect: /encrypted is not true/,
    },
    {
        rule: "the AWS-managed key",
        mutate: (g) => g.set("files", { kmsKeyId: "arn:aws:kms:af-south-1:222222222222:alias/aws/elasticfilesystem" }),
        expect: /aws\/elasticfilesystem/,
    },
]);

describePolicy("s3-bucket-encrypted-at-rest", {}, [
    {
        rule: "no encryption configuration resource",
        mutate: (g) => g.remove("assets-sse"),
        expect: /no server-side encryption configuration/,
        at: "assets",
    },
    {
        rule: "the bucket's own setting when it has no configuration resource",
        mutate: (g) => {
            g.remove("assets-sse");
            g.set("assets", {
                serverSideEncryptionConfiguration: {
                    rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                },
            });
        },
        expect: /uses AES256; allowed: aws:kms, aws:kms:dsse/,
        at: "assets",
    },
    {
        rule: "a configuration resource overrides the bucket's own output (the encryption AWS applied at creation)",
        mutate: (g) =>
            g.set("assets", {
                serverSideEncryptionConfiguration: {
                    rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                },
            }),
        expect: null,
    },
    {
        rule: "SSE-S3 where KMS is required",
        mutate: (g) =>
            g.set("assets-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
        expect: /uses AES256; allowed: aws:kms, aws:kms:dsse/,
    },
    {
        rule: "SSE-KMS with the AWS-managed key",
        mutate: (g) =>
            g.set("assets-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
        expect: /without a customer-managed kmsMasterKeyId/,
    },
    {
        rule: "SSE-KMS on a bucket that receives load balancer logs (ELB cannot deliver)",
        mutate: (g) =>
            g.set("web-alb-logs-sse", {
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: "arn:aws:kms:af-south-1:222222222222:key/k",
                        },
                    },
                ],
            }),
        expect: /receives load balancer logs but uses aws:kms/,
        at: "web-alb-logs",
    },
    {
        rule: "SSE-S3 for load balancer logs when the exception is turned off",
        mutate: () => undefined,
        config: { allowSseS3ForLoadBalancerLogs: false },
        expect: /uses AES256; allowed/,
        at: "web-alb-logs",
    },
    {
        rule: "SSE-S3 everywhere when configured",
        mutate: (g) =>
            g.set("assets-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
        config: { allowedAlgorithms: ["aws:kms", "AES256"] },
        expect: null,
    },
    {
        rule: "an encryption configuration unknown during preview",
        mutate: (g) => g.set("assets-sse", { rules: UNKNOWN }),
        expect: /can't run policy .* during preview: 1 resource\(s\) could not be verified: urn:pulumi:prod::shop::aws:s3\/bucket:Bucket::assets/,
    },
]);

describePolicy("sqs-queue-encrypted", {}, [
    {
        rule: "no key",
        mutate: (g) => g.set("queues-orders-dlq", { kmsMasterKeyId: undefined }),
        expect: /not a customer-managed key/,
        at: "queues-orders-dlq",
    },
    {
        rule: "SQS-managed encryption where a customer-managed key is required",
        mutate: (g) => g.set("queues-orders", { kmsMasterKeyId: undefined, sqsManagedSseEnabled: true }),
        expect: /not a customer-managed key/,
    },
    {
        rule: "SQS-managed encryption when allowed",
        mutate: (g) => g.set("queues-orders", { kmsMasterKeyId: undefined, sqsManagedSseEnabled: true }),
        config: { requireCustomerManagedKey: false },
        expect: null,
    },
    {
        rule: "no encryption at all when any is allowed",
        mutate: (g) => g.set("queues-orders", { kmsMasterKeyId: undefined }),
        config: { requireCustomerManagedKey: false },
        expect: /neither kmsMasterKeyId nor sqsManagedSseEnabled/,
    },
]);

describePolicy("sns-topic-encrypted", {}, [
    {
        rule: "unencrypted topic",
        mutate: (g) => g.set("observability-alerts", { kmsMasterKeyId: undefined }),
        expect: /stored unencrypted/,
    },
    {
        rule: "the AWS-managed key",
        mutate: (g) => g.set("observability-alerts", { kmsMasterKeyId: "alias/aws/sns" }),
        expect: /AWS-managed alias\/aws\/sns/,
    },
]);

describePolicy("ec2-ebs-encrypted", {}, [
    {
        rule: "no declared volume",
        mutate: (g) => g.set("web-template", { blockDeviceMappings: undefined }),
        expect: /declares no root volume/,
    },
    {
        rule: "an unencrypted volume",
        mutate: (g) =>
            g.set("web-template", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }),
        expect: /volume \/dev\/xvda is not encrypted/,
    },
    {
        rule: "no customer-managed key when required",
        mutate: (g) =>
            g.set("web-template", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }),
        config: { requireCustomerManagedKey: true },
        expect: /no customer-managed kmsKeyId/,
    },
    {
        rule: "an instance without a root volume",
        mutate: (g) => g.add("aws:ec2/instance:Instance", "bastion", { ami: "ami-1", instanceType: "t4g.nano" }),
        expect: /declares no root volume/,
        at: "bastion",
    },
    {
        rule: "an instance launched from a template, which declares the root volume",
        mutate: (g) =>
            g.add("aws:ec2/instance:Instance", "bastion", {
                launchTemplate: { id: g.ref("web-template"), version: "$Latest" },
            }),
        expect: null,
    },
    {
        rule: "an instance's extra volume unencrypted",
        mutate: (g) =>
            g.add("aws:ec2/instance:Instance", "bastion", {
                rootBlockDevice: { encrypted: true },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }],
            }),
        expect: /volume \/dev\/sdf is not encrypted/,
        at: "bastion",
    },
    {
        rule: "a launch configuration with an unencrypted root volume",
        mutate: (g) =>
            g.add("aws:ec2/launchConfiguration:LaunchConfiguration", "legacy-launch", {
                imageId: "ami-1",
                instanceType: "t4g.small",
                rootBlockDevice: { volumeSize: 20 },
            }),
        expect: /the root volume is not encrypted/,
        at: "legacy-launch",
    },
    {
        rule: "a launch configuration cannot name a customer-managed key",
        mutate: (g) =>
            g.add("aws:ec2/launchConfiguration:LaunchConfiguration", "legacy-launch", {
                rootBlockDevice: { encrypted: true },
            }),
        config: { requireCustomerManagedKey: true },
        expect: /the root volume has no customer-managed kmsKeyId/,
    },
    {
        rule: "a spot instance request without a root volume",
        mutate: (g) => g.add("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "batch-spot", { ami: "ami-1" }),
        expect: /declares no root volume/,
        at: "batch-spot",
    },
    {
        rule: "an unencrypted EBS volume",
        mutate: (g) => g.add("aws:ebs/volume:Volume", "scratch", { availabilityZone: "af-south-1a", size: 100 }),
        expect: /the volume is not encrypted/,
        at: "scratch",
    },
    {
        rule: "an encrypted EBS volume",
        mutate: (g) =>
            g.add("aws:ebs/volume:Volume", "scratch", {
                availabilityZone: "af-south-1a",
                encrypted: true,
                kmsKeyId: g.arn("keys-data"),
            }),
        expect: null,
    },
]);

describePolicy("cloudwatch-log-group-encrypted", {}, [
    {
        rule: "a log group without a key",
        mutate: (g) => g.set("network-flow-logs", { kmsKeyId: undefined }),
        expect: /kmsKeyId is not set/,
        at: "network-flow-logs",
    },
]);

describePolicy("cloudtrail-encrypted", {}, [
    {
        rule: "a trail without a key",
        mutate: (g) => g.set("observability-trail", { kmsKeyId: undefined }),
        expect: /kmsKeyId is not set/,
    },
]);

describePolicy("secretsmanager-secret-encrypted", {}, [
    {
        rule: "the default aws/secretsmanager key",
        mutate: (g) => g.set("cache-auth", { kmsKeyId: undefined }),
        expect: /aws\/secretsmanager/,
    },
]);

describePolicy("ecr-repository-encrypted", {}, [
    {
        rule: "AES-256 encryption",
        mutate: (g) => g.set("services-orders-repo", { encryptionConfigurations: [{ encryptionType: "AES256" }] }),
        expect: /encryptionType is not KMS/,
    },
    {
        rule: "KMS without a key",
        mutate: (g) => g.set("services-orders-repo", { encryptionConfigurations: [{ encryptionType: "KMS" }] }),
        expect: /aws\/ecr key/,
    },
]);

describePolicy("kms-key-rotation-enabled", {}, [
    {
        rule: "rotation off",
        mutate: (g) => g.set("keys-data", { enableKeyRotation: false }),
        expect: /enableKeyRotation is not true/,
    },
    {
        rule: "a rotation period beyond the maximum",
        mutate: (g) => g.set("keys-data", { rotationPeriodInDays: 730 }),
        expect: /730 exceeds 365/,
    },
    {
        rule: "asymmetric keys (which AWS cannot rotate) are left alone",
        mutate: (g) =>
            g.set("keys-data", {
                enableKeyRotation: false,
                customerMasterKeySpec: "RSA_2048",
                keyUsage: "SIGN_VERIFY",
            }),
        expect: null,
    },
]);

describePolicy("kms-key-in-resource-region", {}, [
    {
        rule: "a us-east-1 log group with the stack region's key",
        mutate: (g) => g.set("edge-waf-logs", { kmsKeyId: g.arn("keys-logs") }),
        expect: /kmsKeyId uses KMS key keys-logs of af-south-1, but the resource is in us-east-1/,
        at: "edge-waf-logs",
    },
    {
        rule: "a resource's own region input",
        mutate: (g) => g.set("queues-orders", { region: "eu-west-1" }),
        expect: /of af-south-1, but the resource is in eu-west-1/,
        at: "queues-orders",
    },
]);
