import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WebConfig } from "../config/web";
import { BUCKET_NAME } from "../shared/private-bucket";
import { AccessLogBucket, accessLogBucket } from "./access-log-bucket";
import { webFleet } from "./fleet";
import { LOAD_BALANCER_NAME, publicLoadBalancer, TARGET_PORT } from "./load-balancer";

export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
export const ACCESS_LOG_PREFIX = "web";

const IMAGE_ID = /^ami-[0-9a-f]{8,17}$/;

/** The validated `web` settings (instances, image, scaling, TLS policy) plus the wiring. */
export interface WebServersArgs extends WebConfig {
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
    /** Regional, validated certificate for `originDomainName`. */
    certificateArn: pulumi.Input<string>;
    /** The X-Origin-Verify value CloudFront sends; letters and digits only. */
    originVerifySecret: pulumi.Input<string>;
    /** The name CloudFront connects to; an alias record to the load balancer is created for it. */
    originDomainName: string;
    hostedZoneId: pulumi.Input<string>;
    deletionProtection: boolean;
    accessLogRetentionDays: number;
    /** Prefixes of the other load balancers that log to the stack's access-log bucket, which this tier owns. */
    sharedAccessLogPrefixes: string[];
    /** Encrypts the servers' root volumes; its policy must admit EC2 on behalf of the Auto Scaling service-linked role. */
    dataKeyArn: pulumi.Input<string>;
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
    /** The stack's load-balancer access-log bucket (other load balancers log under their shared prefix). */
    readonly accessLogs: AccessLogBucket;

    constructor(name: string, args: WebServersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:web:WebServers", name, {}, opts);
        const names = {
            loadBalancer: `${args.namePrefix}-web`,
            autoScalingGroup: `${args.namePrefix}-web`,
            logBucket: `${args.namePrefix}-alb-logs-${args.accountId}-${args.region}`,
        };
        validate(name, args, names);

        const cloudFrontPrefixListId =
            args.cloudFrontPrefixListId ??
            aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this }).id;

        const accessLogs = accessLogBucket(
            `${name}-access-logs`,
            {
                bucketName: names.logBucket,
                accountId: args.accountId,
                region: args.region,
                prefixes: [ACCESS_LOG_PREFIX, ...args.sharedAccessLogPrefixes],
                retentionDays: args.accessLogRetentionDays,
                forceDestroy: !args.deletionProtection,
            },
            this,
        );

        const front = publicLoadBalancer(
            name,
            {
                ...args,
                loadBalancerName: names.loadBalancer,
                cloudFrontPrefixListId,
                accessLogs,
                accessLogPrefix: ACCESS_LOG_PREFIX,
            },
            this,
        );

        this.serverRules(name, args, front.securityGroupId);

        const group = webFleet(
            name,
            {
                ...args,
                autoScalingGroupName: names.autoScalingGroup,
                loadBalancerArnSuffix: front.loadBalancer.arnSuffix,
                targetGroup: front.targetGroup,
                forwardRule: front.forwardRule,
            },
            this,
        );

        this.loadBalancerDnsName = front.loadBalancer.dnsName;
        this.loadBalancerZoneId = front.loadBalancer.zoneId;
        this.loadBalancerArn = front.loadBalancer.arn;
        this.loadBalancerArnSuffix = front.loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = front.targetGroup.arnSuffix;
        this.loadBalancerSecurityGroupId = front.securityGroupId;
        this.autoScalingGroupName = group.name;
        this.accessLogs = accessLogs;
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
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-servers-from-alb`,
            {
                securityGroupId: args.webSecurityGroupId,
                referencedSecurityGroupId: loadBalancerGroupId,
                ipProtocol: "tcp",
                fromPort: TARGET_PORT,
                toPort: TARGET_PORT,
                description: "HTTPS from the public load balancer",
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-to-cache`,
            {
                securityGroupId: args.webSecurityGroupId,
                referencedSecurityGroupId: args.cacheSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: args.cachePort,
                toPort: args.cachePort,
                description: "Valkey (sessions, popular products)",
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-to-https`,
            {
                securityGroupId: args.webSecurityGroupId,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS out through NAT: Session Manager, package repositories, the HTTP API",
            },
            child,
        );
    }
}

function validate(name: string, args: WebServersArgs, names: { loadBalancer: string; logBucket: string }): void {
    const fail = (problem: string) => {
        throw new Error(`WebServers ${name}: ${problem}`);
    };
    if (!LOAD_BALANCER_NAME.test(names.loadBalancer))
        fail(`load balancer name "${names.loadBalancer}" must be 1-32 letters, digits and single hyphens`);
    if (!BUCKET_NAME.test(names.logBucket))
        fail(`log bucket name "${names.logBucket}" is not a valid S3 bucket name (3-63 lower-case characters)`);
    // An Application Load Balancer needs subnets in at least two zones.
    if (args.publicSubnetIds.length < 2)
        fail(`the load balancer needs public subnets in at least 2 zones, got ${args.publicSubnetIds.length}`);
    if (args.privateSubnetIds.length !== args.publicSubnetIds.length)
        fail("needs one private subnet per zone that has a public subnet");
    if (args.minSize < 1 || args.maxSize < args.minSize)
        fail(`needs 1 <= minSize <= maxSize, got ${args.minSize}..${args.maxSize}`);
    if (args.desiredCapacity < args.minSize || args.desiredCapacity > args.maxSize)
        fail(`desiredCapacity ${args.desiredCapacity} is outside ${args.minSize}..${args.maxSize}`);
    const prefixes = [ACCESS_LOG_PREFIX, ...args.sharedAccessLogPrefixes];
    if (new Set(prefixes).size !== prefixes.length)
        fail(`access-log prefixes must be distinct, got ${prefixes.join(", ")}`);
    if (!IMAGE_ID.test(args.imageId))
        fail(`imageId must be an AMI id (the fleet runs a pinned image), got ${args.imageId}`);
}
