import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";

export interface LogDeliveryPolicyArgs {
    /** Account-wide in its region: at most 10 such policies per account and region. */
    policyName: string;
    accountId: string;
    /** The region of the provider the policy is created with; its log groups must be there too. */
    region: string;
    logGroupArns: pulumi.Input<string>[];
}

/**
 * The CloudWatch Logs resource policy that lets AWS log delivery (WAF logging, CloudFront
 * standard logging v2) write into our log groups. Without it each service writes an unmanaged
 * policy of its own on first delivery (or fails when the deployer may not); deliveries wait for it.
 */
export function logDeliveryPolicy(
    name: string,
    args: LogDeliveryPolicyArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogResourcePolicy {
    return new aws.cloudwatch.LogResourcePolicy(
        name,
        {
            policyName: args.policyName,
            policyDocument: pulumi.all(args.logGroupArns).apply((arns) =>
                JSON.stringify(
                    policyDocument({
                        Sid: "AWSLogDeliveryWrite",
                        Effect: "Allow",
                        Principal: { Service: "delivery.logs.amazonaws.com" },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: arns.map((arn) => `${arn}:log-stream:*`),
                        Condition: {
                            StringEquals: { "aws:SourceAccount": args.accountId },
                            ArnLike: { "aws:SourceArn": `arn:aws:logs:${args.region}:${args.accountId}:*` },
                        },
                    }),
                ),
            ),
        },
        opts,
    );
}
