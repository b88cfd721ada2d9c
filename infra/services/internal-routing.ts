import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServicesConfig } from "../config";
import { validatedCertificate } from "../shared/certificate";
import { ruleLessSecurityGroup } from "../shared/security-groups";
import { LOAD_BALANCER_NAME } from "../web/load-balancer";
import { ServiceName, SERVICES } from "../workloads";
import { CONTAINER_PORT, HEALTH_CHECK_PATH, pathPattern } from "./contract";

export const ACCESS_LOG_PREFIX = "services";
/** Target group names are at most 32 characters; Pulumi appends "-" and 7 random characters. */
export const MAX_TARGET_GROUP_NAME = 32;
const AUTONAME_SUFFIX = 8;

export interface InternalRoutingArgs extends Pick<ServicesConfig, "tlsPolicy"> {
    /** The load balancer's name derives from it. */
    namePrefix: string;
    vpcId: pulumi.Input<string>;
    /** One per zone. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Each service's workload group: the load balancer's only destinations. */
    serviceSecurityGroupIds: Record<ServiceName, pulumi.Input<string>>;
    /** The name the listener's certificate covers and the API verifies (under the stack's domain). */
    serverName: string;
    /** The public zone of the stack's domain, for the certificate's validation records. */
    hostedZoneId: pulumi.Input<string>;
    deletionProtection: boolean;
    /** The stack's load-balancer access-log bucket; its policy lets ELB write under ACCESS_LOG_PREFIX. */
    accessLogBucketName: pulumi.Input<string>;
    /** What the load balancer waits for: ELB checks its write access when logging is turned on. */
    accessLogsReady: pulumi.Resource[];
}

/** A service's target group, as the ECS service and its scaling policy name it. */
export interface ServiceTarget {
    arn: pulumi.Output<string>;
    /** `targetgroup/<name>/<id>`: with the load balancer's suffix, the request-count metric's label. */
    arnSuffix: pulumi.Output<string>;
    /** The rule that sends the service's paths to it: ECS refuses a target group no listener uses. */
    rule: aws.lb.ListenerRule;
}

/**
 * The services' internal Application Load Balancer: in the private subnets, reachable only by the
 * clients that add ingress to its security group (the HTTP API's VPC link), HTTPS only with a
 * DNS-validated certificate for `serverName` and a TLS 1.3 policy, a path rule per service to an
 * IP target group (awsvpc tasks register by address), 404 for anything else, access logs in the
 * stack's load-balancer log bucket.
 */
export class InternalRouting extends pulumi.ComponentResource {
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The HTTPS listener: the API's private integration targets it. */
    readonly listenerArn: pulumi.Output<string>;
    readonly serverName: string;
    readonly targets: Record<ServiceName, ServiceTarget>;

    constructor(name: string, args: InternalRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:services:InternalRouting", name, {}, opts);
        const loadBalancerName = `${args.namePrefix}-services`;
        validate(name, args, loadBalancerName);
        const child = { parent: this };

        const securityGroup = ruleLessSecurityGroup(
            `${name}-alb`,
            args.vpcId,
            "Internal load balancer: HTTPS from the HTTP API VPC link only",
            child,
        );
        const egress = Object.fromEntries(
            SERVICES.map((service) => [
                service,
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-alb-to-${service}`,
                    {
                        securityGroupId: securityGroup.id,
                        referencedSecurityGroupId: args.serviceSecurityGroupIds[service],
                        ipProtocol: "tcp",
                        fromPort: CONTAINER_PORT,
                        toPort: CONTAINER_PORT,
                        description: `HTTP to the ${service} tasks`,
                    },
                    child,
                ),
            ]),
        );

        const loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: loadBalancerName,
                loadBalancerType: "application",
                internal: true,
                ipAddressType: "ipv4",
                subnets: args.privateSubnetIds,
                securityGroups: [securityGroup.id],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection,
                accessLogs: { bucket: args.accessLogBucketName, prefix: ACCESS_LOG_PREFIX, enabled: true },
                tags: { Name: loadBalancerName },
            },
            { parent: this, dependsOn: args.accessLogsReady },
        );

        const certificateArn = validatedCertificate(
            `${name}-certificate`,
            { names: [args.serverName], zoneId: args.hostedZoneId },
            this,
        );
        const listener = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: args.tlsPolicy,
                certificateArn,
                defaultActions: [
                    {
                        type: "fixed-response",
                        fixedResponse: {
                            statusCode: "404",
                            contentType: "application/json",
                            messageBody: '{"message":"Not Found"}',
                        },
                    },
                ],
            },
            child,
        );

        this.targets = {} as Record<ServiceName, ServiceTarget>;
        SERVICES.forEach((service, i) => {
            const targetGroup = new aws.lb.TargetGroup(
                `${name}-${service}`,
                {
                    vpcId: args.vpcId,
                    // awsvpc tasks have their own interface: they register by IP address, never as instances.
                    targetType: "ip",
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    port: CONTAINER_PORT,
                    deregistrationDelay: 30,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        port: "traffic-port",
                        path: HEALTH_CHECK_PATH,
                        matcher: "200",
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                    tags: { Name: `${name}-${service}` },
                },
                child,
            );
            const rule = new aws.lb.ListenerRule(
                `${name}-${service}`,
                {
                    listenerArn: listener.arn,
                    priority: (i + 1) * 10,
                    conditions: [{ pathPattern: { values: [pathPattern(service)] } }],
                    actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                    tags: { Name: `${name}-${service}` },
                    // Traffic is routed to a service only once the load balancer may reach it (health checks included).
                },
                { parent: this, dependsOn: [egress[service]] },
            );
            this.targets[service] = { arn: targetGroup.arn, arnSuffix: targetGroup.arnSuffix, rule };
        });

        this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
        this.loadBalancerDnsName = loadBalancer.dnsName;
        this.securityGroupId = securityGroup.id;
        this.listenerArn = listener.arn;
        this.serverName = args.serverName;
        this.registerOutputs({
            loadBalancerDnsName: this.loadBalancerDnsName,
            listenerArn: this.listenerArn,
            securityGroupId: this.securityGroupId,
        });
    }
}

function validate(name: string, args: InternalRoutingArgs, loadBalancerName: string): void {
    const fail = (problem: string) => {
        throw new Error(`InternalRouting ${name}: ${problem}`);
    };
    if (!LOAD_BALANCER_NAME.test(loadBalancerName))
        fail(`load balancer name "${loadBalancerName}" must be 1-32 letters, digits and single hyphens`);
    const longest = Math.max(...SERVICES.map((s) => `${name}-${s}`.length)) + AUTONAME_SUFFIX;
    if (longest > MAX_TARGET_GROUP_NAME)
        fail(
            `target group names would reach ${longest} characters; AWS allows ${MAX_TARGET_GROUP_NAME}: use a shorter component name`,
        );
    // An Application Load Balancer needs subnets in at least two zones.
    if (args.privateSubnetIds.length < 2)
        fail(`the load balancer needs private subnets in at least 2 zones, got ${args.privateSubnetIds.length}`);
    if (!/^[a-z0-9.-]+$/.test(args.serverName)) fail(`serverName "${args.serverName}" is not a lower-case DNS name`);
}
