import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup } from "../shared/log-group";
import { logDeliveryPolicy } from "./log-delivery-policy";

export interface AccessLogsArgs {
    namePrefix: string;
    accountId: string;
    distributionArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** A us-east-1 logs key. */
    logsKeyArn: pulumi.Input<string>;
    parent: pulumi.Resource;
    /** us-east-1: CloudFront's log deliveries are configured there. */
    provider: aws.Provider;
}

/**
 * CloudFront standard logging (v2): access logs delivered as JSON to an encrypted log group with
 * retention, in us-east-1. Legacy logging would need a log bucket with ACLs enabled (CloudFront
 * writes objects owned by its awslogsdelivery account), which bucket-owner-enforced ownership
 * forbids; v2 delivery needs only a resource policy.
 */
export function createAccessLogs(name: string, args: AccessLogsArgs): void {
    const opts = { parent: args.parent, provider: args.provider };
    const region = "us-east-1";

    // Under /aws/vendedlogs/ CloudWatch Logs can grant deliveries by prefix if resource policies fill up.
    const logGroup = encryptedLogGroup(
        `${name}-access-logs`,
        {
            logGroupName: `/aws/vendedlogs/cloudfront/${args.namePrefix}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyArn: args.logsKeyArn,
        },
        opts,
    );
    const deliveryPolicy = logDeliveryPolicy(
        `${name}-access-log-delivery`,
        {
            policyName: `${args.namePrefix}-cloudfront-log-delivery`,
            accountId: args.accountId,
            region,
            logGroupArns: [logGroup.arn],
        },
        opts,
    );

    const source = new aws.cloudwatch.LogDeliverySource(
        `${name}-access-logs`,
        {
            name: `${args.namePrefix}-cloudfront`,
            logType: "ACCESS_LOGS",
            resourceArn: args.distributionArn,
        },
        opts,
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
        `${name}-access-logs`,
        {
            name: `${args.namePrefix}-cloudfront-logs`,
            outputFormat: "json",
            deliveryDestinationConfiguration: { destinationResourceArn: logGroup.arn },
        },
        opts,
    );
    new aws.cloudwatch.LogDelivery(
        `${name}-access-logs`,
        {
            deliverySourceName: source.name,
            deliveryDestinationArn: destination.arn,
        },
        { ...opts, dependsOn: [deliveryPolicy] },
    );
}
