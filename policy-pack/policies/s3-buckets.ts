import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { ResourceType, StackIndex } from "./support/stack-index";
import { CLASSIC_LOAD_BALANCERS, LOAD_BALANCERS } from "./support/type-groups";

/** The resources of `types` that configure this bucket (their `bucket` input came from it). */
export function configsOf(index: StackIndex, bucket: PolicyResource, types: ResourceType[]): PolicyResource[] {
    return index.referrers(bucket, types, "bucket");
}

/** Buckets that load balancers (classic ones included) deliver access or connection logs to (ELB writes only SSE-S3 objects). */
export function receivesLoadBalancerLogs(index: StackIndex, bucket: PolicyResource): boolean {
    const loadBalancers = [...LOAD_BALANCERS, ...CLASSIC_LOAD_BALANCERS];
    return (
        index.referrers(bucket, loadBalancers, "accessLogs").length > 0 ||
        index.referrers(bucket, LOAD_BALANCERS, "connectionLogs").length > 0
    );
}

/** Buckets that CloudFront standard (legacy) logging writes to; that delivery needs bucket ACLs. */
export function receivesCloudFrontLogs(index: StackIndex, bucket: PolicyResource): boolean {
    return index.referrers(bucket, [aws.cloudfront.Distribution], "loggingConfig").length > 0;
}
