import type { PlanResource } from "../../graph";
import { fixed, Outcome, PricingRule, RuleContext, usage } from "../model";
import { loadBalancerRequests } from "./network";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";

/** Requests a web ACL inspects: every viewer request at CloudFront, or those reaching its load balancers. */
function webAclRequests(acl: PlanResource, ctx: RuleContext): number {
    if (ctx.links.dependents(acl, DISTRIBUTION, "webAclId").length > 0) return ctx.usage.requestsPerMonth;
    return ctx.links
        .dependents(acl, "aws:wafv2/webAclAssociation:WebAclAssociation", "webAclArn")
        .flatMap((association) => ctx.links.sources(association, "resourceArn", LOAD_BALANCER))
        .reduce((sum, lb) => sum + loadBalancerRequests(lb, ctx), 0);
}

/** Optional health check features Route 53 bills for (each on top of the basic check). */
function healthCheckFeatures(check: PlanResource): string[] {
    const { type, searchString, requestInterval, measureLatency } = check.inputs;
    const features: string[] = [];
    if (typeof type === "string" && type.startsWith("HTTPS")) features.push("HTTPS");
    if (typeof type === "string" && type.endsWith("STR_MATCH") && searchString) features.push("string matching");
    if (requestInterval === 10) features.push("fast interval");
    if (measureLatency === true) features.push("latency measurement");
    return features;
}

export const edgeRules: Record<string, PricingRule> = {
    [DISTRIBUTION]: (_distribution, ctx) => [
        usage("data out to viewers in Africa (dataOutGb)", ctx.usage.dataOutGb, "cloudfront.dataOutSouthAfrica"),
        usage(
            "HTTPS requests (requestsPerMonth)",
            ctx.usage.requestsPerMonth / 1e4,
            "cloudfront.httpsRequestsSouthAfrica",
        ),
    ],

    // Counted on every viewer request: an upper bound for a function on some behaviours only.
    "aws:cloudfront/function:Function": (_fn, ctx) => [
        usage(
            "invocations (requestsPerMonth, at most)",
            ctx.usage.requestsPerMonth / 1e6,
            "cloudfront.functionInvocations",
        ),
    ],

    "aws:wafv2/webAcl:WebAcl": (acl, ctx) => {
        const rules = ((acl.inputs.rules ?? []) as unknown[]).length;
        const requests = webAclRequests(acl, ctx);
        return [
            fixed("web ACL", 1, "waf.webAcl"),
            fixed(`${rules} rules and managed rule groups`, rules, "waf.rule"),
            usage(`${Math.round(requests)} requests inspected`, requests / 1e6, "waf.requests"),
        ];
    },

    "aws:route53/zone:Zone": () => [fixed("hosted zone", 1, "route53.hostedZone")],

    "aws:route53/healthCheck:HealthCheck": (check): Outcome[] => {
        const features = healthCheckFeatures(check);
        const outcomes: Outcome[] = [fixed("health check", 1, "route53.healthCheck")];
        if (features.length > 0)
            outcomes.push(
                fixed(`optional features: ${features.join(", ")}`, features.length, "route53.healthCheckFeature"),
            );
        return outcomes;
    },

    "aws:apigatewayv2/api:Api": (api, ctx): Outcome[] => {
        if (api.inputs.protocolType !== "HTTP") return [{ unpriced: `a ${String(api.inputs.protocolType)} API` }];
        return [
            usage("requests (apiRequestsPerMonth)", ctx.usage.apiRequestsPerMonth / 1e6, "apigateway.httpRequests"),
        ];
    },

    "aws:cognito/userPool:UserPool": (pool, ctx): Outcome[] => {
        const tier = pool.inputs.userPoolTier ?? "ESSENTIALS";
        if (tier !== "ESSENTIALS" && tier !== "PLUS") return [{ unpriced: `feature plan ${String(tier)}` }];
        return [
            usage(
                `${ctx.usage.activeUsersPerMonth} monthly active users (${String(tier)} plan)`,
                ctx.usage.activeUsersPerMonth,
                tier === "PLUS" ? "cognito.plusMau" : "cognito.essentialsMau",
            ),
        ];
    },
};
