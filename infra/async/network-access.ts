import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkAccessArgs {
    /** The function's workload security group (pre-created, rule-less). */
    securityGroupId: pulumi.Input<string>;
    databaseSecurityGroupId: pulumi.Input<string>;
    databasePort: number;
    /**
     * Where its HTTPS goes: the interface endpoints' group when the VPC has them and the function
     * needs only AWS APIs (Secrets Manager, SQS); anywhere (through the NAT) otherwise.
     */
    https: { endpointSecurityGroupId: pulumi.Input<string> } | { anywhere: string };
}

/**
 * The egress of a VPC function: PostgreSQL to the database's group (which admits the function's
 * group) and HTTPS for the AWS APIs it calls. Nothing else leaves the group: no Redis, since no
 * function opens a connection to the cache.
 */
export function networkAccess(
    name: string,
    args: NetworkAccessArgs,
    parent: pulumi.Resource,
): aws.vpc.SecurityGroupEgressRule[] {
    const database = new aws.vpc.SecurityGroupEgressRule(
        `${name}-to-database`,
        {
            securityGroupId: args.securityGroupId,
            referencedSecurityGroupId: args.databaseSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: args.databasePort,
            toPort: args.databasePort,
            description: "PostgreSQL to Aurora",
        },
        { parent },
    );
    const https = new aws.vpc.SecurityGroupEgressRule(
        `${name}-to-https`,
        {
            securityGroupId: args.securityGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            ...("anywhere" in args.https
                ? { cidrIpv4: "0.0.0.0/0", description: args.https.anywhere }
                : {
                      referencedSecurityGroupId: args.https.endpointSecurityGroupId,
                      description: "HTTPS to the interface endpoints (Secrets Manager, SQS)",
                  }),
        },
        { parent },
    );
    return [database, https];
}
