import * as aws from "@pulumi/aws";
import { PolicyResource, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { LOAD_BALANCERS } from "./support/type-groups";
import { StackIndex } from "./support/stack-index";
import { checkEach } from "./support/unknowns";
import { isSet, regionOf } from "./support/values";

/** CloudFront accepts certificates and web ACLs only from this region, and WAF logs there. */
export const EDGE_REGION = "us-east-1";

const region = (r: PolicyResource) => regionOf(r.props, r.provider);

export const edgeResourcesInUsEast1 = stackPolicy(
    {
        name: "edge-resources-in-us-east-1",
        description:
            "What CloudFront uses lives where AWS requires it (followed through the distribution's and logging configuration's links): CLOUDFRONT-scope web ACLs, their logging and log groups, and viewer certificates in us-east-1; WAF log groups named aws-waf-logs-* in their web ACL's region; a distribution's web ACL of CLOUDFRONT scope and a load balancer's of REGIONAL scope in its region.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "edge",
        remediation:
            "Create these resources with the us-east-1 provider (the stack's usEast1Provider); name WAF log groups aws-waf-logs-<...>.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        const requireRegion = (
            resource: PolicyResource,
            expected: string | undefined,
            why: string,
            subject: PolicyResource = resource,
        ) => {
            const actual = region(resource);
            if (expected === undefined) return;
            if (actual === undefined)
                report(
                    `${why}: the region of ${resource.name} cannot be determined (no region input and no provider region).`,
                    subject.urn,
                );
            else if (actual !== expected) report(`${why}, but ${resource.name} is in ${actual}.`, subject.urn);
        };

        checkEach(
            index.ofType(aws.wafv2.WebAcl),
            (r) => r.urn,
            (acl) => {
                if (acl.props.scope === "CLOUDFRONT")
                    requireRegion(acl, EDGE_REGION, "a CLOUDFRONT-scope web ACL must be created in us-east-1");
            },
        );
        checkEach(
            index.ofType(aws.wafv2.WebAclLoggingConfiguration),
            (r) => r.urn,
            (logging) => {
                for (const acl of index.sources(logging, "resourceArn", aws.wafv2.WebAcl)) {
                    const aclRegion = acl.props.scope === "CLOUDFRONT" ? EDGE_REGION : region(acl);
                    requireRegion(logging, aclRegion, `web ACL ${acl.name} logs from ${aclRegion}`);
                    for (const group of index.sources(logging, "logDestinationConfigs", aws.cloudwatch.LogGroup)) {
                        requireRegion(
                            group,
                            aclRegion,
                            `WAF delivers ${acl.name}'s logs only to a log group in ${aclRegion}`,
                            logging,
                        );
                        if (!String(group.props.name ?? "").startsWith("aws-waf-logs-")) {
                            report(
                                `log group ${group.name} is named ${group.props.name ?? "by Pulumi"}; WAF accepts only names that start with aws-waf-logs-.`,
                                logging.urn,
                            );
                        }
                    }
                }
            },
        );
        checkEach(
            index.ofType(aws.cloudfront.Distribution),
            (r) => r.urn,
            (distribution) => {
                const direct = index.sources(distribution, "viewerCertificate", aws.acm.Certificate);
                const validated = index
                    .sources(distribution, "viewerCertificate", aws.acm.CertificateValidation)
                    .flatMap((v) => index.sources(v, "certificateArn", aws.acm.Certificate));
                for (const certificate of new Set([...direct, ...validated])) {
                    requireRegion(
                        certificate,
                        EDGE_REGION,
                        "CloudFront accepts viewer certificates only from us-east-1",
                        distribution,
                    );
                }
                for (const acl of index.sources(distribution, "webAclId", aws.wafv2.WebAcl)) {
                    if (acl.props.scope !== "CLOUDFRONT")
                        report(
                            `web ACL ${acl.name} has scope ${acl.props.scope}; a distribution takes only a CLOUDFRONT-scope web ACL.`,
                            distribution.urn,
                        );
                }
            },
        );
        checkEach(
            index.ofType(aws.wafv2.WebAclAssociation),
            (r) => r.urn,
            (association) => {
                for (const acl of index.sources(association, "webAclArn", aws.wafv2.WebAcl)) {
                    if (acl.props.scope !== "REGIONAL")
                        report(
                            `associates web ACL ${acl.name} of scope ${acl.props.scope}; regional resources take only REGIONAL web ACLs.`,
                            association.urn,
                        );
                    for (const target of index.sources(association, "resourceArn")) {
                        requireRegion(
                            acl,
                            region(target),
                            `web ACL ${acl.name} protects ${target.name} in ${region(target)}`,
                            association,
                        );
                    }
                }
            },
        );
    },
);

