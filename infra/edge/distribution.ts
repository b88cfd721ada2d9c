import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PriceClass } from "../config";
import { THUMBNAILS_PATH_PATTERN } from "../config/edge";
import { API_PATH_PATTERN, STRIP_API_PREFIX_CODE } from "./api-path";

/** AWS managed CloudFront policies (ids fixed by AWS, the same in every account). */
export const MANAGED_POLICY = {
    /** Cache policy: nothing cached; for dynamic pages and the API. */
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    /** Cache policy: 1 day by default, up to 1 year, gzip and brotli, nothing in the key. */
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    /**
     * Origin request policy: every viewer header, cookie and query string except Host. CloudFront
     * then sends the origin's own name as Host (and SNI), which API Gateway requires and the load
     * balancer's certificate (origin.<domain>) matches.
     */
    allViewerExceptHost: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** The header by which the public load balancer recognises requests from our distribution. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

export const ORIGIN_IDS = { assets: "assets", web: "web", api: "api" } as const;

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];
/** Two years, with subdomains and preload: what the HSTS preload list requires (at least one year). */
const HSTS_MAX_AGE_SECONDS = 63_072_000;
/** Origin failures that show the static error page; errors are cached briefly so recovery shows fast. */
const ORIGIN_DOWN_CODES = [502, 503, 504];
const ERROR_CACHING_SECONDS = 10;

export interface DistributionArgs {
    namePrefix: string;
    /** The apex first; CloudFront answers to all of them. */
    aliases: string[];
    /** A validated us-east-1 certificate covering every alias. */
    certificateArn: pulumi.Input<string>;
    assetsBucketRegionalDomainName: pulumi.Input<string>;
    webOriginDomainName: pulumi.Input<string>;
    originVerifySecret: pulumi.Input<string>;
    apiDomainName: pulumi.Input<string>;
    staticPathPatterns: string[];
    errorPagePath: string;
    contentSecurityPolicy: string;
    priceClass: PriceClass;
    /** A CLOUDFRONT-scope WAFv2 web ACL ARN. */
    webAclArn: pulumi.Input<string>;
    parent: pulumi.Resource;
    /** us-east-1: CloudFront's control plane. */
    provider: aws.Provider;
}

/**
 * The storefront's distribution: static paths from the assets bucket (Origin Access Control,
 * cached long, compressed), /api/* to the HTTP API and everything else to the public load balancer
 * (neither cached; viewer headers, cookies and query strings forwarded except Host). HTTPS only
 * towards viewers (redirect) and origins (TLS 1.2), HTTP/2 and HTTP/3, IPv6, security headers on
 * every response, the WAF web ACL, and a static error page when the web servers are down.
 */
export function createDistribution(name: string, args: DistributionArgs): aws.cloudfront.Distribution {
    const opts = { parent: args.parent, provider: args.provider };

    const oac = new aws.cloudfront.OriginAccessControl(
        `${name}-assets-oac`,
        {
            name: `${args.namePrefix}-assets`,
            description: "CloudFront signs every request to the assets bucket",
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        },
        opts,
    );

    const headers = new aws.cloudfront.ResponseHeadersPolicy(
        `${name}-security-headers`,
        {
            name: `${args.namePrefix}-security-headers`,
            comment: "HSTS (preload), CSP, nosniff, frame denial, referrer policy",
            securityHeadersConfig: {
                strictTransportSecurity: {
                    accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
                    includeSubdomains: true,
                    preload: true,
                    override: true,
                },
                contentSecurityPolicy: { contentSecurityPolicy: args.contentSecurityPolicy, override: true },
                contentTypeOptions: { override: true },
                frameOptions: { frameOption: "DENY", override: true },
                referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                // The legacy XSS auditor does more harm than good; "0" turns it off (the CSP protects).
                xssProtection: { protection: false, override: true },
            },
            removeHeadersConfig: { items: [{ header: "Server" }, { header: "X-Powered-By" }] },
        },
        opts,
    );

    const stripApiPrefix = new aws.cloudfront.Function(
        `${name}-api-prefix`,
        {
            name: `${args.namePrefix}-strip-api-prefix`,
            comment: "Removes /api before requests reach the HTTP API",
            runtime: "cloudfront-js-2.0",
            code: STRIP_API_PREFIX_CODE,
            publish: true,
        },
        opts,
    );

    const httpsOrigin = {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
        originReadTimeout: 30,
        originKeepaliveTimeout: 5,
    };
    const common = {
        viewerProtocolPolicy: "redirect-to-https",
        compress: true,
        cachedMethods: CACHED_METHODS,
        responseHeadersPolicyId: headers.id,
    };
    const uncached = {
        ...common,
        allowedMethods: ALL_METHODS,
        cachePolicyId: MANAGED_POLICY.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICY.allViewerExceptHost,
    };

    return new aws.cloudfront.Distribution(
        name,
        {
            enabled: true,
            comment: `${args.namePrefix} storefront`,
            aliases: args.aliases,
            viewerCertificate: {
                acmCertificateArn: args.certificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            },
            httpVersion: "http2and3",
            isIpv6Enabled: true,
            priceClass: args.priceClass,
            webAclId: args.webAclArn,
            origins: [
                {
                    originId: ORIGIN_IDS.assets,
                    domainName: args.assetsBucketRegionalDomainName,
                    originAccessControlId: oac.id,
                },
                {
                    originId: ORIGIN_IDS.web,
                    domainName: args.webOriginDomainName,
                    customOriginConfig: httpsOrigin,
                    customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifySecret }],
                },
                { originId: ORIGIN_IDS.api, domainName: args.apiDomainName, customOriginConfig: httpsOrigin },
            ],
            orderedCacheBehaviors: [
                {
                    ...uncached,
                    pathPattern: API_PATH_PATTERN,
                    targetOriginId: ORIGIN_IDS.api,
                    functionAssociations: [{ eventType: "viewer-request", functionArn: stripApiPrefix.arn }],
                },
                ...[...args.staticPathPatterns, THUMBNAILS_PATH_PATTERN].map((pathPattern) => ({
                    ...common,
                    pathPattern,
                    targetOriginId: ORIGIN_IDS.assets,
                    allowedMethods: READ_METHODS,
                    cachePolicyId: MANAGED_POLICY.cachingOptimized,
                })),
            ],
            defaultCacheBehavior: { ...uncached, targetOriginId: ORIGIN_IDS.web },
            customErrorResponses: ORIGIN_DOWN_CODES.map((errorCode) => ({
                errorCode,
                responseCode: errorCode,
                responsePagePath: args.errorPagePath,
                errorCachingMinTtl: ERROR_CACHING_SECONDS,
            })),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            tags: { Name: `${args.namePrefix}-storefront` },
        },
        opts,
    );
}
