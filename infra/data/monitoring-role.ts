import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../shared/iam";

export const ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

export interface MonitoringRole {
    roleArn: pulumi.Output<string>;
    /** Instances must wait for it: RDS checks the role's permissions when an instance is created. */
    permissions: aws.iam.RolePolicyAttachment;
}

/**
 * The role RDS Enhanced Monitoring assumes to publish OS metrics to CloudWatch Logs (RDSOSMetrics),
 * only on behalf of this account's DB instances in the region.
 */
export function enhancedMonitoringRole(
    name: string,
    accountId: string,
    region: string,
    parent: pulumi.Resource,
): MonitoringRole {
    const role = new aws.iam.Role(
        name,
        {
            description: "RDS Enhanced Monitoring of the Aurora instances",
            assumeRolePolicy: serviceTrustPolicy(
                "monitoring.rds.amazonaws.com",
                accountId,
                `arn:aws:rds:${region}:${accountId}:db:*`,
            ),
        },
        { parent },
    );
    const permissions = new aws.iam.RolePolicyAttachment(
        name,
        {
            role: role.name,
            policyArn: ENHANCED_MONITORING_POLICY_ARN,
        },
        { parent },
    );
    return { roleArn: role.arn, permissions };
}
