import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where product images are uploaded for the thumbnail pipeline; never served by CloudFront. */
export const UPLOADS_PREFIX = "uploads/";

/** Incomplete multipart uploads are billed until aborted. */
const ABORT_MULTIPART_AFTER_DAYS = 7;

// S3's naming rules for general purpose buckets (3-63 characters, no dots: TLS to the
// virtual-hosted name breaks on dotted names).
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export interface AssetsArgs {
    /** Globally unique bucket name. */
    bucketName: string;
    /** Key for default encryption; its policy must admit cloudfront.amazonaws.com (Origin Access Control). */
    kmsKeyArn: pulumi.Input<string>;
    /** Days a replaced or deleted object version is kept. */
    noncurrentVersionRetentionDays: number;
    /** Let `pulumi destroy` delete a non-empty bucket (dev only). */
    forceDestroy: boolean;
}

/**
 * The storefront's static assets bucket: private (all four public-access blocks, ACLs disabled),
 * encrypted with a customer-managed key through an S3 Bucket Key, versioned, with old versions
 * and abandoned multipart uploads cleaned up. CloudFront reads it through Origin Access Control
 * (the bucket policy is the edge's, created once the distribution's ARN exists); services and
 * functions reach it with IAM. Product images land under `uploads/` for the thumbnail pipeline.
 */
export class Assets extends pulumi.ComponentResource {
    /** The bucket's name, known only once public access is blocked: nothing attaches a policy before. */
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** The regional endpoint CloudFront uses as the origin's domain name. */
    readonly bucketRegionalDomainName: pulumi.Output<string>;
    /** Readers and writers need kms:Decrypt / kms:GenerateDataKey on it in their IAM policies. */
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly uploadsPrefix = UPLOADS_PREFIX;

    constructor(name: string, args: AssetsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:edge:Assets", name, {}, opts);
        if (!BUCKET_NAME.test(args.bucketName)) {
            throw new Error(`Assets ${name}: "${args.bucketName}" is not a valid S3 bucket name (3-63 lower-case letters, digits and inner hyphens)`);
        }
        if (!Number.isInteger(args.noncurrentVersionRetentionDays) || args.noncurrentVersionRetentionDays < 1) {
            throw new Error(`Assets ${name}: noncurrentVersionRetentionDays must be a whole number of days >= 1, got ${args.noncurrentVersionRetentionDays}`);
        }
        const child = { parent: this };

        const bucket = new aws.s3.Bucket(`${name}-bucket`, {
            bucket: args.bucketName,
            forceDestroy: args.forceDestroy,
            tags: { Name: args.bucketName },
        }, child);

        const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);

        new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);

        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                // One KMS call per bucket key instead of per object: CloudFront fetches are cheap again.
                bucketKeyEnabled: true,
            }],
        }, child);

        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, child);

        // Rules on noncurrent versions act only once versioning is on; S3 applies both
        // configurations asynchronously, so the lifecycle waits for versioning.
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-old-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionDays },
                    expiration: { expiredObjectDeleteMarker: true },
                },
                {
                    id: "abort-incomplete-multipart-uploads",
                    status: "Enabled",
                    filter: {},
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_AFTER_DAYS },
                },
            ],
        }, { parent: this, dependsOn: [versioning] });

        this.bucketName = publicAccess.bucket;
        this.bucketArn = bucket.arn;
        this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
        this.kmsKeyArn = pulumi.output(args.kmsKeyArn);

        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
