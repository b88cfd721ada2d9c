import { fixed, Outcome, PricingRule, RuleContext, usage } from "../model";
import type { PlanResource } from "../../graph";

const NAT = "aws:ec2/natGateway:NatGateway";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SUBNET = "aws:ec2/subnet:Subnet";

/** Requests reaching a load balancer in a month: the CDN's cache misses, or the API's requests. */
export function loadBalancerRequests(lb: PlanResource, ctx: RuleContext): number {
    const { requestsPerMonth, cacheHitRatio, apiRequestsPerMonth } = ctx.usage;
    return lb.inputs.internal === true ? apiRequestsPerMonth : requestsPerMonth * (1 - cacheHitRatio);
}

export const networkRules: Record<string, PricingRule> = {
    [NAT]: (_nat, ctx) => [
        fixed("NAT gateway hours", ctx.hours, "vpc.natGateway"),
        usage(
            "data processed (natDataGb, shared among NAT gateways)",
            ctx.usage.natDataGb / ctx.count(NAT),
            "vpc.natGatewayData",
        ),
    ],

    "aws:ec2/eip:Eip": (_eip, ctx) => [fixed("public IPv4 address hours", ctx.hours, "vpc.publicIpv4")],

    [ENDPOINT]: (endpoint, ctx): Outcome[] => {
        if (endpoint.inputs.vpcEndpointType !== "Interface") return [{ free: "gateway endpoints have no charge" }];
        const zones = ctx.links.sources(endpoint, "subnetIds", SUBNET).length;
        const interfaces = ctx.links.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface").length;
        return [
            fixed(`endpoint hours in ${zones} zone(s)`, ctx.hours * zones, "vpc.interfaceEndpoint"),
            usage(
                "data processed (endpointDataGb, shared among interface endpoints)",
                ctx.usage.endpointDataGb / interfaces,
                "vpc.interfaceEndpointData",
            ),
        ];
    },

    "aws:lb/loadBalancer:LoadBalancer": (lb, ctx): Outcome[] => {
        if (lb.inputs.loadBalancerType !== "application")
            return [{ unpriced: `a ${String(lb.inputs.loadBalancerType)} load balancer` }];
        const requests = loadBalancerRequests(lb, ctx);
        // An LCU is 25 new connections a second (counted as one request each, an upper bound) or,
        // for the public one, 1 GB an hour of the traffic CloudFront fetches from it; the larger wins.
        const originGb = lb.inputs.internal === true ? 0 : ctx.usage.dataOutGb * (1 - ctx.usage.cacheHitRatio);
        const lcuHours = Math.max(requests / (25 * 3600), originGb);
        const outcomes: Outcome[] = [
            fixed("load balancer hours", ctx.hours, "elb.application"),
            usage(
                lb.inputs.internal === true
                    ? "capacity units (apiRequestsPerMonth)"
                    : "capacity units (CDN cache misses, origin data)",
                lcuHours,
                "elb.applicationLcu",
            ),
        ];
        if (lb.inputs.internal !== true) {
            const zones = ctx.links.sources(lb, "subnets", SUBNET).length;
            outcomes.push(fixed(`public IPv4 addresses in ${zones} zone(s)`, ctx.hours * zones, "vpc.publicIpv4"));
        }
        return outcomes;
    },
};
