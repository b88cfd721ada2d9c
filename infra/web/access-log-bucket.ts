import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import { elbLogWriter } from "./elb-log-delivery";

export interface AccessLogBucketArgs {
    /** Globally unique bucket name. */
    bucketName: string;
    accountId: string;
    /** The load balancer's region: it decides who delivers the logs. */
    region: string;
    /** Each load balancer writes under `<prefix>/AWSLogs/<account>/`; one prefix per load balancer. */
    prefixes: string[];
    retentionDays: number;
    /** Let `pulumi destroy` delete a bucket that still holds logs (dev only). */
    forceDestroy: boolean;
}

export interface AccessLogBucket {
    bucketName: pulumi.Output<string>;
    /** What a load balancer must wait for: it checks that it may write when access logging is turned on. */
    ready: pulumi.Resource[];
}

/** Days a replaced or deleted log version is kept before it expires. */
const NONCURRENT_LOG_DAYS = 30;

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
export const BUCKET_NAME = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/**
 * The bucket for the stack's load balancers' access logs: private (all four public-access blocks, ACLs
 * disabled), SSE-S3 encrypted because ELB cannot write to SSE-KMS buckets, TLS-only, expiring
 * logs after the stack's retention, writable only by the region's ELB log delivery and only
 * under this account's prefix.
 */
export function accessLogBucket(name: string, args: AccessLogBucketArgs, parent: pulumi.Resource): AccessLogBucket {
    const child = { parent };

    const bucket = new aws.s3.Bucket(name, {
        bucket: args.bucketName,
        forceDestroy: args.forceDestroy,
        tags: { Name: args.bucketName },
    }, child);
    const ownership = new aws.s3.BucketOwnershipControls(name, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(name, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, child);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(name, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, child);
    // Versioned, so a log overwritten or deleted inside the account can still be read back.
    const versioning = new aws.s3.BucketVersioning(name, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, child);
    new aws.s3.BucketLifecycleConfiguration(name, {
        bucket: bucket.id,
        rules: [
            {
                id: "expire-access-logs",
                status: "Enabled",
                filter: { prefix: "" },
                expiration: { days: args.retentionDays },
                noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_LOG_DAYS },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            {
                // Expiration leaves delete markers; drop them once no version is left behind them.
                id: "remove-expired-delete-markers",
                status: "Enabled",
                filter: { prefix: "" },
                expiration: { expiredObjectDeleteMarker: true },
            },
        ],
    // Lifecycle rules for noncurrent versions need versioning in place first.
    }, { parent, dependsOn: [versioning] });

    // S3 rejects concurrent changes to one bucket's configuration; the policy goes in last.
    const policy = new aws.s3.BucketPolicy(name, {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(policyDocument(
            {
                Sid: "ElbLogDelivery",
                Effect: "Allow",
                Principal: elbLogWriter(args.region),
                Action: "s3:PutObject",
                Resource: args.prefixes.map((prefix) => `${arn}/${prefix}/AWSLogs/${args.accountId}/*`),
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ))),
    }, { parent, dependsOn: [ownership, publicAccess, encryption, versioning] });

    return { bucketName: bucket.bucket, ready: [policy, encryption] };
}
