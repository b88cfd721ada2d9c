import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "./iam";

/**
 * S3's naming rules for general-purpose buckets (3-63 lower-case letters, digits and hyphens),
 * without dots: TLS to the virtual-hosted name breaks on dotted names.
 */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export interface PrivateBucketArgs {
    /** Globally unique bucket name. */
    bucketName: string;
    /** Let `pulumi destroy` delete a bucket that still holds objects (dev only). */
    forceDestroy: boolean;
    /** Make `pulumi destroy` stop at the bucket (audit evidence). */
    protect?: boolean;
    /** Default encryption: SSE-S3, or SSE-KMS with a customer-managed key. */
    encryption:
        | { sseAlgorithm: "AES256" }
        | { sseAlgorithm: "aws:kms"; kmsKeyArn: pulumi.Input<string>; bucketKeyEnabled: boolean };
    /** Lifecycle rules; applied once versioning is on (noncurrent-version rules need it). */
    lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    publicAccess: aws.s3.BucketPublicAccessBlock;
    /**
     * The bucket's configuration resources. S3 rejects concurrent changes to one bucket
     * (OperationAborted), so a bucket policy created later waits for all of them.
     */
    settings: pulumi.Resource[];
}

/**
 * A private bucket as every bucket of this program is: all four public-access blocks, ACLs
 * disabled (bucket-owner-enforced), default encryption, versioning and lifecycle. The bucket
 * policy is the caller's (each bucket admits different writers), with `denyInsecureTransport`.
 */
export function privateBucket(name: string, args: PrivateBucketArgs, parent: pulumi.Resource): PrivateBucket {
    if (!BUCKET_NAME.test(args.bucketName)) {
        throw new Error(
            `${name}: "${args.bucketName}" is not a valid S3 bucket name (3-63 lower-case letters, digits and inner hyphens)`,
        );
    }
    const child = { parent };
    const bucket = new aws.s3.Bucket(
        name,
        {
            bucket: args.bucketName,
            forceDestroy: args.forceDestroy,
            tags: { Name: args.bucketName },
        },
        { parent, protect: args.protect },
    );

    const ownership = new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        },
        child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        child,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault:
                        args.encryption.sseAlgorithm === "AES256"
                            ? { sseAlgorithm: "AES256" }
                            : { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.kmsKeyArn },
                    bucketKeyEnabled:
                        args.encryption.sseAlgorithm === "aws:kms" ? args.encryption.bucketKeyEnabled : undefined,
                },
            ],
        },
        child,
    );
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        },
        child,
    );
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: args.lifecycleRules,
        },
        { parent, dependsOn: [versioning] },
    );

    return { bucket, publicAccess, settings: [ownership, publicAccess, encryption, versioning, lifecycle] };
}

/** The statement every bucket policy starts with: no access without TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
