import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServicesConfig } from "../config";
import { validatedCertificate } from "../shared/certificate";
import { encryptedLogGroup } from "../shared/log-group";
import { ruleLessSecurityGroup } from "../shared/security-groups";
import { API_ROUTES, routeSlug } from "./routes";

/** The stage every request goes through; auto-deployed, so routes added later are live at once. */
export const STAGE_NAME = "$default";
/** API Gateway waits at most this long for an HTTP integration. */
export const INTEGRATION_TIMEOUT_MS = 30000;

/** One JSON object per request (the HTTP API's $context variables). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    path: "$context.path",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationStatus: "$context.integrationStatus",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    authorizerError: "$context.authorizer.error",
    userAgent: "$context.identity.userAgent",
});

/** Cognito's issuer: https://cognito-idp.<region>.amazonaws.com/<region>_<id>, no trailing slash. */
export const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/\1_[A-Za-z0-9]+$/;

export interface HttpApiArgs extends Pick<ServicesConfig, "apiRateLimit" | "apiBurstLimit"> {
    /** Physical names derive from it: the API, the VPC link, the authorizer, the log group. */
    namePrefix: string;
    vpcId: pulumi.Input<string>;
    /** The VPC link's interfaces go in these (one per zone). */
    privateSubnetIds: pulumi.Input<string>[];
    /** The internal load balancer: its HTTPS listener, its group and the name its certificate covers. */
    listenerArn: pulumi.Input<string>;
    loadBalancerSecurityGroupId: pulumi.Input<string>;
    loadBalancerServerName: string;
    /** The user pool's issuer URL and the storefront client's id (the tokens' audience). */
    issuerUrl: pulumi.Input<string>;
    audience: pulumi.Input<string>;
    /** The API's public name, e.g. api.<domain>, in the public zone `hostedZoneId`. */
    domainName: string;
    hostedZoneId: pulumi.Input<string>;
    logRetentionDays: number;
    logsKeyArn: pulumi.Input<string>;
}

/**
 * The HTTP API in front of the services: a private integration over a VPC link to the internal
 * load balancer's HTTPS listener (certificate verified against its name), public catalogue reads
 * and JWT-protected everything else (Cognito), the auto-deployed default stage with JSON access
 * logs and default throttling, reachable only at its custom domain (the execute-api endpoint is
 * off) which CloudFront uses as the `/api/*` origin.
 */
export class HttpApi extends pulumi.ComponentResource {
    readonly apiId: pulumi.Output<string>;
    /** arn:aws:execute-api:<region>:<account>:<apiId>; a Lambda permission's source is `<executionArn>/<stage>/<METHOD><path>`. */
    readonly executionArn: pulumi.Output<string>;
    /** The JWT authorizer, for routes other tiers add behind the same sign-in. */
    readonly authorizerId: pulumi.Output<string>;
    readonly stageName = STAGE_NAME;
    /** The API's host (the custom domain), known once its mapping and alias record exist. */
    readonly hostName: pulumi.Output<string>;
    /** https://<domainName> */
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: HttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:api:HttpApi", name, {}, opts);
        validate(name, args);
        const child = { parent: this };

        const api = new aws.apigatewayv2.Api(
            `${name}-api`,
            {
                name: `${args.namePrefix}-api`,
                protocolType: "HTTP",
                description: "The shop's services: catalogue, orders, users, payments",
                // Only the custom domain answers: the name CloudFront uses, with our certificate.
                disableExecuteApiEndpoint: true,
                tags: { Name: `${args.namePrefix}-api` },
            },
            child,
        );

        // The link's interfaces may only open HTTPS to the load balancer, which admits them.
        const linkGroup = ruleLessSecurityGroup(
            `${name}-vpc-link`,
            args.vpcId,
            "HTTP API VPC link: HTTPS to the internal load balancer only",
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-vpc-link-to-alb`,
            {
                securityGroupId: linkGroup.id,
                referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to the internal load balancer",
            },
            child,
        );
        // The load balancer is built before the API, so its ingress from the link is added here.
        const admitted = new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-from-vpc-link`,
            {
                securityGroupId: args.loadBalancerSecurityGroupId,
                referencedSecurityGroupId: linkGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from the HTTP API VPC link",
            },
            child,
        );
        const vpcLink = new aws.apigatewayv2.VpcLink(
            `${name}-vpc-link`,
            {
                name: `${args.namePrefix}-services`,
                subnetIds: args.privateSubnetIds,
                securityGroupIds: [linkGroup.id],
                tags: { Name: `${args.namePrefix}-services` },
            },
            child,
        );

