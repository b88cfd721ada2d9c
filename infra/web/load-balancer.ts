import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ruleLessSecurityGroup } from "../shared/security-groups";
import { AccessLogBucket } from "./access-log-bucket";
import type { WebServersArgs } from "./web-servers";

/** The port the web servers serve HTTPS on behind the load balancer (nginx with a self-signed certificate). */
export const TARGET_PORT = 8443;
export const HEALTH_CHECK_PATH = "/healthz";
/** The header CloudFront adds to every origin request; its value is the Domain's origin secret. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/**
 * A referenced prefix list counts against a security group's rule quota with its weight, not its
 * current size: CloudFront's origin-facing list weighs 55, and a group holds 60 inbound rules by
 * default. Two ports from that list (110) would fail at deploy time, so only 443 is admitted: the
 * CloudFront origin speaks HTTPS only, and the port-80 listener exists only to redirect.
 */
export const CLOUDFRONT_PREFIX_LIST_WEIGHT = 55;
export const DEFAULT_INBOUND_RULES_PER_GROUP = 60;

/** Load balancer names: 1-32 letters, digits and hyphens, not starting or ending with a hyphen. */
export const LOAD_BALANCER_NAME = /^(?=.{1,32}$)[A-Za-z0-9](-?[A-Za-z0-9])*$/;

export interface PublicLoadBalancerArgs extends Pick<
    WebServersArgs,
    | "vpcId"
    | "publicSubnetIds"
    | "certificateArn"
    | "tlsPolicy"
    | "originVerifySecret"
    | "originDomainName"
    | "hostedZoneId"
    | "deletionProtection"
    | "webSecurityGroupId"
> {
    loadBalancerName: string;
    cloudFrontPrefixListId: pulumi.Input<string>;
    accessLogs: AccessLogBucket;
    accessLogPrefix: string;
}

export interface PublicLoadBalancer {
    loadBalancer: aws.lb.LoadBalancer;
    targetGroup: aws.lb.TargetGroup;
    securityGroupId: pulumi.Output<string>;
    /** The rule that routes verified requests to the target group: scaling on request count needs it. */
    forwardRule: aws.lb.ListenerRule;
}

/**
 * The internet-facing Application Load Balancer CloudFront uses as its origin: in every zone's
 * public subnet, reachable on 443 from CloudFront's origin-facing addresses only, forwarding only
 * requests that carry the origin secret (everything else gets 403), redirecting HTTP to HTTPS,
 * dropping invalid headers, logging every request, with an alias record for the origin name.
 */
export function publicLoadBalancer(
    name: string,
    args: PublicLoadBalancerArgs,
    parent: pulumi.Resource,
): PublicLoadBalancer {
    const child = { parent };

    const securityGroup = ruleLessSecurityGroup(
        `${name}-alb`,
        args.vpcId,
        "Public load balancer: HTTPS from CloudFront only",
        child,
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-alb-from-cloudfront`,
        {
            securityGroupId: securityGroup.id,
            prefixListId: args.cloudFrontPrefixListId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS from CloudFront origin-facing servers",
        },
        child,
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-alb-to-servers`,
        {
            securityGroupId: securityGroup.id,
            referencedSecurityGroupId: args.webSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: TARGET_PORT,
            toPort: TARGET_PORT,
            description: "HTTPS to the web servers",
        },
        child,
    );

    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            name: args.loadBalancerName,
            loadBalancerType: "application",
            internal: false,
            // The VPC has no IPv6 block: a dualstack load balancer would be refused.
            ipAddressType: "ipv4",
            subnets: args.publicSubnetIds,
            securityGroups: [securityGroup.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection,
            accessLogs: { bucket: args.accessLogs.bucketName, prefix: args.accessLogPrefix, enabled: true },
            tags: { Name: args.loadBalancerName },
        },
        { parent, dependsOn: args.accessLogs.ready },
    );

    const targetGroup = new aws.lb.TargetGroup(
        `${name}-servers`,
        {
            vpcId: args.vpcId,
            targetType: "instance",
            protocol: "HTTPS",
            port: TARGET_PORT,
            // Sessions live in the cache, so any server can take any request: no stickiness, quick draining.
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                protocol: "HTTPS",
                port: "traffic-port",
                path: HEALTH_CHECK_PATH,
                matcher: "200",
                interval: 15,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
            tags: { Name: `${name}-servers` },
        },
        child,
    );

    const https = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: args.tlsPolicy,
            certificateArn: args.certificateArn,
            defaultActions: [
                {
                    type: "fixed-response",
                    fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
                },
            ],
        },
        child,
    );
    const forwardRule = new aws.lb.ListenerRule(
        `${name}-from-cloudfront`,
        {
            listenerArn: https.arn,
            priority: 10,
            // The secret is letters and digits only: ALB header values treat * and ? as wildcards.
            conditions: [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [args.originVerifySecret] } }],
            actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        child,
    );

    new aws.lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [
                {
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                },
            ],
        },
        child,
    );

    new aws.route53.Record(
        `${name}-origin`,
        {
            zoneId: args.hostedZoneId,
            name: args.originDomainName,
            type: "A",
            // The alias target's zone is the load balancer's (per region), not our hosted zone.
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        child,
    );

    return { loadBalancer, targetGroup, securityGroupId: securityGroup.id, forwardRule };
}
