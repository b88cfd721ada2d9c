import * as aws from "@pulumi/aws";
import { ResourceType } from "./stack-index";

// Resource types checked together. @pulumi/aws 7 keeps deprecated aliases (s3 *V2, alb.*) with
// type tokens of their own; a program may still use them.

/** S3 buckets: `aws.s3.Bucket` (with encryption, public access block, policy, ownership and versioning as separate resources). */
export const BUCKETS: ResourceType[] = [aws.s3.Bucket, aws.s3.BucketV2];
export const ENCRYPTION_CONFIGS: ResourceType[] = [
    aws.s3.BucketServerSideEncryptionConfiguration,
    aws.s3.BucketServerSideEncryptionConfigurationV2,
];
export const VERSIONING_CONFIGS: ResourceType[] = [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2];
export const LOAD_BALANCERS: ResourceType[] = [aws.lb.LoadBalancer, aws.alb.LoadBalancer];
export const LISTENERS: ResourceType[] = [aws.lb.Listener, aws.alb.Listener];
export const LISTENER_RULES: ResourceType[] = [aws.lb.ListenerRule, aws.alb.ListenerRule];
/** Classic load balancers, which hold their listeners, zones, logs and settings inline. */
export const CLASSIC_LOAD_BALANCERS: ResourceType[] = [aws.elb.LoadBalancer];
/** VPCs the stack creates, and the region's default VPC when it adopts it. */
export const VPCS: ResourceType[] = [aws.ec2.Vpc, aws.ec2.DefaultVpc];
/** Subnets the stack creates, and the default subnets it adopts (public: the default VPC routes to its internet gateway). */
export const SUBNETS: ResourceType[] = [aws.ec2.Subnet, aws.ec2.DefaultSubnet];
