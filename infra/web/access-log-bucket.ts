import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import { denyInsecureTransport, privateBucket } from "../shared/private-bucket";
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

/**
 * The bucket for the stack's load balancers' access logs: private (all four public-access blocks, ACLs
 * disabled), SSE-S3 encrypted because ELB cannot write to SSE-KMS buckets, TLS-only, expiring
 * logs after the stack's retention, writable only by the region's ELB log delivery and only
 * under this account's prefix.
 */
export function accessLogBucket(name: string, args: AccessLogBucketArgs, parent: pulumi.Resource): AccessLogBucket {
    // Versioned, so a log overwritten or deleted inside the account can still be read back.
    const { bucket, settings } = privateBucket(
        name,
        {
            bucketName: args.bucketName,
            forceDestroy: args.forceDestroy,
            encryption: { sseAlgorithm: "AES256" },
            lifecycleRules: [
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
        },
        parent,
    );

    // S3 rejects concurrent changes to one bucket's configuration; the policy goes in last.
    const policy = new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) =>
                JSON.stringify(
                    policyDocument(
                        {
                            Sid: "ElbLogDelivery",
                            Effect: "Allow",
                            Principal: elbLogWriter(args.region),
                            Action: "s3:PutObject",
                            Resource: args.prefixes.map((prefix) => `${arn}/${prefix}/AWSLogs/${args.accountId}/*`),
                        },
                        denyInsecureTransport(arn),
                    ),
                ),
            ),
        },
        { parent, dependsOn: settings },
    );

    return { bucketName: bucket.bucket, ready: [policy, ...settings] };
}
