import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";

export interface AuditBucketArgs {
    bucketName: string;
    accountId: string;
    /** The trail that writes here: the bucket policy admits CloudTrail only on its behalf. */
    trailArn: string;
    /** The audit key: the default encryption (CloudTrail itself writes with the trail's key). */
    kmsKeyArn: pulumi.Input<string>;
    infrequentAccessAfterDays: number;
    archiveAfterDays: number;
    expireAfterDays: number;
    /** Protect the bucket from `pulumi destroy` (audit evidence). */
    protect: boolean;
}

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens, starting and ending alphanumerically. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket CloudTrail delivers to: private (all public-access blocks, ACLs disabled), TLS only,
 * versioned, encrypted with the audit key, moved to cheaper storage and expired by lifecycle, and
 * a policy that lets only this trail write under AWSLogs/<account>/. Returns the bucket and its
 * policy, which must exist before the trail (CloudTrail checks its access when the trail is created).
 */
export function createAuditBucket(name: string, args: AuditBucketArgs, parent: pulumi.Resource): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    if (!BUCKET_NAME.test(args.bucketName)) {
        throw new Error(`${name}: ${args.bucketName} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
    }
    const opts = { parent };
    const bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: false }, { parent, protect: args.protect });

    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(name, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
            // An S3 Bucket Key would replace CloudTrail's encryption context (the trail ARN) with the
            // bucket's, which the audit key's policy does not admit.
            bucketKeyEnabled: false,
        }],
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(name, {
        bucket: bucket.id,
        rules: [
            {
                id: "archive-then-expire",
                status: "Enabled",
                // The whole bucket; an empty filter block draws the provider's "will be an error" warning.
                filter: { prefix: "" },
                transitions: [
                    { days: args.infrequentAccessAfterDays, storageClass: "STANDARD_IA" },
                    { days: args.archiveAfterDays, storageClass: "GLACIER" },
                ],
                expiration: { days: args.expireAfterDays },
                // Versions replaced or expired stay recoverable for 30 days, then go.
                noncurrentVersionExpiration: { noncurrentDays: 30 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            { id: "remove-expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
        ],
    }, opts);

    const policy = new aws.s3.BucketPolicy(name, {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(auditBucketPolicy(arn, args.accountId, args.trailArn))),
    // S3 rejects a policy change while the public-access block is being applied (OperationAborted).
    }, { parent, dependsOn: [publicAccess] });
    return { bucket, policy };
}

/** The policy CloudTrail's documentation gives (with aws:SourceArn), plus TLS-only access. */
export function auditBucketPolicy(bucketArn: string, accountId: string, trailArn: string) {
    const fromTrail = { "aws:SourceArn": trailArn };
    return policyDocument(
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: fromTrail },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { ...fromTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
    );
}