export const wafProtectsPublicEndpoints = stackPolicy(
    {
        name: "waf-protects-public-endpoints",
        description:
            "Every CloudFront distribution has a web ACL, and every internet-facing application load balancer is associated with one (an aws.wafv2.WebAclAssociation linked by its `resourceArn` input).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "edge",
        fsbp: ["CloudFront.6"],
        securityHub: ["ELB.16"],
        remediation:
            "Set the distribution's webAclId to a CLOUDFRONT-scope web ACL's ARN; add an aws.wafv2.WebAclAssociation of a REGIONAL web ACL with the load balancer.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.cloudfront.Distribution),
            (r) => r.urn,
            (distribution) => {
                if (
                    index.sources(distribution, "webAclId", aws.wafv2.WebAcl).length === 0 &&
                    !isSet(distribution.props.webAclId)
                ) {
                    report("has no web ACL.", distribution.urn);
                }
            },
        );
        checkEach(
            index.ofType(...LOAD_BALANCERS),
            (r) => r.urn,
            (lb) => {
                if (lb.props.internal === true || (lb.props.loadBalancerType ?? "application") !== "application")
                    return;
                if (index.referrers(lb, [aws.wafv2.WebAclAssociation], "resourceArn").length === 0) {
                    report(
                        "is internet-facing without a web ACL association: requests that bypass CloudFront are not filtered.",
                        lb.urn,
                    );
                }
            },
        );
    },
);

export const wafv2WebAclRulesAndMetrics = resourcePolicy(
    {
        name: "wafv2-web-acl-rules-and-metrics",
        description: "WAFv2 web ACLs have rules, and publish CloudWatch metrics for the ACL and every rule.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "edge",
        fsbp: ["WAF.10", "WAF.12"],
        remediation:
            "Add managed rule groups (common, SQL injection, known bad inputs, IP reputation) and a rate-based rule, each with visibilityConfig.cloudwatchMetricsEnabled: true.",
    },
    validateResourceOfType(aws.wafv2.WebAcl, (acl, _args, report) => {
        const rules = acl.rules ?? [];
        if (rules.length === 0 && !isSet(acl.ruleJson)) report("has no rules: it only applies its default action.");
        if (acl.visibilityConfig.cloudwatchMetricsEnabled !== true)
            report("visibilityConfig.cloudwatchMetricsEnabled is not true.");
        for (const rule of rules) {
            if (rule.visibilityConfig.cloudwatchMetricsEnabled !== true)
                report(`rule ${rule.name} publishes no CloudWatch metrics.`);
        }
    }),
);

interface CertificateConfig {
    allowedKeyAlgorithms: string[];
    allowImported: boolean;
}

export const acmCertificateManaged = resourcePolicy(
    {
        name: "acm-certificate-managed",
        description:
            "ACM certificates use strong keys and renew themselves: issued by ACM with DNS validation rather than imported or e-mail validated.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "edge",
        fsbp: ["ACM.1", "ACM.2"],
        remediation:
            'Request the certificate from ACM with validationMethod "DNS" and keyAlgorithm RSA_2048 or stronger, with its validation records in Route 53.',
        configSchema: {
            properties: {
                allowedKeyAlgorithms: {
                    type: "array",
                    items: { type: "string" },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"],
                    description: "Key algorithms a certificate may use",
                },
                allowImported: {
                    type: "boolean",
                    default: false,
                    description: "Accept imported certificates (they do not renew automatically)",
                },
            },
        },
    },
    validateResourceOfType(aws.acm.Certificate, (certificate, args, report) => {
        const config = args.getConfig<CertificateConfig>();
        const imported = isSet(certificate.certificateBody);
        if (imported) {
            if (!config.allowImported)
                report("is imported: ACM cannot renew it, so it expires unless someone re-imports it.");
            return;
        }
        const algorithm = certificate.keyAlgorithm ?? "RSA_2048";
        if (!config.allowedKeyAlgorithms.includes(algorithm))
            report(`keyAlgorithm ${algorithm} is not among ${config.allowedKeyAlgorithms.join(", ")}.`);
        if (!isSet(certificate.certificateAuthorityArn) && certificate.validationMethod !== "DNS") {
            report(
                `validationMethod is ${certificate.validationMethod ?? "unset"}, not DNS: renewal waits for someone to answer an e-mail.`,
            );
        }
    }),
);

export const edgePolicies = [
    edgeResourcesInUsEast1,
    wafProtectsPublicEndpoints,
    wafv2WebAclRulesAndMetrics,
    acmCertificateManaged,
];
