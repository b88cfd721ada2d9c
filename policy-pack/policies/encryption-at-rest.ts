import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { configsOf, receivesLoadBalancerLogs } from "./s3-buckets";
import { BUCKETS, ENCRYPTION_CONFIGS } from "./support/type-groups";
import { StackIndex } from "./support/stack-index";
import { checkEach } from "./support/unknowns";
import { CUSTOMER_MANAGED_KEY_SCHEMA, InputProps, isCustomerManagedKey, isSet, regionOf } from "./support/values";

interface KeyConfig {
    requireCustomerManagedKey: boolean;
}
const keySchema = { properties: { requireCustomerManagedKey: CUSTOMER_MANAGED_KEY_SCHEMA } };

export const rdsStorageEncrypted = resourcePolicy(
    {
        name: "rds-storage-encrypted",
        description:
            "RDS and Aurora storage (and with it snapshots and backups) is encrypted with a customer-managed KMS key: clusters, standalone instances, global clusters, and the DocumentDB and Neptune clusters built on RDS.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["RDS.3", "RDS.4", "RDS.27"],
        remediation:
            "Set storageEncrypted: true and kmsKeyId (kmsKeyArn for Neptune) to the data key's ARN. Encryption cannot be turned on for an existing cluster: restore a snapshot into an encrypted one.",
        configSchema: keySchema,
    },
    [
        validateResourceOfType(aws.rds.Cluster, (db, args, report) =>
            checkStorageEncryption(db.storageEncrypted, db.kmsKeyId, args, report),
        ),
        validateResourceOfType(aws.rds.Instance, (db, args, report) =>
            checkStorageEncryption(db.storageEncrypted, db.kmsKeyId, args, report),
        ),
        validateResourceOfType(aws.docdb.Cluster, (db, args, report) =>
            checkStorageEncryption(db.storageEncrypted, db.kmsKeyId, args, report),
        ),
        validateResourceOfType(aws.neptune.Cluster, (db, args, report) =>
            checkStorageEncryption(db.storageEncrypted, db.kmsKeyArn, args, report),
        ),
        // A global cluster made from an existing cluster takes that cluster's encryption; its key is the members'.
        validateResourceOfType(aws.rds.GlobalCluster, (global, _args, report) => {
            if (!isSet(global.sourceDbClusterIdentifier) && global.storageEncrypted !== true)
                report("storageEncrypted is not true: the clusters that join it store their data unencrypted.");
        }),
    ],
);

function checkStorageEncryption(
    storageEncrypted: boolean | undefined,
    kmsKeyId: string | undefined,
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (storageEncrypted !== true)
        report("storageEncrypted is not true: the database storage, its snapshots and backups are not encrypted.");
    else if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(kmsKeyId)) {
        report(
            "the KMS key is not a customer-managed key: storage is encrypted with the AWS-managed aws/rds key, whose policy the account cannot scope.",
        );
    }
}

export const rdsPerformanceInsightsEncrypted = resourcePolicy(
    {
        name: "rds-performance-insights-encrypted",
        description: "Performance Insights data (which holds SQL text) is encrypted with a customer-managed KMS key.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        remediation:
            "Set performanceInsightsKmsKeyId to the data key's ARN wherever performanceInsightsEnabled is true; the key cannot be changed once Performance Insights is on.",
    },
    [
        validateResourceOfType(aws.rds.Cluster, checkPerformanceInsightsKey),
        validateResourceOfType(aws.rds.ClusterInstance, checkPerformanceInsightsKey),
        validateResourceOfType(aws.rds.Instance, checkPerformanceInsightsKey),
    ],
);

function checkPerformanceInsightsKey(
    db: { performanceInsightsEnabled?: boolean; performanceInsightsKmsKeyId?: string },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (db.performanceInsightsEnabled === true && !isCustomerManagedKey(db.performanceInsightsKmsKeyId)) {
        report(
            "Performance Insights is enabled without performanceInsightsKmsKeyId: its data would use the AWS-managed aws/rds key.",
        );
    }
}

