import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { ResourceType, StackIndex } from "./support/stack-index";

/**
 * S3 buckets and the separate resources that configure them (@pulumi/aws 7: `aws.s3.Bucket`, with
 * encryption, public access block, policy, ownership and versioning as resources of their own that
 * name the bucket in their `bucket` input). The deprecated V2 aliases are included.
 */
export const BUCKETS: ResourceType[] = [aws.s3.Bucket, aws.s3.BucketV2];
export const ENCRYPTION_CONFIGS: ResourceType[] = [aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2];
export const VERSIONING_CONFIGS: ResourceType[] = [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2];
export const LOAD_BALANCERS: ResourceType[] = [aws.lb.LoadBalancer, aws.alb.LoadBalancer];

/** The resources of `types` whose `bucket` input came from this bucket. */
export function configsOf(index: StackIndex, bucket: PolicyResource, types: ResourceType[]): PolicyResource[] {
    return index.referrers(bucket, types, "bucket");
}

/** Buckets that load balancers deliver access or connection logs to (ELB writes only SSE-S3 objects). */
export function receivesLoadBalancerLogs(index: StackIndex, bucket: PolicyResource): boolean {
    return index.referrers(bucket, LOAD_BALANCERS, "accessLogs").length > 0 ||
        index.referrers(bucket, LOAD_BALANCERS, "connectionLogs").length > 0;
}

/** Buckets that CloudFront standard (legacy) logging writes to; that delivery needs bucket ACLs. */
export function receivesCloudFrontLogs(index: StackIndex, bucket: PolicyResource): boolean {
    return index.referrers(bucket, [aws.cloudfront.Distribution], "loggingConfig").length > 0;
}
