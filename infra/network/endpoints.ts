import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** AWS APIs the private subnets reach through interface endpoints instead of the NAT. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "sts"] as const;

export interface EndpointArgs {
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    region: string;
    /** Route tables that get the S3 gateway route (the private ones). */
    routeTableIds: pulumi.Input<string>[];
    /** Subnets holding an interface endpoint network interface, one per zone. */
    subnetIds: pulumi.Input<string>[];
    interfaceEndpoints: boolean;
}

/**
 * The S3 gateway endpoint (free; keeps image pulls' S3 layer traffic and bucket access off the
 * NAT) and, when enabled, interface endpoints with private DNS behind their own security group.
 */
export function createEndpoints(
    name: string,
    args: EndpointArgs,
    parent: pulumi.Resource,
): {
    s3PrefixListId: pulumi.Output<string>;
    securityGroupId?: pulumi.Output<string>;
} {
    const s3 = new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
            vpcId: args.vpcId,
            serviceName: `com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: args.routeTableIds,
            tags: { Name: `${name}-s3` },
        },
        { parent },
    );
    if (!args.interfaceEndpoints) return { s3PrefixListId: s3.prefixListId };

    const sg = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        {
            vpcId: args.vpcId,
            description: "Interface endpoints: HTTPS from inside the VPC only",
            tags: { Name: `${name}-endpoints` },
        },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-https`,
        {
            securityGroupId: sg.id,
            description: "HTTPS from the VPC",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: args.vpcCidr,
        },
        { parent },
    );

    for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new aws.ec2.VpcEndpoint(
            `${name}-${service.replace(".", "-")}`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.subnetIds,
                securityGroupIds: [sg.id],
                tags: { Name: `${name}-${service}` },
            },
            { parent },
        );
    }
    return { s3PrefixListId: s3.prefixListId, securityGroupId: sg.id };
}