export const elasticacheEncryptedAtRest = resourcePolicy(
    {
        name: "elasticache-encrypted-at-rest",
        description:
            "ElastiCache data is encrypted at rest (disk, swap and backups) with a customer-managed KMS key: replication groups and serverless caches; a standalone cache cluster, which cannot be encrypted at rest, is not used.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["ElastiCache.4"],
        remediation:
            "Use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true and kmsKeyId the data key's ARN (both only at creation: a change replaces it), or a ServerlessCache with kmsKeyId.",
        configSchema: keySchema,
    },
    [
        validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, report) => {
            if (group.atRestEncryptionEnabled !== true) report("atRestEncryptionEnabled is not true.");
            else if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(group.kmsKeyId)) {
                report("kmsKeyId is not a customer-managed key.");
            }
        }),
        validateResourceOfType(aws.elasticache.ServerlessCache, (cache, args, report) => {
            if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(cache.kmsKeyId))
                report("kmsKeyId is not a customer-managed key: the cache uses an AWS-owned key.");
        }),
        // A member of a replication group takes the group's encryption.
        validateResourceOfType(aws.elasticache.Cluster, (cluster, _args, report) => {
            if (!isSet(cluster.replicationGroupId))
                report(
                    `is a standalone ${cluster.engine ?? "cache"} cluster, which ElastiCache cannot encrypt at rest: use a replication group or a serverless cache.`,
                );
        }),
    ],
);

export const efsEncryptedAtRest = resourcePolicy(
    {
        name: "efs-encrypted-at-rest",
        description: "EFS file systems are encrypted at rest with a customer-managed KMS key.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["EFS.1", "EFS.8"],
        remediation:
            "Set encrypted: true and kmsKeyId to the data key's ARN (only at creation: a change replaces the file system).",
        configSchema: keySchema,
    },
    validateResourceOfType(aws.efs.FileSystem, (fs, args, report) => {
        if (fs.encrypted !== true) report("encrypted is not true.");
        else if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(fs.kmsKeyId)) {
            report(
                "kmsKeyId is not a customer-managed key: the file system would use the AWS-managed aws/elasticfilesystem key.",
            );
        }
    }),
);

interface S3EncryptionConfig extends KeyConfig {
    allowedAlgorithms: string[];
    allowSseS3ForLoadBalancerLogs: boolean;
}

export const s3BucketEncryptedAtRest = stackPolicy(
    {
        name: "s3-bucket-encrypted-at-rest",
        description:
            "Every S3 bucket has a server-side encryption configuration (a separate resource in @pulumi/aws 7, linked to the bucket by its `bucket` input) with an allowed algorithm and, for SSE-KMS, a customer-managed key; buckets that receive load balancer logs use SSE-S3, the only encryption ELB can write.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        securityHub: ["S3.17"],
        remediation:
            "Add an aws.s3.BucketServerSideEncryptionConfiguration whose bucket is the bucket's id, with sseAlgorithm aws:kms and kmsMasterKeyId the data key (bucketKeyEnabled to cut KMS costs); for a load balancer log bucket use AES256.",
        configSchema: {
            properties: {
                allowedAlgorithms: {
                    type: "array",
                    items: { type: "string", enum: ["aws:kms", "aws:kms:dsse", "AES256"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["aws:kms", "aws:kms:dsse"],
                    description: "Server-side encryption algorithms a bucket may use by default",
                },
                allowSseS3ForLoadBalancerLogs: {
                    type: "boolean",
                    default: true,
                    description:
                        "Allow AES256 on buckets that load balancers deliver logs to (ELB cannot write SSE-KMS objects)",
                },
                requireCustomerManagedKey: CUSTOMER_MANAGED_KEY_SCHEMA,
            },
        },
    },
    (args, report) => {
        const config = args.getConfig<S3EncryptionConfig>();
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...BUCKETS),
            (b) => b.urn,
            (bucket) => {
                // The bucket's own (deprecated) setting only counts without a separate resource: after an
                // update the engine passes outputs, where it shows the encryption AWS applied at creation.
                const configs = configsOf(index, bucket, ENCRYPTION_CONFIGS);
                const inline = bucket.props.serverSideEncryptionConfiguration?.rule;
                const rules =
                    configs.length > 0
                        ? configs.flatMap((c) => (c.props.rules ?? []) as InputProps[])
                        : inline
                          ? [inline]
                          : [];
                if (rules.length === 0) {
                    report(
                        "has no server-side encryption configuration resource: its encryption is left to the account default.",
                        bucket.urn,
                    );
                    return;
                }
                const logBucket = receivesLoadBalancerLogs(index, bucket);
                for (const rule of rules) {
                    const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
                    if (logBucket && algorithm !== "AES256") {
                        report(
                            `receives load balancer logs but uses ${algorithm}: ELB delivers only to SSE-S3 (AES256) buckets, so delivery would fail.`,
                            bucket.urn,
                        );
                        continue;
                    }
                    const allowed =
                        logBucket && config.allowSseS3ForLoadBalancerLogs
                            ? [...config.allowedAlgorithms, "AES256"]
                            : config.allowedAlgorithms;
                    if (!allowed.includes(algorithm)) {
                        report(`uses ${algorithm ?? "no algorithm"}; allowed: ${allowed.join(", ")}.`, bucket.urn);
                    } else if (
                        String(algorithm).startsWith("aws:kms") &&
                        config.requireCustomerManagedKey &&
                        !isCustomerManagedKey(rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId)
                    ) {
                        report(
                            `uses ${algorithm} without a customer-managed kmsMasterKeyId (the AWS-managed aws/s3 key would be used).`,
                            bucket.urn,
                        );
                    }
                }
            },
        );
    },
);

