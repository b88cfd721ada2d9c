import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import { storefrontUserData } from "./user-data";
import type { WebServersArgs } from "./web-servers";

/** The root device of Amazon Linux 2023 AMIs; a configured AMI must use the same name. */
export const ROOT_DEVICE = "/dev/xvda";
/** Replace every server within two weeks: no instance lives long enough to drift from its image. */
export const MAX_INSTANCE_LIFETIME_SECONDS = 14 * 24 * 3600;
export const SSM_MANAGED_INSTANCE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

export interface WebFleetArgs extends Pick<
    WebServersArgs,
    | "region"
    | "instanceType"
    | "imageId"
    | "rootVolumeGiB"
    | "dataKeyArn"
    | "webSecurityGroupId"
    | "privateSubnetIds"
    | "minSize"
    | "maxSize"
    | "desiredCapacity"
    | "healthCheckGracePeriodSeconds"
    | "requestsPerTarget"
    | "cpuTargetPercent"
    | "cacheSecretArn"
    | "instanceTags"
> {
    autoScalingGroupName: string;
    loadBalancerArnSuffix: pulumi.Input<string>;
    targetGroup: aws.lb.TargetGroup;
    /** The listener rule that sends traffic to the target group: AWS refuses request-count scaling on an unattached one. */
    forwardRule: pulumi.Resource;
}

/**
 * The storefront's EC2 web servers: an Auto Scaling group over every zone's private subnet,
 * launched from a template that requires IMDSv2 (hop limit 1, so containers cannot reach the
 * credentials), encrypts the gp3 root volume with the data key, assigns no public address and no
 * key pair (Session Manager instead of SSH); ELB health checks, target tracking on requests per
 * server and on CPU, and an instance refresh whenever the template changes.
 */
export function webFleet(name: string, args: WebFleetArgs, parent: pulumi.Resource): aws.autoscaling.Group {
    const child = { parent };

    // No confused-deputy condition: only this account can attach the role, through an instance
    // profile and iam:PassRole, so the trust names EC2 alone.
    const role = new aws.iam.Role(
        `${name}-instance`,
        {
            description: "Storefront web servers: Session Manager and the cache secret",
            assumeRolePolicy: JSON.stringify(
                policyDocument({
                    Effect: "Allow",
                    Principal: { Service: "ec2.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }),
            ),
        },
        child,
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-instance-ssm`,
        { role: role.name, policyArn: SSM_MANAGED_INSTANCE_POLICY },
        child,
    );
    new aws.iam.RolePolicy(
        `${name}-instance-cache-secret`,
        {
            role: role.id,
            policy: pulumi.all([args.cacheSecretArn, args.dataKeyArn]).apply(([secretArn, keyArn]) =>
                JSON.stringify(
                    policyDocument(
                        {
                            Sid: "ReadCacheSecret",
                            Effect: "Allow",
                            Action: "secretsmanager:GetSecretValue",
                            Resource: secretArn,
                        },
                        {
                            Sid: "DecryptCacheSecret",
                            Effect: "Allow",
                            Action: "kms:Decrypt",
                            Resource: keyArn,
                            Condition: {
                                StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` },
                            },
                        },
                    ),
                ),
            ),
        },
        child,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, child);

    const instanceTags = { ...args.instanceTags, Name: args.autoScalingGroupName };
    const template = new aws.ec2.LaunchTemplate(
        `${name}-servers`,
        {
            description: `Storefront web servers (${args.autoScalingGroupName})`,
            imageId: args.imageId,
            instanceType: args.instanceType,
            updateDefaultVersion: true,
            iamInstanceProfile: { arn: profile.arn },
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            },
            // The security group goes on the interface: EC2 refuses a template that sets both.
            networkInterfaces: [
                {
                    deviceIndex: 0,
                    associatePublicIpAddress: "false",
                    securityGroups: [args.webSecurityGroupId],
                    deleteOnTermination: "true",
                },
            ],
            blockDeviceMappings: [
                {
                    deviceName: ROOT_DEVICE,
                    ebs: {
                        volumeType: "gp3",
                        volumeSize: args.rootVolumeGiB,
                        encrypted: "true",
                        kmsKeyId: args.dataKeyArn,
                        deleteOnTermination: "true",
                    },
                },
            ],
            monitoring: { enabled: true },
            userData: pulumi
                .output(args.cacheSecretArn)
                .apply((cacheSecretArn) =>
                    Buffer.from(storefrontUserData({ region: args.region, cacheSecretArn })).toString("base64"),
                ),
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                resourceType,
                tags: instanceTags,
            })),
            tags: { Name: `${name}-servers` },
        },
        child,
    );

    const group = new aws.autoscaling.Group(
        `${name}-servers`,
        {
            name: args.autoScalingGroupName,
            vpcZoneIdentifiers: args.privateSubnetIds,
            minSize: args.minSize,
            maxSize: args.maxSize,
            desiredCapacity: args.desiredCapacity,
            // A numbered version (not $Latest) so that every template change starts an instance refresh.
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
            targetGroupArns: [args.targetGroup.arn],
            healthCheckType: "ELB",
            healthCheckGracePeriod: args.healthCheckGracePeriodSeconds,
            defaultInstanceWarmup: args.healthCheckGracePeriodSeconds,
            maxInstanceLifetime: MAX_INSTANCE_LIFETIME_SECONDS,
            instanceRefresh: {
                strategy: "Rolling",
                // Launch the replacement before retiring an instance, so capacity never dips. AWS rolls
                // back automatically only to a numbered template version whose image is an AMI id
                // (not an SSM parameter): both hold, since the stack pins the AMI.
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 150,
                    skipMatching: true,
                    autoRollback: true,
                },
            },
            terminationPolicies: ["OldestLaunchTemplate", "OldestInstance"],
            metricsGranularity: "1Minute",
            enabledMetrics: [
                "GroupMinSize",
                "GroupMaxSize",
                "GroupDesiredCapacity",
                "GroupInServiceInstances",
                "GroupPendingInstances",
                "GroupTerminatingInstances",
                "GroupTotalInstances",
            ],
        },
        {
            parent,
            dependsOn: [args.forwardRule],
            // Target tracking owns the running capacity; a deployment must not reset it to the configured start.
            ignoreChanges: ["desiredCapacity"],
        },
    );

    new aws.autoscaling.Policy(
        `${name}-requests`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: args.healthCheckGracePeriodSeconds,
            targetTrackingConfiguration: {
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${args.targetGroup.arnSuffix}`,
                },
                targetValue: args.requestsPerTarget,
            },
        },
        { parent, dependsOn: [args.forwardRule] },
    );
    new aws.autoscaling.Policy(
        `${name}-cpu`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: args.healthCheckGracePeriodSeconds,
            targetTrackingConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: args.cpuTargetPercent,
            },
        },
        child,
    );

    return group;
}
