import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup } from "../shared/log-group";
import { logDeliveryPolicy } from "./log-delivery-policy";
import { visibility, wafRules, WafScope } from "./waf-rules";

/** WAF delivers logs only to destinations whose name starts with this. */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

export interface WebAclArgs {
    /** Physical name of the web ACL; its log group is aws-waf-logs-<aclName>. */
    aclName: string;
    scope: WafScope;
    accountId: string;
    /** The region of the provider: us-east-1 for CLOUDFRONT, the load balancer's for REGIONAL. */
    region: string;
    rateLimitPer5Minutes: number;
    blockAnonymousIps: boolean;
    logRetentionDays: number;
    /** A logs key of `region`. */
    logsKeyArn: pulumi.Input<string>;
    parent: pulumi.Resource;
    /** Unset: the parent's (the stack's region). */
    provider?: aws.Provider;
}

/**
 * A WAFv2 web ACL (default allow, the managed protections of `wafRules`, metrics per rule) with
 * its traffic logged to an encrypted log group named aws-waf-logs-..., secrets redacted.
 */
export function createWebAcl(name: string, args: WebAclArgs): pulumi.Output<string> {
    if (args.scope === "CLOUDFRONT" && args.region !== "us-east-1") {
        throw new Error(`${name}: a CLOUDFRONT-scope web ACL must be created in us-east-1, not ${args.region}`);
    }
    const opts = { parent: args.parent, provider: args.provider };
    const webAcl = new aws.wafv2.WebAcl(
        name,
        {
            name: args.aclName,
            description: `${args.scope === "CLOUDFRONT" ? "CloudFront" : "Public load balancer"} protections of ${args.aclName}`,
            scope: args.scope,
            defaultAction: { allow: {} },
            rules: wafRules({
                scope: args.scope,
                metricPrefix: args.aclName,
                rateLimitPer5Minutes: args.rateLimitPer5Minutes,
                blockAnonymousIps: args.blockAnonymousIps,
            }),
            visibilityConfig: visibility(args.aclName),
            tags: { Name: args.aclName },
        },
        opts,
    );

    const logGroup = encryptedLogGroup(
        `${name}-logs`,
        {
            logGroupName: `${WAF_LOG_PREFIX}${args.aclName}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyArn: args.logsKeyArn,
        },
        opts,
    );
    const deliveryPolicy = logDeliveryPolicy(
        `${name}-log-delivery`,
        {
            policyName: `${args.aclName}-waf-log-delivery`,
            accountId: args.accountId,
            region: args.region,
            logGroupArns: [logGroup.arn],
        },
        opts,
    );

    new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-logging`,
        {
            resourceArn: webAcl.arn,
            logDestinationConfigs: [logGroup.arn],
            // Session cookies and bearer tokens must not end up in logs.
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
        },
        { ...opts, dependsOn: [deliveryPolicy] },
    );

    return webAcl.arn;
}