export const sqsQueueEncrypted = resourcePolicy(
    {
        name: "sqs-queue-encrypted",
        description:
            "SQS queues (dead-letter queues included) are encrypted at rest, with a customer-managed KMS key unless configured otherwise.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["SQS.1"],
        remediation:
            "Set kmsMasterKeyId to the messaging key's ARN (its key policy must admit the services that send to the queue).",
        configSchema: keySchema,
    },
    validateResourceOfType(aws.sqs.Queue, (queue, args, report) => {
        const cmk = isCustomerManagedKey(queue.kmsMasterKeyId);
        if (args.getConfig<KeyConfig>().requireCustomerManagedKey) {
            if (!cmk) report("kmsMasterKeyId is not a customer-managed key.");
        } else if (!isSet(queue.kmsMasterKeyId) && queue.sqsManagedSseEnabled !== true) {
            report("neither kmsMasterKeyId nor sqsManagedSseEnabled is set.");
        }
    }),
);

export const snsTopicEncrypted = resourcePolicy(
    {
        name: "sns-topic-encrypted",
        description: "SNS topics are encrypted at rest with a customer-managed KMS key.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        securityHub: ["SNS.1"],
        remediation:
            "Set kmsMasterKeyId to the messaging key's ARN (its key policy must admit the services that publish, e.g. cloudwatch.amazonaws.com for alarms).",
        configSchema: keySchema,
    },
    validateResourceOfType(aws.sns.Topic, (topic, args, report) => {
        if (!isSet(topic.kmsMasterKeyId)) report("kmsMasterKeyId is not set: messages are stored unencrypted.");
        else if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(topic.kmsMasterKeyId)) {
            report(
                "kmsMasterKeyId is the AWS-managed alias/aws/sns key, which CloudWatch and other services cannot use to publish.",
            );
        }
    }),
);

/** An EBS volume as a launch template, launch configuration, instance or volume declares it (read lazily). */
interface Volume {
    name: string;
    settings: { encrypted?: unknown; kmsKeyId?: unknown };
}

