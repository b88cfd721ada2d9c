import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmDestinations, createAlarm } from "./alarm";

/**
 * A CIS AWS Foundations Benchmark monitoring control: a metric filter on the trail's log group
 * and an alarm on any match. The patterns are the benchmark's, as AWS Security Hub checks them
 * (controls CloudWatch.1 to CloudWatch.14; CIS v1.4/v3.0 section 4): a changed pattern fails the check.
 */
export interface CisControl {
    /** Suffix of resource, metric and alarm names. */
    id: string;
    control: string;
    pattern: string;
    /** What a match means and what the on-call does. */
    description: string;
}

const REVIEW =
    "Do: find the event in CloudTrail (the trail's log group or Event history) by time; confirm who made the change and that it was planned (a deployment, a change request); if not, treat it as a security incident: revert the change and rotate the principal's credentials.";

export const CIS_CONTROLS: readonly CisControl[] = [
    {
        id: "root-account-usage",
        control: "CloudWatch.1 / CIS 4.3",
        pattern:
            '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
        description: `The root user made an API call or signed in. Root is for break-glass only. ${REVIEW}`,
    },
    {
        id: "unauthorized-api-calls",
        control: "CloudWatch.2 / CIS 4.1",
        pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        description: `An API call was denied (UnauthorizedOperation or AccessDenied): probing by a compromised credential, or a role missing a permission after a change. ${REVIEW}`,
    },
    {
        id: "console-sign-in-without-mfa",
        control: "CloudWatch.3 / CIS 4.2",
        pattern:
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
        description: `An IAM user signed in to the console without MFA. ${REVIEW} Then enforce MFA for that user.`,
    },
    {
        id: "iam-policy-changes",
        control: "CloudWatch.4 / CIS 4.4",
        pattern:
            "{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}",
        description: `An IAM policy was created, changed, attached or detached. ${REVIEW}`,
    },
    {
        id: "cloudtrail-changes",
        control: "CloudWatch.5 / CIS 4.5",
        pattern:
            "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
        description: `A CloudTrail trail was created, changed, deleted, started or stopped: audit logging may be off. ${REVIEW}`,
    },
    {
        id: "console-authentication-failures",
        control: "CloudWatch.6 / CIS 4.6",
        pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
        description: `A console sign-in failed authentication: a mistyped password, or password guessing. ${REVIEW}`,
    },
    {
        id: "kms-key-disabled-or-deleted",
        control: "CloudWatch.7 / CIS 4.7",
        pattern:
            "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
        description:
            "A customer-managed KMS key was disabled or scheduled for deletion: everything it encrypts becomes unreadable. Do: find the key and the caller in CloudTrail; if unplanned, re-enable the key or cancel its deletion (CancelKeyDeletion) at once, then treat it as a security incident.",
    },
    {
        id: "s3-bucket-policy-changes",
        control: "CloudWatch.8 / CIS 4.8",
        pattern:
            "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
        description: `A bucket's policy, ACL, CORS, lifecycle or replication changed: data may be exposed or copied. ${REVIEW}`,
    },
    {
        id: "config-changes",
        control: "CloudWatch.9 / CIS 4.9",
        pattern:
            "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}",
        description: `AWS Config recording or delivery changed: configuration history may be off. ${REVIEW}`,
    },
    {
        id: "security-group-changes",
        control: "CloudWatch.10 / CIS 4.10",
        pattern:
            "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
        description: `A security group or its rules changed. Deployments of this program change them too: compare with the latest pulumi up. ${REVIEW}`,
    },
    {
        id: "nacl-changes",
        control: "CloudWatch.11 / CIS 4.11",
        pattern:
            "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
        description: `A network ACL changed. ${REVIEW}`,
    },
    {
        id: "network-gateway-changes",
        control: "CloudWatch.12 / CIS 4.12",
        pattern:
            "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
        description: `An internet or customer gateway was created, attached, detached or deleted: traffic may leave or enter the VPC another way. ${REVIEW}`,
    },
    {
        id: "route-table-changes",
        control: "CloudWatch.13 / CIS 4.13",
        pattern:
            "{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}",
        description: `A route or route table changed: traffic may be redirected. ${REVIEW}`,
    },
    {
        id: "vpc-changes",
        control: "CloudWatch.14 / CIS 4.14",
        pattern:
            "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
        description: `A VPC or a VPC peering connection changed. ${REVIEW}`,
    },
];

/** Metric filters on the trail's log group and an alarm on each (any match in 5 minutes). */
export function createCisAlarms(
    name: string,
    logGroupName: pulumi.Input<string>,
    to: AlarmDestinations,
    parent: pulumi.Resource,
): void {
    const namespace = `${to.namePrefix}/CISBenchmark`;
    for (const control of CIS_CONTROLS) {
        const filter = new aws.cloudwatch.LogMetricFilter(
            `${name}-cis-${control.id}`,
            {
                // Unique per log group even when several stacks filter one shared (existing) trail's group.
                name: `${to.namePrefix}-cis-${control.id}`,
                logGroupName,
                pattern: control.pattern,
                metricTransformation: { name: control.id, namespace, value: "1", unit: "Count" },
            },
            { parent },
        );
        createAlarm(
            name,
            {
                id: `cis-${control.id}`,
                region: "stack",
                description: `[${control.control}] ${control.description}`,
                notifyRecovery: false,
                condition: {
                    namespace: filter.metricTransformation.namespace,
                    metricName: filter.metricTransformation.name,
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    treatMissingData: "notBreaching",
                },
            },
            to,
            parent,
        );
    }
}
