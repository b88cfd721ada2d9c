import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument } from "../shared/iam";
import { denyInsecureTransport } from "../shared/private-bucket";
import { UPLOADS_PREFIX } from "./assets";

/**
 * The assets bucket's policy: no request without TLS 1.2; CloudFront may read objects only on
 * behalf of `distributionArn` (Origin Access Control), and never the raw uploads awaiting the
 * thumbnail pipeline. Everything else reaches the bucket through IAM.
 */
export function assetsBucketPolicy(bucketArn: string, distributionArn: string): PolicyDocument {
    const everything = [bucketArn, `${bucketArn}/*`];
    const cloudfront = { Service: "cloudfront.amazonaws.com" };
    return policyDocument(
        denyInsecureTransport(bucketArn),
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: everything,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
        {
            Sid: "CloudFrontReadsThroughOriginAccessControl",
            Effect: "Allow",
            Principal: cloudfront,
            Action: "s3:GetObject",
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
        },
        {
            Sid: "CloudFrontNeverServesUploads",
            Effect: "Deny",
            Principal: cloudfront,
            Action: "s3:GetObject",
            Resource: `${bucketArn}/${UPLOADS_PREFIX}*`,
        },
    );
}

/** Attached once the distribution exists: its ARN scopes CloudFront's read access. */
export function attachAssetsBucketPolicy(
    name: string,
    bucketName: pulumi.Input<string>,
    bucketArn: pulumi.Input<string>,
    distributionArn: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucketName,
            policy: pulumi
                .all([bucketArn, distributionArn])
                .apply(([bucket, distribution]) => JSON.stringify(assetsBucketPolicy(bucket, distribution))),
        },
        opts,
    );
}