export const ec2EbsEncrypted = resourcePolicy(
    {
        name: "ec2-ebs-encrypted",
        description:
            "EC2 launch templates, launch configurations, instances (spot requests included) and EBS volumes declare their volumes, each encrypted.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["EC2.3", "EC2.181"],
        remediation:
            'Declare the root volume (blockDeviceMappings with ebs.encrypted "true" in a template, rootBlockDevice.encrypted: true elsewhere) and set encrypted: true on every other volume (with kmsKeyId for a customer-managed key).',
        configSchema: {
            properties: {
                requireCustomerManagedKey: { ...CUSTOMER_MANAGED_KEY_SCHEMA, default: false },
            },
        },
    },
    [
        validateResourceOfType(aws.ec2.LaunchTemplate, (template, args, report) => {
            const volumes = (template.blockDeviceMappings ?? [])
                .filter((m) => m.ebs !== undefined)
                .map((m) => ({ name: `volume ${m.deviceName ?? "(no device name)"}`, settings: m.ebs ?? {} }));
            checkVolumes(volumes, volumes.length > 0, args, report);
        }),
        validateResourceOfType(aws.ec2.LaunchConfiguration, (config, args, report) =>
            checkInstanceVolumes(config, false, args, report),
        ),
        validateResourceOfType(aws.ec2.Instance, (instance, args, report) =>
            checkInstanceVolumes(instance, instance.launchTemplate !== undefined, args, report),
        ),
        validateResourceOfType(aws.ec2.SpotInstanceRequest, (request, args, report) =>
            checkInstanceVolumes(request, request.launchTemplate !== undefined, args, report),
        ),
        validateResourceOfType(aws.ebs.Volume, (volume, args, report) =>
            checkVolumes([{ name: "the volume", settings: volume }], true, args, report),
        ),
    ],
);

/** An instance's (or launch configuration's) root and extra volumes; a launch template may declare the root. */
function checkInstanceVolumes(
    instance: {
        rootBlockDevice?: { encrypted?: boolean; kmsKeyId?: string };
        ebsBlockDevices?: { deviceName: string; encrypted?: boolean; kmsKeyId?: string }[];
    },
    rootFromTemplate: boolean,
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    const volumes: Volume[] = [
        ...(instance.rootBlockDevice ? [{ name: "the root volume", settings: instance.rootBlockDevice }] : []),
        ...(instance.ebsBlockDevices ?? []).map((v) => ({ name: `volume ${v.deviceName}`, settings: v })),
    ];
    checkVolumes(volumes, instance.rootBlockDevice !== undefined || rootFromTemplate, args, report);
}

function checkVolumes(
    volumes: Volume[],
    declaresRoot: boolean,
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (!declaresRoot)
        report(
            "declares no root volume: the AMI's volumes are encrypted only if the account's EBS encryption by default is on.",
        );
    const requireKey = args.getConfig<KeyConfig>().requireCustomerManagedKey;
    for (const volume of volumes) {
        if (String(volume.settings.encrypted) !== "true") report(`${volume.name} is not encrypted.`);
        else if (requireKey && !isCustomerManagedKey(volume.settings.kmsKeyId))
            report(`${volume.name} has no customer-managed kmsKeyId.`);
    }
}

export const cloudwatchLogGroupEncrypted = resourcePolicy(
    {
        name: "cloudwatch-log-group-encrypted",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        remediation:
            "Set kmsKeyId to the logs key's ARN (its key policy admits logs.<region>.amazonaws.com with the encryption-context condition).",
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
        if (!isCustomerManagedKey(group.kmsKeyId))
            report("kmsKeyId is not set: the log data is encrypted only with CloudWatch's own key.");
    }),
);

export const cloudtrailEncrypted = resourcePolicy(
    {
        name: "cloudtrail-encrypted",
        description: "CloudTrail log files are encrypted with a customer-managed KMS key (SSE-KMS).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        fsbp: ["CloudTrail.2"],
        remediation:
            "Set kmsKeyId to the audit key's ARN; its key policy must admit cloudtrail.amazonaws.com with the aws:SourceArn condition.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (!isCustomerManagedKey(trail.kmsKeyId)) report("kmsKeyId is not set.");
    }),
);

export const secretsManagerSecretEncrypted = resourcePolicy(
    {
        name: "secretsmanager-secret-encrypted",
        description:
            "Secrets Manager secrets are encrypted with a customer-managed KMS key, so that reading one takes kms:Decrypt on that key as well.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        remediation:
            "Set kmsKeyId to the data key's ARN and grant kms:Decrypt on it to the roles that read the secret.",
    },
    validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
        if (!isCustomerManagedKey(secret.kmsKeyId))
            report(
                "kmsKeyId is not a customer-managed key: the secret uses aws/secretsmanager, which every principal with secretsmanager:GetSecretValue can decrypt.",
            );
    }),
);

