import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucket } from "./access-log-bucket";
import { webFleet } from "./fleet";
import { publicLoadBalancer, TARGET_PORT } from "./load-balancer";

export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
export const ACCESS_LOG_PREFIX = "web";

const IMAGE_ID = /^(ami-[0-9a-f]{8,17}|resolve:ssm:\/.+)$/;

export interface WebServersArgs {
    /** Physical names derive from it: the load balancer, the Auto Scaling group, the log bucket. */
    namePrefix: string;
    accountId: string;
    region: string;
    vpcId: pulumi.Input<string>;
    /** One per zone, in the same zone order as `privateSubnetIds`. */
    publicSubnetIds: pulumi.Input<string>[];
    privateSubnetIds: pulumi.Input<string>[];
    /** The pre-created `web` workload group, which the servers use. */
    webSecurityGroupId: pulumi.Input<string>;
    /** CloudFront's origin-facing prefix list in the region; unset: looked up by its name. */
    cloudFrontPrefixListId?: string;
    /** Regional, validated certificate for `originDomainName`. */
    certificateArn: pulumi.Input<string>;
    tlsPolicy: string;
    /** The X-Origin-Verify value CloudFront sends; letters and digits only. */
    originVerifySecret: pulumi.Input<string>;
    /** The name CloudFront connects to; an alias record to the load balancer is created for it. */
    originDomainName: string;
    hostedZoneId: pulumi.Input<string>;
    deletionProtection: boolean;
    accessLogRetentionDays: number;
    instanceType: string;
    /** An AMI id or `resolve:ssm:<public parameter>`. */
    imageId: string;
    rootVolumeGiB: number;
    dataKeyArn: pulumi.Input<string>;
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    healthCheckGracePeriodSeconds: number;
    requestsPerTarget: number;
    cpuTargetPercent: number;
    /** The servers keep sessions in the cache: egress to it, and read access to its AUTH secret. */
    cacheSecurityGroupId: pulumi.Input<string>;
    cachePort: number;
    cacheSecretArn: pulumi.Input<string>;
    /** The stack's tags, for the instances and volumes the Auto Scaling group launches. */
    instanceTags: Record<string, string>;
}

/**
 * The storefront's web tier: the public load balancer CloudFront uses as its origin, and the
 * Auto Scaling group of EC2 web servers behind it, over every zone.
 */
export class WebServers extends pulumi.ComponentResource {
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** The load balancer's own hosted zone (for alias records), not the site's zone. */
    readonly loadBalancerZoneId: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    /** `app/<name>/<id>`: the LoadBalancer dimension of its CloudWatch metrics (and the WAF association uses the ARN). */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly targetGroupArnSuffix: pulumi.Output<string>;
    readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;

