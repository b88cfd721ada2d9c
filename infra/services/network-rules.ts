import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceNeeds } from "./contract";

export const HTTPS_PORT = 443;

/** Where a service's traffic may go; exactly one destination kind per rule. */
export type Destination =
    | { securityGroupId: pulumi.Input<string> }
    | { cidrIpv4: pulumi.Input<string> }
    | { prefixListId: pulumi.Input<string> };

export interface EgressRule {
    /** Short, stable label: the rule's resource is named `<component>-<service>-to-<id>`. */
    id: string;
    port: number;
    to: Destination;
    description: string;
}

/** What the rules of every service point at. */
export interface EgressDestinations {
    databaseSecurityGroupId: pulumi.Input<string>;
    databasePort: number;
    cacheSecurityGroupId: pulumi.Input<string>;
    cachePort: number;
    fileSystemSecurityGroupId: pulumi.Input<string>;
    fileSystemPort: number;
    /** Present when the VPC has interface endpoints (ECR, CloudWatch Logs, Secrets Manager, SQS, STS). */
    endpointSecurityGroupId?: pulumi.Input<string>;
    /** The S3 gateway endpoint's prefix list. */
    s3PrefixListId: pulumi.Input<string>;
    vpcCidr: string;
}

/**
 * A service's egress, explicit and nothing more: its data stores, and HTTPS only where a need
 * requires it. With interface endpoints, AWS APIs go to the endpoints, image layers to S3 through
 * the gateway endpoint, and the GuardDuty runtime agent to the endpoint GuardDuty creates in the
 * VPC (with a security group of its own that admits the VPC's range, so the rule names the range).
 * Without interface endpoints, ECR, CloudWatch Logs and Secrets Manager are on the internet
 * through NAT: every service then needs HTTPS out. A service that calls a third party always does.
 */
export function egressRules(needs: ServiceNeeds, to: EgressDestinations): EgressRule[] {
    const rules: EgressRule[] = [
        {
            id: "database",
            port: to.databasePort,
            to: { securityGroupId: to.databaseSecurityGroupId },
            description: "PostgreSQL (Aurora), TLS with IAM authentication",
        },
        {
            id: "cache",
            port: to.cachePort,
            to: { securityGroupId: to.cacheSecurityGroupId },
            description: "Valkey, TLS with the AUTH token",
        },
    ];
    if (needs.filePurpose) {
        rules.push({
            id: "files",
            port: to.fileSystemPort,
            to: { securityGroupId: to.fileSystemSecurityGroupId },
            description: `NFS over TLS to the shared file system (${needs.filePurpose})`,
        });
    }
    if (to.endpointSecurityGroupId) {
        rules.push(
            {
                id: "endpoints",
                port: HTTPS_PORT,
                to: { securityGroupId: to.endpointSecurityGroupId },
                description: "AWS APIs through the interface endpoints (ECR, Logs, Secrets Manager, SQS, STS)",
            },
            {
                id: "s3",
                port: HTTPS_PORT,
                to: { prefixListId: to.s3PrefixListId },
                description: "S3 through the gateway endpoint: image layers, the assets bucket",
            },
            {
                id: "guardduty",
                port: HTTPS_PORT,
                to: { cidrIpv4: to.vpcCidr },
                description: "GuardDuty runtime agent: the VPC endpoint GuardDuty creates",
            },
        );
    }
    if (needs.internet || !to.endpointSecurityGroupId) {
        const why = [
            ...(to.endpointSecurityGroupId ? [] : ["AWS APIs (no interface endpoints)"]),
            ...(needs.internet ? [needs.internet] : []),
        ];
        rules.push({
            id: "internet",
            port: HTTPS_PORT,
            to: { cidrIpv4: "0.0.0.0/0" },
            description: `HTTPS through NAT: ${why.join("; ")}`,
        });
    }
    return rules;
}

/** One egress rule resource per rule, on the service's workload group. */
export function createEgressRules(
    name: string,
    securityGroupId: pulumi.Input<string>,
    rules: EgressRule[],
    parent: pulumi.Resource,
): aws.vpc.SecurityGroupEgressRule[] {
    return rules.map(
        (rule) =>
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-to-${rule.id}`,
                {
                    securityGroupId,
                    ipProtocol: "tcp",
                    fromPort: rule.port,
                    toPort: rule.port,
                    description: rule.description,
                    ...("securityGroupId" in rule.to
                        ? { referencedSecurityGroupId: rule.to.securityGroupId }
                        : rule.to),
                },
                { parent },
            ),
    );
}