export const ecrRepositoryEncrypted = resourcePolicy(
    {
        name: "ecr-repository-encrypted",
        description: "ECR repositories encrypt images with KMS, using a customer-managed key.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        remediation:
            'Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <data key ARN> }] (only at creation).',
        configSchema: keySchema,
    },
    validateResourceOfType(aws.ecr.Repository, (repo, args, report) => {
        const encryption = repo.encryptionConfigurations?.[0];
        if (!encryption || !["KMS", "KMS_DSSE"].includes(String(encryption.encryptionType))) {
            report("encryptionType is not KMS: images are encrypted with the service's AES-256 keys only.");
        } else if (args.getConfig<KeyConfig>().requireCustomerManagedKey && !isCustomerManagedKey(encryption.kmsKey)) {
            report("kmsKey is not set: the AWS-managed aws/ecr key would be used.");
        }
    }),
);

interface RotationConfig {
    maximumRotationPeriodDays: number;
}

export const kmsKeyRotationEnabled = resourcePolicy(
    {
        name: "kms-key-rotation-enabled",
        description: "Symmetric customer-managed KMS keys rotate their key material automatically, at least yearly.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        securityHub: ["KMS.4"],
        remediation: "Set enableKeyRotation: true (and rotationPeriodInDays within the maximum).",
        configSchema: {
            properties: {
                maximumRotationPeriodDays: {
                    type: "integer",
                    minimum: 90,
                    maximum: 2560,
                    default: 365,
                    description: "Longest rotation period allowed",
                },
            },
        },
    },
    validateResourceOfType(aws.kms.Key, (key, args, report) => {
        const symmetric =
            (key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" &&
            (key.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
        if (!symmetric) args.notApplicable("AWS rotates only symmetric encryption keys automatically");
        const { maximumRotationPeriodDays } = args.getConfig<RotationConfig>();
        if (key.enableKeyRotation !== true) report("enableKeyRotation is not true.");
        else if ((key.rotationPeriodInDays ?? 365) > maximumRotationPeriodDays) {
            report(`rotationPeriodInDays ${key.rotationPeriodInDays} exceeds ${maximumRotationPeriodDays}.`);
        }
    }),
);

/** Inputs that hold policy documents: they name key ARNs to grant access, not to encrypt with them. */
const DOCUMENT_INPUTS = new Set(["policy", "assumeRolePolicy", "inlinePolicies"]);

export const kmsKeyInResourceRegion = stackPolicy(
    {
        name: "kms-key-in-resource-region",
        description:
            "A resource encrypts only with KMS keys of its own region (the aws.kms.Key or Alias each input's value names, resolved through its links); AWS services reject a key from another region at deploy time, e.g. a us-east-1 WAF log group with the stack region's logs key.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-at-rest",
        remediation:
            "Create a key in the resource's region (the us-east-1 provider for edge resources), or a multi-Region replica there, and use it.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        const keyTypes = [aws.kms.Key, aws.kms.Alias, aws.kms.ReplicaKey];
        const keys = new Set(index.ofType(...keyTypes).map((k) => k.urn));
        checkEach(
            args.resources.filter((r) => r.provider !== undefined && !r.type.startsWith("aws:iam/")),
            (r) => r.urn,
            (resource) => {
                const region = regionOf(resource.props, resource.provider);
                for (const [property, sources] of Object.entries(resource.propertyDependencies)) {
                    if (DOCUMENT_INPUTS.has(property) || !sources.some((s) => keys.has(s.urn))) continue;
                    for (const key of index.sources(resource, property, ...keyTypes)) {
                        const keyRegion = regionOf(key.props, key.provider);
                        if (region && keyRegion && region !== keyRegion) {
                            report(
                                `${property} uses KMS key ${key.name} of ${keyRegion}, but the resource is in ${region}.`,
                                resource.urn,
                            );
                        }
                    }
                }
            },
        );
    },
);

export const encryptionAtRestPolicies = [
    rdsStorageEncrypted,
    rdsPerformanceInsightsEncrypted,
    elasticacheEncryptedAtRest,
    efsEncryptedAtRest,
    s3BucketEncryptedAtRest,
    sqsQueueEncrypted,
    snsTopicEncrypted,
    ec2EbsEncrypted,
    cloudwatchLogGroupEncrypted,
    cloudtrailEncrypted,
    secretsManagerSecretEncrypted,
    ecrRepositoryEncrypted,
    kmsKeyRotationEnabled,
    kmsKeyInResourceRegion,
];
