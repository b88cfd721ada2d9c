import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../shared/iam";
import { encryptedLogGroup } from "../shared/log-group";

export interface FlowLogArgs {
    vpcId: pulumi.Input<string>;
    region: string;
    accountId: string;
    logGroupName: string;
    retentionInDays: number;
    kmsKeyArn: pulumi.Input<string>;
}

/** VPC Flow Logs of all traffic, to an encrypted log group, through a role only they can assume. */
export function createFlowLogs(name: string, args: FlowLogArgs, parent: pulumi.Resource): void {
    const logGroup = encryptedLogGroup(
        `${name}-flow-logs`,
        {
            logGroupName: args.logGroupName,
            retentionInDays: args.retentionInDays,
            kmsKeyArn: args.kmsKeyArn,
        },
        { parent },
    );

    const role = new aws.iam.Role(
        `${name}-flow-logs`,
        {
            description: "VPC Flow Logs delivery to CloudWatch Logs",
            assumeRolePolicy: serviceTrustPolicy(
                "vpc-flow-logs.amazonaws.com",
                args.accountId,
                `arn:aws:ec2:${args.region}:${args.accountId}:vpc-flow-log/*`,
            ),
        },
        { parent },
    );
    const delivery = new aws.iam.RolePolicy(
        `${name}-flow-logs`,
        {
            role: role.id,
            policy: logGroup.arn.apply((arn) =>
                JSON.stringify(
                    policyDocument(
                        {
                            Sid: "DeliverToTheLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            // The group (DescribeLogStreams) and its streams (the other two).
                            Resource: [arn, `${arn}:log-stream:*`],
                        },
                        {
                            // DescribeLogGroups has no resource types: granted on anything but "*", it grants nothing.
                            Sid: "ListLogGroups",
                            Effect: "Allow",
                            Action: "logs:DescribeLogGroups",
                            Resource: "*",
                        },
                    ),
                ),
            ),
        },
        { parent },
    );

    new aws.ec2.FlowLog(
        `${name}-flow-logs`,
        {
            vpcId: args.vpcId,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: { Name: `${name}-flow-logs` },
            // Without the role's permissions in place the first deliveries fail with an access error.
        },
        { parent, dependsOn: [delivery] },
    );
}