    constructor(name: string, args: WebServersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:web:WebServers", name, {}, opts);
        validate(name, args);

        const cloudFrontPrefixListId = args.cloudFrontPrefixListId
            ?? aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this }).id;

        const accessLogs = accessLogBucket(`${name}-access-logs`, {
            bucketName: `${args.namePrefix}-alb-logs-${args.accountId}-${args.region}`,
            accountId: args.accountId,
            region: args.region,
            prefix: ACCESS_LOG_PREFIX,
            retentionDays: args.accessLogRetentionDays,
            forceDestroy: !args.deletionProtection,
        }, this);

        const front = publicLoadBalancer(name, {
            loadBalancerName: `${args.namePrefix}-web`,
            vpcId: args.vpcId,
            publicSubnetIds: args.publicSubnetIds,
            cloudFrontPrefixListId,
            targetSecurityGroupId: args.webSecurityGroupId,
            certificateArn: args.certificateArn,
            tlsPolicy: args.tlsPolicy,
            originVerifySecret: args.originVerifySecret,
            originDomainName: args.originDomainName,
            hostedZoneId: args.hostedZoneId,
            deletionProtection: args.deletionProtection,
            accessLogs,
            accessLogPrefix: ACCESS_LOG_PREFIX,
        }, this);

        this.serverRules(name, args, front.securityGroupId);

        const group = webFleet(name, {
            autoScalingGroupName: `${args.namePrefix}-web`,
            region: args.region,
            instanceType: args.instanceType,
            imageId: args.imageId,
            rootVolumeGiB: args.rootVolumeGiB,
            dataKeyArn: args.dataKeyArn,
            securityGroupId: args.webSecurityGroupId,
            privateSubnetIds: args.privateSubnetIds,
            minSize: args.minSize,
            maxSize: args.maxSize,
            desiredCapacity: args.desiredCapacity,
            healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds,
            requestsPerTarget: args.requestsPerTarget,
            cpuTargetPercent: args.cpuTargetPercent,
            loadBalancerArnSuffix: front.loadBalancer.arnSuffix,
            targetGroup: front.targetGroup,
            forwardRule: front.forwardRule,
            cacheSecretArn: args.cacheSecretArn,
            instanceTags: args.instanceTags,
        }, this);

        this.loadBalancerDnsName = front.loadBalancer.dnsName;
        this.loadBalancerZoneId = front.loadBalancer.zoneId;
        this.loadBalancerArn = front.loadBalancer.arn;
        this.loadBalancerArnSuffix = front.loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = front.targetGroup.arnSuffix;
        this.loadBalancerSecurityGroupId = front.securityGroupId;
        this.autoScalingGroupName = group.name;
        this.registerOutputs({
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerZoneId: this.loadBalancerZoneId,
            autoScalingGroupName: this.autoScalingGroupName,
        });
    }

    /**
     * The web workload group's rules: HTTPS in from the load balancer only; out to the cache, and
     * HTTPS to the internet through NAT (Session Manager, package repositories, the HTTP API).
     */
    private serverRules(name: string, args: WebServersArgs, loadBalancerGroupId: pulumi.Input<string>): void {
        const child = { parent: this };
        new aws.vpc.SecurityGroupIngressRule(`${name}-servers-from-alb`, {
            securityGroupId: args.webSecurityGroupId,
            referencedSecurityGroupId: loadBalancerGroupId,
            ipProtocol: "tcp",
            fromPort: TARGET_PORT,
            toPort: TARGET_PORT,
            description: "HTTPS from the public load balancer",
        }, child);
        new aws.vpc.SecurityGroupEgressRule(`${name}-servers-to-cache`, {
            securityGroupId: args.webSecurityGroupId,
            referencedSecurityGroupId: args.cacheSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: args.cachePort,
            toPort: args.cachePort,
            description: "Valkey (sessions, popular products)",
        }, child);
        new aws.vpc.SecurityGroupEgressRule(`${name}-servers-to-https`, {
            securityGroupId: args.webSecurityGroupId,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS out through NAT: Session Manager, package repositories, the HTTP API",
        }, child);
    }
}

function validate(name: string, args: WebServersArgs): void {
    const fail = (problem: string) => {
        throw new Error(`WebServers ${name}: ${problem}`);
    };
    // An Application Load Balancer needs subnets in at least two zones.
    if (args.publicSubnetIds.length < 2) fail(`the load balancer needs public subnets in at least 2 zones, got ${args.publicSubnetIds.length}`);
    if (args.privateSubnetIds.length !== args.publicSubnetIds.length) fail("needs one private subnet per zone that has a public subnet");
    if (args.minSize < 1 || args.maxSize < args.minSize) fail(`needs 1 <= minSize <= maxSize, got ${args.minSize}..${args.maxSize}`);
    if (args.desiredCapacity < args.minSize || args.desiredCapacity > args.maxSize) fail(`desiredCapacity ${args.desiredCapacity} is outside ${args.minSize}..${args.maxSize}`);
    if (!IMAGE_ID.test(args.imageId)) fail(`imageId must be an AMI id or resolve:ssm:/<parameter>, got ${args.imageId}`);
}
