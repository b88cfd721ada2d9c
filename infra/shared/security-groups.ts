import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A security group with no rules of its own: each rule is a separate resource, so rules owned by
 * other tiers never fight with inline ones. (The provider removes AWS's default allow-all egress.)
 */
export function ruleLessSecurityGroup(
    name: string,
    vpcId: pulumi.Input<string>,
    description: string,
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId,
            description,
            revokeRulesOnDelete: true,
            tags: { Name: name },
        },
        opts,
    );
}

/**
 * Ingress on one TCP port of `groupId` from each source group, one rule per source named after
 * it (`<name>-from-<source>`), so adding or removing a consumer touches only its own rule.
 */
export function admitGroups(
    name: string,
    groupId: pulumi.Input<string>,
    port: number,
    sources: Readonly<Record<string, pulumi.Input<string>>>,
    what: string,
    opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule[] {
    return Object.entries(sources).map(
        ([source, sourceGroupId]) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-${source}`,
                {
                    securityGroupId: groupId,
                    referencedSecurityGroupId: sourceGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `${what} from ${source}`,
                },
                opts,
            ),
    );
}
