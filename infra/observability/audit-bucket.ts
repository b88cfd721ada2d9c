import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import { denyInsecureTransport, privateBucket } from "../shared/private-bucket";

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

/**
 * The bucket CloudTrail delivers to: private (all public-access blocks, ACLs disabled), TLS only,
 * versioned, encrypted with the audit key, moved to cheaper storage and expired by lifecycle, and
 * a policy that lets only this trail write under AWSLogs/<account>/. Returns the bucket and its
 * policy, which must exist before the trail (CloudTrail checks its access when the trail is created).
 */
export function createAuditBucket(
    name: string,
    args: AuditBucketArgs,
    parent: pulumi.Resource,
): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const { bucket, settings } = privateBucket(
        name,
        {
            bucketName: args.bucketName,
            forceDestroy: false,
            protect: args.protect,
            encryption: {
                sseAlgorithm: "aws:kms",
                kmsKeyArn: args.kmsKeyArn,
                // An S3 Bucket Key would replace CloudTrail's encryption context (the trail ARN) with the
                // bucket's, which the audit key's policy does not admit.
                bucketKeyEnabled: false,
            },
            lifecycleRules: [
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
                {
                    id: "remove-expired-delete-markers",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
        },
        parent,
    );

    const policy = new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) => JSON.stringify(auditBucketPolicy(arn, args.accountId, args.trailArn))),
            // S3 rejects a policy change while another setting is being applied (OperationAborted).
        },
        { parent, dependsOn: settings },
    );
    return { bucket, policy };
}

/** The policy CloudTrail's documentation gives (with aws:SourceArn), plus TLS-only access. */
export function auditBucketPolicy(bucketArn: string, accountId: string, trailArn: string) {
    const fromTrail = { "aws:SourceArn": trailArn };
    return policyDocument(
        denyInsecureTransport(bucketArn),
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
