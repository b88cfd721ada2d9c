import { describePolicy } from "./check";

describePolicy("cloudtrail-multi-region-validated", {}, [
    {
        rule: "a single-region trail",
        mutate: (g) => g.set("observability-trail", { isMultiRegionTrail: false }),
        expect: /isMultiRegionTrail is not true/,
    },
    {
        rule: "global service events dropped",
        mutate: (g) => g.set("observability-trail", { includeGlobalServiceEvents: false }),
        expect: /includeGlobalServiceEvents is false/,
    },
    {
        rule: "no log file validation",
        mutate: (g) => g.set("observability-trail", { enableLogFileValidation: false }),
        expect: /enableLogFileValidation is not true/,
    },
    {
        rule: "logging stopped",
        mutate: (g) => g.set("observability-trail", { enableLogging: false }),
        expect: /enableLogging is false/,
    },
    {
        rule: "no CloudWatch Logs delivery",
        mutate: (g) => g.set("observability-trail", { cloudWatchLogsGroupArn: undefined }),
        expect: /cloudWatchLogsGroupArn is not set/,
    },
    {
        rule: "write-only management events",
        mutate: (g) =>
            g.set("observability-trail", {
                eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
            }),
        expect: /drops management events/,
    },
]);

describePolicy("vpc-flow-logs-enabled", {}, [
    {
        rule: "a VPC without flow logs",
        mutate: (g) => g.remove("network-flow-log"),
        expect: /has no flow log/,
        at: "network-vpc",
    },
    {
        rule: "rejected traffic only",
        mutate: (g) => g.set("network-flow-log", { trafficType: "REJECT" }),
        expect: /flow logs record REJECT; allowed: ALL/,
    },
    {
        rule: "the adopted default VPC without a flow log",
        mutate: (g) => g.add("aws:ec2/defaultVpc:DefaultVpc", "default-vpc", {}),
        expect: /has no flow log/,
        at: "default-vpc",
    },
]);

describePolicy("lb-access-logs-enabled", {}, [
    {
        rule: "access logs off",
        mutate: (g) => g.set("services-alb", { accessLogs: { bucket: "logs", enabled: false } }),
        expect: /accessLogs is not enabled/,
        at: "services-alb",
    },
    {
        rule: "a network load balancer is not checked",
        mutate: (g) =>
            g.add("aws:lb/loadBalancer:LoadBalancer", "nlb", { internal: true, loadBalancerType: "network" }),
        expect: null,
    },
    {
        rule: "a classic load balancer without access logs",
        mutate: (g) => g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { listeners: [] }),
        expect: /accessLogs does not name a bucket, or is disabled/,
        at: "legacy-elb",
    },
    {
        rule: "a classic load balancer logging to a bucket (on by default)",
        mutate: (g) =>
            g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { accessLogs: { bucket: g.ref("web-alb-logs") } }),
        expect: null,
    },
]);

describePolicy("cloudfront-access-logging", {}, [
    {
        rule: "no logging",
        mutate: (g) => g.set("edge-distribution", { loggingConfig: undefined }),
        expect: /has neither loggingConfig nor a log delivery/,
    },
    {
        rule: "a CloudWatch log delivery instead of standard logging",
        mutate: (g) => {
            g.set("edge-distribution", { loggingConfig: undefined });
            const source = g.add(
                "aws:cloudwatch/logDeliverySource:LogDeliverySource",
                "edge-log-source",
                { logType: "ACCESS_LOGS", resourceArn: g.arn("edge-distribution") },
                { provider: g.edge },
            );
            g.add(
                "aws:cloudwatch/logDelivery:LogDelivery",
                "edge-log-delivery",
                {
                    deliverySourceName: g.ref(source),
                    deliveryDestinationArn: "arn:aws:logs:us-east-1:222222222222:delivery-destination:d",
                },
                { provider: g.edge },
            );
        },
        expect: null,
    },
]);

describePolicy("wafv2-web-acl-logging", {}, [
    {
        rule: "a web ACL without logging",
        mutate: (g) => g.remove("web-acl-logging"),
        expect: /has no logging configuration/,
        at: "web-acl",
    },
]);

describePolicy("apigatewayv2-stage-access-logging", {}, [
    {
        rule: "no access logs",
        mutate: (g) => g.set("services-api-stage", { accessLogSettings: undefined }),
        expect: /lacks a destinationArn or a format/,
    },
    {
        rule: "a REST API (v1) stage without access logs",
        mutate: (g) =>
            g.add("aws:apigateway/stage:Stage", "legacy-api-prod", {
                restApi: "abc",
                deployment: "d1",
                stageName: "prod",
            }),
        expect: /accessLogSettings lacks a destinationArn or a format/,
        at: "legacy-api-prod",
    },
]);

describePolicy("cloudwatch-log-group-retention", {}, [
    {
        rule: "logs that never expire",
        mutate: (g) => g.set("services-api-logs", { retentionInDays: undefined }),
        expect: /never expire/,
        at: "services-api-logs",
    },
    {
        rule: "a retention below the minimum",
        mutate: (g) => g.set("services-api-logs", { retentionInDays: 30 }),
        expect: /retentionInDays is 30; at least 365/,
    },
    {
        rule: "a 30-day retention in development",
        mutate: (g) => g.set("services-api-logs", { retentionInDays: 30 }),
        config: { minimumRetentionDays: 30 },
        expect: null,
    },
]);
