import * as pulumi from "@pulumi/pulumi";
import { privateBucket } from "../shared/private-bucket";

/** Where product images are uploaded for the thumbnail pipeline; never served by CloudFront. */
export const UPLOADS_PREFIX = "uploads/";

/** Incomplete multipart uploads are billed until aborted. */
const ABORT_MULTIPART_AFTER_DAYS = 7;

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
        if (!Number.isInteger(args.noncurrentVersionRetentionDays) || args.noncurrentVersionRetentionDays < 1) {
            throw new Error(
                `Assets ${name}: noncurrentVersionRetentionDays must be a whole number of days >= 1, got ${args.noncurrentVersionRetentionDays}`,
            );
        }

        const { bucket, publicAccess } = privateBucket(
            `${name}-bucket`,
            {
                bucketName: args.bucketName,
                forceDestroy: args.forceDestroy,
                // One KMS call per bucket key instead of per object: CloudFront fetches stay cheap.
                encryption: { sseAlgorithm: "aws:kms", kmsKeyArn: args.kmsKeyArn, bucketKeyEnabled: true },
                lifecycleRules: [
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
            },
            this,
        );

        this.bucketName = publicAccess.bucket;
        this.bucketArn = bucket.arn;
        this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
        this.kmsKeyArn = pulumi.output(args.kmsKeyArn);

        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
