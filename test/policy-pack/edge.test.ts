import { describePolicy } from "./check";
import { UNKNOWN } from "./synthetic";

describePolicy("edge-resources-in-us-east-1", {}, [
    {
        rule: "a CLOUDFRONT web ACL in the stack's region",
        mutate: (g) => g.set("edge-acl", { region: "af-south-1" }),
        expect: /CLOUDFRONT-scope web ACL must be created in us-east-1, but edge-acl is in af-south-1/,
        at: "edge-acl",
    },
    {
        rule: "its logging configuration elsewhere",
        mutate: (g) => g.set("edge-acl-logging", { region: "af-south-1" }),
        expect: /web ACL edge-acl logs from us-east-1, but edge-acl-logging is in af-south-1/,
    },
    {
        rule: "its log group elsewhere",
        mutate: (g) => g.set("edge-waf-logs", { region: "af-south-1", kmsKeyId: g.arn("keys-logs") }),
        expect: /only to a log group in us-east-1, but edge-waf-logs is in af-south-1/,
        at: "edge-acl-logging",
    },
    {
        rule: "a WAF log group without the aws-waf-logs- prefix (WAF rejects it)",
        mutate: (g) => g.set("web-waf-logs", { name: "/waf/web" }),
        expect: /named \/waf\/web; WAF accepts only names that start with aws-waf-logs-/,
    },
    {
        rule: "a viewer certificate from the stack's region",
        mutate: (g) =>
            g.set("edge-distribution", {
                viewerCertificate: {
                    acmCertificateArn: g.ref("domain-origin-validation"),
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
            }),
        expect: /CloudFront accepts viewer certificates only from us-east-1, but domain-origin is in af-south-1/,
        at: "edge-distribution",
    },
    {
        rule: "a REGIONAL web ACL on a distribution",
        mutate: (g) => g.set("edge-distribution", { webAclId: g.arn("web-acl") }),
        expect: /web ACL web-acl has scope REGIONAL; a distribution takes only a CLOUDFRONT-scope/,
    },
    {
        rule: "a CLOUDFRONT web ACL associated with the load balancer",
        mutate: (g) => g.set("web-acl-association", { webAclArn: g.arn("edge-acl") }),
        expect: /associates web ACL edge-acl of scope CLOUDFRONT/,
    },
    {
        rule: "a region that cannot be determined",
        mutate: (g) =>
            g.add(
                "aws:wafv2/webAcl:WebAcl",
                "stray-acl",
                { scope: "CLOUDFRONT", visibilityConfig: { cloudwatchMetricsEnabled: true }, defaultAction: {} },
                { provider: null },
            ),
        expect: /the region of stray-acl cannot be determined/,
    },
    {
        rule: "a scope unknown during preview",
        mutate: (g) => g.set("edge-acl", { scope: UNKNOWN }),
        expect: /during preview/,
    },
]);

describePolicy("waf-protects-public-endpoints", {}, [
    {
        rule: "a distribution without a web ACL",
        mutate: (g) => g.set("edge-distribution", { webAclId: undefined }),
        expect: /has no web ACL/,
        at: "edge-distribution",
    },
    {
        rule: "a public load balancer without a web ACL association",
        mutate: (g) => g.remove("web-acl-association"),
        expect: /internet-facing without a web ACL association/,
        at: "web-alb",
    },
    {
        rule: "a web ACL id given as a value",
        mutate: (g) =>
            g.set("edge-distribution", { webAclId: "arn:aws:wafv2:us-east-1:222222222222:global/webacl/shared/1" }),
        expect: null,
    },
]);

describePolicy("wafv2-web-acl-rules-and-metrics", {}, [
    { rule: "no rules", mutate: (g) => g.set("web-acl", { rules: [] }), expect: /has no rules/ },
    {
        rule: "no metrics for the ACL",
        mutate: (g) =>
            g.set("web-acl", {
                visibilityConfig: { cloudwatchMetricsEnabled: false, metricName: "x", sampledRequestsEnabled: true },
            }),
        expect: /visibilityConfig.cloudwatchMetricsEnabled is not true/,
    },
    {
        rule: "a rule without metrics",
        mutate: (g) =>
            g.set("web-acl", {
                rules: [
                    {
                        name: "rate",
                        priority: 1,
                        action: { block: {} },
                        statement: {},
                        visibilityConfig: {
                            cloudwatchMetricsEnabled: false,
                            metricName: "rate",
                            sampledRequestsEnabled: true,
                        },
                    },
                ],
            }),
        expect: /rule rate publishes no CloudWatch metrics/,
    },
]);

describePolicy("acm-certificate-managed", {}, [
    {
        rule: "e-mail validation",
        mutate: (g) => g.set("domain-origin", { validationMethod: "EMAIL" }),
        expect: /validationMethod is EMAIL, not DNS/,
        at: "domain-origin",
    },
    {
        rule: "a weak key",
        mutate: (g) => g.set("domain-origin", { keyAlgorithm: "RSA_1024" }),
        expect: /keyAlgorithm RSA_1024/,
    },
    {
        rule: "an imported certificate",
        mutate: (g) => g.set("domain-origin", { certificateBody: "-----BEGIN CERTIFICATE-----", privateKey: "k" }),
        expect: /is imported: ACM cannot renew it/,
    },
]);
