import * as aws from "@pulumi/aws";

export type WafScope = "CLOUDFRONT" | "REGIONAL";

export interface WafRuleOptions {
    scope: WafScope;
    /** Prefix of every rule's CloudWatch metric name (the web ACL's name). */
    metricPrefix: string;
    /** Requests per client IP in 5 minutes; applies at CloudFront only. */
    rateLimitPer5Minutes: number;
    blockAnonymousIps: boolean;
}

interface ManagedGroup {
    name: string;
    /** Rules of the group that only count instead of blocking. */
    countOnly?: string[];
}

// Groups that judge the client's IP address.
const REPUTATION: ManagedGroup = { name: "AWSManagedRulesAmazonIpReputationList" };
const ANONYMOUS: ManagedGroup = {
    name: "AWSManagedRulesAnonymousIpList",
    // Route 53 health checkers and payment providers' webhooks come from cloud hosting ranges:
    // blocking hosting providers would page us and drop payment notifications.
    countOnly: ["HostingProviderIPList"],
};
// Groups that inspect the request itself.
const REQUEST_INSPECTION: ManagedGroup[] = [
    { name: "AWSManagedRulesCommonRuleSet" },
    { name: "AWSManagedRulesKnownBadInputsRuleSet" },
    { name: "AWSManagedRulesSQLiRuleSet" },
];

/**
 * How much of a request body WAF inspects without an `associationConfig`: 16 KB at CloudFront,
 * 8 KB at a load balancer. What lies beyond goes unexamined, so larger bodies are refused.
 */
export const BODY_INSPECTION_LIMIT_BYTES: Record<WafScope, number> = { CLOUDFRONT: 16 * 1024, REGIONAL: 8 * 1024 };

/**
 * The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY), which suits the load
 * balancer's 8 KB inspection limit but would refuse larger order and catalogue writes to the API
 * at CloudFront, which inspects 16 KB: there that rule only counts and BodyBeyondInspection refuses
 * what WAF could not read.
 */
function requestInspection(scope: WafScope): ManagedGroup[] {
    if (scope === "REGIONAL") return REQUEST_INSPECTION;
    return REQUEST_INSPECTION.map((group) =>
        group.name === "AWSManagedRulesCommonRuleSet" ? { ...group, countOnly: ["SizeRestrictions_BODY"] } : group,
    );
}

/**
 * The rules of a web ACL, in evaluation order: IP reputation (and, when enabled, anonymous IPs),
 * the per-IP rate limit, bodies beyond the inspection limit, then the request-inspecting managed groups (common rule set, known bad
 * inputs, SQL injection). Behind CloudFront the load balancer only ever sees CloudFront's
 * addresses, so the REGIONAL web ACL carries the request-inspecting groups only: IP reputation
 * and rate limits there would judge CloudFront, not the client.
 */
export function wafRules(options: WafRuleOptions): aws.types.input.wafv2.WebAclRule[] {
    const managed = (group: ManagedGroup) => managedGroupRule(group, options.metricPrefix);
    const atEdge = options.scope === "CLOUDFRONT";
    const bySourceIp = atEdge ? [REPUTATION, ...(options.blockAnonymousIps ? [ANONYMOUS] : [])].map(managed) : [];
    const ordered = [
        ...bySourceIp,
        ...(atEdge ? [rateLimitRule(options), bodyBeyondInspectionRule(options)] : []),
        ...requestInspection(options.scope).map(managed),
    ];
    return ordered.map((rule, i) => ({ ...rule, priority: (i + 1) * 10 }));
}

/** CloudWatch metrics and sampled requests for one rule or web ACL. */
export function visibility(metricName: string): aws.types.input.wafv2.WebAclVisibilityConfig {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

type UnorderedRule = Omit<aws.types.input.wafv2.WebAclRule, "priority">;

function managedGroupRule(group: ManagedGroup, metricPrefix: string): UnorderedRule {
    return {
        name: group.name,
        // "none" keeps the group's own actions (block); "count" would only observe.
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group.name,
                ruleActionOverrides: group.countOnly?.map((name) => ({ name, actionToUse: { count: {} } })),
            },
        },
        visibilityConfig: visibility(`${metricPrefix}-${group.name}`),
    };
}

function rateLimitRule(options: WafRuleOptions): UnorderedRule {
    return {
        name: "RateLimitPerIp",
        action: { block: {} },
        statement: {
            rateBasedStatement: {
                aggregateKeyType: "IP",
                limit: options.rateLimitPer5Minutes,
                evaluationWindowSec: 300,
            },
        },
        visibilityConfig: visibility(`${options.metricPrefix}-RateLimitPerIp`),
    };
}

/** Blocks a body WAF cannot inspect whole (oversize handling MATCH: the part beyond the limit counts as a match). */
function bodyBeyondInspectionRule(options: WafRuleOptions): UnorderedRule {
    return {
        name: "BodyBeyondInspection",
        action: { block: {} },
        statement: {
            sizeConstraintStatement: {
                fieldToMatch: { body: { oversizeHandling: "MATCH" } },
                comparisonOperator: "GT",
                size: BODY_INSPECTION_LIMIT_BYTES[options.scope],
                textTransformations: [{ priority: 0, type: "NONE" }],
            },
        },
        visibilityConfig: visibility(`${options.metricPrefix}-BodyBeyondInspection`),
    };
}
