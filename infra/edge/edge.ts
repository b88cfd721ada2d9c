import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PriceClass } from "../config";
import { createAccessLogs } from "./access-logs";
import { attachAssetsBucketPolicy } from "./assets-bucket-policy";
import { createDistribution } from "./distribution";
import { createSiteDns } from "./site-dns";
import { createWebAcl } from "./web-acl";

const US_EAST_1 = "us-east-1";

export interface EdgeArgs {
    accountId: string;
    /** The stack's region: the public load balancer's, and so its web ACL's. */
    region: string;
    /** Prefix of physical names (web ACLs, log groups, policies, alarm). */
    namePrefix: string;
    /** A provider for us-east-1: CloudFront, its certificate, web ACL, logs and Route 53 metrics live there. */
    edgeProvider: aws.Provider;
    zoneId: pulumi.Input<string>;
    /** The apex first, then www. */
    siteDomainNames: string[];
    /** The validated us-east-1 certificate of the site names. */
    siteCertificateArn: pulumi.Input<string>;
    assetsBucketName: pulumi.Input<string>;
    assetsBucketArn: pulumi.Input<string>;
    assetsBucketRegionalDomainName: pulumi.Input<string>;
    /** origin.<domain>: the public load balancer's alias, covered by its certificate. */
    webOriginDomainName: string;
    /** Sent as X-Origin-Verify; the load balancer rejects requests without it. */
    originVerifySecret: pulumi.Input<string>;
    /** The HTTP API's host name (no scheme, no path), e.g. abc123.execute-api.af-south-1.amazonaws.com. */
    apiDomainName: pulumi.Input<string>;
    /** The public Application Load Balancer, protected by the REGIONAL web ACL. */
    publicLoadBalancerArn: pulumi.Input<string>;
    priceClass: PriceClass;
    contentSecurityPolicy: string;
    staticPathPatterns: string[];
    errorPagePath: string;
    healthCheckPath: string;
    rateLimitPer5Minutes: number;
    blockAnonymousIps: boolean;
    logRetentionDays: number;
    /** A logs key in us-east-1 (WAF and CloudFront logs of the edge). */
    edgeLogsKeyArn: pulumi.Input<string>;
    /** A logs key in the stack's region (the load balancer's WAF logs). */
    regionalLogsKeyArn: pulumi.Input<string>;
}

/**
 * The storefront's edge, built once its origins exist: the CloudFront distribution with its
 * CLOUDFRONT-scope web ACL and access logs (all in us-east-1), the assets bucket's policy that
 * admits only this distribution, the REGIONAL web ACL of the public load balancer, the site's
 * alias records and its health check (the observability tier alarms on it).
 */
export class Edge extends pulumi.ComponentResource {
    readonly siteUrl: string;
    readonly distributionId: pulumi.Output<string>;
    readonly distributionDomainName: pulumi.Output<string>;
    /** The site's Route 53 health check, for its alarm. */
    readonly healthCheckId: pulumi.Output<string>;
    /** Each web ACL's metric name (its WebACL dimension) and scope, for alarms. */
    readonly webAcls: { name: string; metricName: string; scope: "CLOUDFRONT" | "REGIONAL" }[];

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:edge:Edge", name, {}, opts);
        validate(name, args);
        const edge = { parent: this, provider: args.edgeProvider };
        const firewall = {
            accountId: args.accountId,
            rateLimitPer5Minutes: args.rateLimitPer5Minutes,
            blockAnonymousIps: args.blockAnonymousIps,
            logRetentionDays: args.logRetentionDays,
            parent: this,
        };

        const cloudfrontAclArn = createWebAcl(`${name}-cloudfront-waf`, {
            ...firewall,
            aclName: `${args.namePrefix}-cloudfront`,
            scope: "CLOUDFRONT",
            region: US_EAST_1,
            logsKeyArn: args.edgeLogsKeyArn,
            provider: args.edgeProvider,
        });

        const distribution = createDistribution(`${name}-cdn`, {
            namePrefix: args.namePrefix,
            aliases: args.siteDomainNames,
            certificateArn: args.siteCertificateArn,
            assetsBucketRegionalDomainName: args.assetsBucketRegionalDomainName,
            webOriginDomainName: args.webOriginDomainName,
            originVerifySecret: args.originVerifySecret,
            apiDomainName: args.apiDomainName,
            staticPathPatterns: args.staticPathPatterns,
            errorPagePath: args.errorPagePath,
            contentSecurityPolicy: args.contentSecurityPolicy,
            priceClass: args.priceClass,
            webAclArn: cloudfrontAclArn,
            ...edge,
        });

        createAccessLogs(`${name}-cdn`, {
            namePrefix: args.namePrefix,
            accountId: args.accountId,
            distributionArn: distribution.arn,
            logRetentionDays: args.logRetentionDays,
            logsKeyArn: args.edgeLogsKeyArn,
            ...edge,
        });

        // The bucket is regional; its policy goes through the stack's provider.
        attachAssetsBucketPolicy(
            `${name}-assets-policy`,
            args.assetsBucketName,
            args.assetsBucketArn,
            distribution.arn,
            { parent: this },
        );

        const albAclArn = createWebAcl(`${name}-alb-waf`, {
            ...firewall,
            aclName: `${args.namePrefix}-alb`,
            scope: "REGIONAL",
            region: args.region,
            logsKeyArn: args.regionalLogsKeyArn,
        });
        new aws.wafv2.WebAclAssociation(
            `${name}-alb-waf`,
            {
                resourceArn: args.publicLoadBalancerArn,
                webAclArn: albAclArn,
            },
            { parent: this },
        );

        this.healthCheckId = createSiteDns(`${name}-dns`, {
            namePrefix: args.namePrefix,
            zoneId: args.zoneId,
            siteDomainNames: args.siteDomainNames,
            distributionDomainName: distribution.domainName,
            distributionZoneId: distribution.hostedZoneId,
            healthCheckPath: args.healthCheckPath,
            parent: this,
        });

        // createWebAcl names each ACL's metrics after the ACL.
        this.webAcls = [
            { name: "cloudfront", metricName: `${args.namePrefix}-cloudfront`, scope: "CLOUDFRONT" },
            { name: "alb", metricName: `${args.namePrefix}-alb`, scope: "REGIONAL" },
        ];
        this.siteUrl = `https://${args.siteDomainNames[0]}`;
        this.distributionId = distribution.id;
        this.distributionDomainName = distribution.domainName;
        this.registerOutputs({
            siteUrl: this.siteUrl,
            distributionId: this.distributionId,
            distributionDomainName: this.distributionDomainName,
        });
    }
}

function validate(name: string, args: EdgeArgs): void {
    if (args.siteDomainNames.length === 0) throw new Error(`Edge ${name}: siteDomainNames must list the apex first`);
    if (args.staticPathPatterns.length === 0)
        throw new Error(`Edge ${name}: staticPathPatterns must not be empty (the error page is served from them)`);
}