        const integration = new aws.apigatewayv2.Integration(
            `${name}-services`,
            {
                apiId: api.id,
                description: "The internal load balancer, which routes /<service>* to each service",
                integrationType: "HTTP_PROXY",
                integrationMethod: "ANY",
                integrationUri: args.listenerArn,
                connectionType: "VPC_LINK",
                connectionId: vpcLink.id,
                payloadFormatVersion: "1.0",
                // TLS to the listener; the certificate must match this name.
                tlsConfig: { serverNameToVerify: args.loadBalancerServerName },
                timeoutMilliseconds: INTEGRATION_TIMEOUT_MS,
            },
            { parent: this, dependsOn: [admitted] },
        );

        const authorizer = new aws.apigatewayv2.Authorizer(
            `${name}-cognito`,
            {
                apiId: api.id,
                name: `${args.namePrefix}-cognito`,
                authorizerType: "JWT",
                identitySources: ["$request.header.Authorization"],
                // API Gateway checks the signature (the issuer's JWKS), expiry, and aud (ID tokens) or client_id (access tokens).
                jwtConfiguration: { issuer: args.issuerUrl, audiences: [args.audience] },
            },
            child,
        );

        for (const route of API_ROUTES) {
            new aws.apigatewayv2.Route(
                `${name}-${routeSlug(route.routeKey)}`,
                {
                    apiId: api.id,
                    routeKey: route.routeKey,
                    target: pulumi.interpolate`integrations/${integration.id}`,
                    authorizationType: route.authorized ? "JWT" : "NONE",
                    authorizerId: route.authorized ? authorizer.id : undefined,
                },
                child,
            );
        }

        // HTTP APIs deliver access logs as vended logs: under /aws/vendedlogs/ the delivery's
        // resource policy covers the prefix instead of growing with every log group.
        const accessLogs = encryptedLogGroup(
            `${name}-access-logs`,
            {
                logGroupName: `/aws/vendedlogs/apigateway/${args.namePrefix}-api`,
                retentionInDays: args.logRetentionDays,
                kmsKeyArn: args.logsKeyArn,
            },
            child,
        );
        const stage = new aws.apigatewayv2.Stage(
            `${name}-default`,
            {
                apiId: api.id,
                name: STAGE_NAME,
                autoDeploy: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
                defaultRouteSettings: {
                    throttlingRateLimit: args.apiRateLimit,
                    throttlingBurstLimit: args.apiBurstLimit,
                },
                tags: { Name: `${args.namePrefix}-api` },
            },
            child,
        );

        const certificateArn = validatedCertificate(
            `${name}-certificate`,
            { names: [args.domainName], zoneId: args.hostedZoneId },
            this,
        );
        const domain = new aws.apigatewayv2.DomainName(
            `${name}-domain`,
            {
                domainName: args.domainName,
                domainNameConfiguration: { certificateArn, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
                tags: { Name: args.domainName },
            },
            child,
        );
        const mapping = new aws.apigatewayv2.ApiMapping(
            `${name}-domain`,
            {
                apiId: api.id,
                domainName: domain.id,
                stage: stage.id,
            },
            child,
        );
        const alias = new aws.route53.Record(
            `${name}-domain`,
            {
                zoneId: args.hostedZoneId,
                name: args.domainName,
                type: "A",
                // The alias target's zone is API Gateway's regional one, not the site's zone.
                aliases: [
                    {
                        name: domain.domainNameConfiguration.targetDomainName.apply((target) => target ?? ""),
                        zoneId: domain.domainNameConfiguration.hostedZoneId.apply((zone) => zone ?? ""),
                        evaluateTargetHealth: false,
                    },
                ],
            },
            child,
        );

        this.apiId = api.id;
        this.executionArn = api.executionArn;
        this.authorizerId = authorizer.id;
        this.hostName = pulumi.all([mapping.id, alias.fqdn]).apply(() => args.domainName);
        this.endpoint = pulumi.interpolate`https://${this.hostName}`;
        this.registerOutputs({
            apiId: this.apiId,
            executionArn: this.executionArn,
            authorizerId: this.authorizerId,
            endpoint: this.endpoint,
        });
    }
}

function validate(name: string, args: HttpApiArgs): void {
    const fail = (problem: string) => {
        throw new Error(`HttpApi ${name}: ${problem}`);
    };
    if (args.privateSubnetIds.length < 2)
        fail(`the VPC link needs subnets in at least 2 zones, got ${args.privateSubnetIds.length}`);
    if (args.apiRateLimit < 1 || args.apiBurstLimit < 1) fail("throttling rate and burst must be positive");
    if (!/^[a-z0-9.-]+$/.test(args.domainName)) fail(`domainName "${args.domainName}" is not a lower-case DNS name`);
    if (typeof args.issuerUrl === "string" && !COGNITO_ISSUER.test(args.issuerUrl)) {
        fail(
            `issuerUrl "${args.issuerUrl}" is not a Cognito issuer (https://cognito-idp.<region>.amazonaws.com/<pool id>)`,
        );
    }
}
