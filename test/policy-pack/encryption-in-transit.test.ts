import { describePolicy } from "./check";
import { SyntheticGraph, UNKNOWN } from "./synthetic";

const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];

/** A classic load balancer in the public subnets with one listener. */
const classic = (g: SyntheticGraph, listener: Record<string, unknown>) =>
    g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", {
        subnets: ["a", "b", "c"].map((z) => g.ref(`network-public-af-south-1${z}`)),
        listeners: [{ instancePort: 8080, instanceProtocol: "http", lbPort: 443, ...listener }],
    });
/** The predefined TLS 1.2 policy attached to a classic load balancer's port 443. */
const classicTls12 = (g: SyntheticGraph) => {
    const policy = g.add("aws:elb/loadBalancerPolicy:LoadBalancerPolicy", "legacy-elb-tls", {
        loadBalancerName: g.ref("legacy-elb"),
        policyName: "tls-1-2",
        policyTypeName: "SSLNegotiationPolicyType",
        policyAttributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }],
    });
    g.add("aws:elb/listenerPolicy:ListenerPolicy", "legacy-elb-443", {
        loadBalancerName: g.ref("legacy-elb"),
        loadBalancerPort: 443,
        policyNames: [g.ref(policy, "tls-1-2")],
    });
};
const certificate = "arn:aws:acm:af-south-1:222222222222:certificate/legacy";

describePolicy("lb-listener-encrypted-in-transit", {}, [
    {
        rule: "a classic load balancer listening in plaintext",
        mutate: (g) => classic(g, { lbPort: 80, lbProtocol: "http" }),
        expect: /HTTP listener on port 80 carries plaintext \(a classic listener cannot redirect to HTTPS\)/,
        at: "legacy-elb",
    },
    {
        rule: "a classic HTTPS listener on the default security policy",
        mutate: (g) => classic(g, { lbProtocol: "https", sslCertificateId: certificate }),
        expect: /HTTPS listener on port 443 uses the default security policy \(ELBSecurityPolicy-2016-08/,
    },
    {
        rule: "a classic SSL listener without a certificate",
        mutate: (g) => {
            classic(g, { lbProtocol: "ssl" });
            classicTls12(g);
        },
        expect: /SSL listener on port 443 has no sslCertificateId/,
    },
    {
        rule: "a classic HTTPS listener with a certificate and the TLS 1.2 policy",
        mutate: (g) => {
            classic(g, { lbProtocol: "https", sslCertificateId: certificate });
            classicTls12(g);
        },
        expect: null,
    },
    {
        rule: "a security policy outside the allowed list",
        mutate: (g) => g.set("web-https", { sslPolicy: "ELBSecurityPolicy-2016-08" }),
        expect: /HTTPS listener uses ELBSecurityPolicy-2016-08; allowed:/,
        at: "web-https",
    },
    {
        rule: "the default security policy",
        mutate: (g) => g.set("web-https", { sslPolicy: undefined }),
        expect: /uses the default security policy/,
    },
    {
        rule: "an allowed policy added by config",
        mutate: (g) => g.set("web-https", { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
        config: {
            allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"],
        },
        expect: null,
    },
    {
        rule: "an HTTPS listener without a certificate",
        mutate: (g) => g.set("web-https", { certificateArn: undefined }),
        expect: /has no certificateArn/,
    },
    {
        rule: "an HTTP listener that forwards",
        mutate: (g) => g.set("web-http", { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        expect: /HTTP listener does something other than redirect to HTTPS/,
        at: "web-http",
    },
    {
        rule: "a listener without a protocol (HTTP on an ALB) that forwards",
        mutate: (g) => g.set("web-http", { protocol: undefined, defaultActions: [{ type: "forward" }] }),
        expect: /HTTP listener does something other/,
    },
    {
        rule: "a rule on the redirecting HTTP listener that serves plaintext",
        mutate: (g) =>
            g.add("aws:lb/listenerRule:ListenerRule", "web-http-rule", {
                listenerArn: g.arn("web-http"),
                actions: [{ type: "forward", targetGroupArn: "arn:tg" }],
            }),
        expect: /rule web-http-rule of this HTTP listener serves plaintext/,
        at: "web-http",
    },
    {
        rule: "plaintext on a TCP listener of a network load balancer",
        mutate: (g) => {
            const nlb = g.add("aws:lb/loadBalancer:LoadBalancer", "nlb", {
                internal: true,
                loadBalancerType: "network",
            });
            g.add("aws:lb/listener:Listener", "nlb-tcp", {
                loadBalancerArn: g.arn(nlb),
                port: 5432,
                defaultActions: [{ type: "forward" }],
            });
        },
        expect: /TCP listener carries plaintext/,
        at: "nlb-tcp",
    },
    {
        rule: "HTTP to an internal load balancer",
        mutate: (g) =>
            g.add("aws:lb/listener:Listener", "services-http", {
                loadBalancerArn: g.arn("services-alb"),
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "forward" }],
            }),
        expect: /HTTP listener does something other than redirect/,
    },
    {
        rule: "HTTP to an internal load balancer when configured",
        mutate: (g) =>
            g.add("aws:lb/listener:Listener", "services-http", {
                loadBalancerArn: g.arn("services-alb"),
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "forward" }],
            }),
        config: { allowPlaintextToInternalLoadBalancers: true },
        expect: null,
    },
    { rule: "a redirect to HTTPS", mutate: (g) => g.set("web-http", { defaultActions: redirect }), expect: null },
    {
        rule: "actions unknown during preview",
        mutate: (g) => g.set("web-http", { defaultActions: UNKNOWN }),
        expect: /during preview: .*web-http/,
    },
]);

describePolicy("cloudfront-viewer-https", {}, [
    {
        rule: "a behavior that allows HTTP",
        mutate: (g) =>
            g.set("edge-distribution", {
                defaultCacheBehavior: { targetOriginId: "web", viewerProtocolPolicy: "allow-all" },
            }),
        expect: /cache behavior default \(\*\) allows HTTP/,
    },
    {
        rule: "an ordered behavior that allows HTTP",
        mutate: (g) =>
            g.set("edge-distribution", {
                orderedCacheBehaviors: [
                    { pathPattern: "/img/*", targetOriginId: "assets", viewerProtocolPolicy: "allow-all" },
                ],
            }),
        expect: /cache behavior \/img\/\* allows HTTP/,
    },
    {
        rule: "the default certificate",
        mutate: (g) => g.set("edge-distribution", { viewerCertificate: { cloudfrontDefaultCertificate: true } }),
        expect: /default certificate/,
    },
    {
        rule: "a dedicated-IP certificate",
        mutate: (g) =>
            g.set("edge-distribution", {
                viewerCertificate: {
                    acmCertificateArn: "arn:c",
                    sslSupportMethod: "vip",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
            }),
        expect: /sslSupportMethod is vip/,
    },
    {
        rule: "an old minimum TLS version",
        mutate: (g) =>
            g.set("edge-distribution", {
                viewerCertificate: {
                    acmCertificateArn: "arn:c",
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.1_2016",
                },
            }),
        expect: /minimumProtocolVersion is TLSv1.1_2016/,
    },
]);

describePolicy("cloudfront-origin-https", {}, [
    {
        rule: "a custom origin reached over HTTP",
        mutate: (g) =>
            g.set("edge-distribution", {
                origins: [
                    {
                        originId: "web",
                        domainName: "origin.example",
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "http-only",
                            originSslProtocols: ["TLSv1.2"],
                        },
                    },
                ],
            }),
        expect: /origin web is reached with http-only/,
    },
    {
        rule: "a custom origin that allows TLS 1.0",
        mutate: (g) =>
            g.set("edge-distribution", {
                origins: [
                    {
                        originId: "web",
                        domainName: "origin.example",
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "https-only",
                            originSslProtocols: ["TLSv1", "TLSv1.2"],
                        },
                    },
                ],
            }),
        expect: /origin web allows TLSv1\./,
    },
]);

describePolicy("elasticache-encrypted-in-transit", {}, [
    {
        rule: "transit encryption off",
        mutate: (g) => g.set("cache", { transitEncryptionEnabled: false }),
        expect: /transitEncryptionEnabled is not true/,
    },
    {
        rule: "transit encryption only preferred",
        mutate: (g) => g.set("cache", { transitEncryptionMode: "preferred" }),
        expect: /"preferred"/,
    },
    {
        rule: "no AUTH token or RBAC",
        mutate: (g) => g.set("cache", { authToken: undefined }),
        expect: /neither an AUTH token nor RBAC/,
    },
    {
        rule: "RBAC user groups instead of a token",
        mutate: (g) => g.set("cache", { authToken: undefined, userGroupIds: ["shop-users"] }),
        expect: null,
    },
    {
        rule: "a standalone cache cluster without TLS",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "memcached" }),
        expect: /transitEncryptionEnabled is not true/,
        at: "sessions",
    },
    {
        rule: "a standalone Valkey cluster with TLS still cannot authenticate clients",
        mutate: (g) =>
            g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "valkey", transitEncryptionEnabled: true }),
        expect: /is a standalone valkey cluster, which cannot authenticate clients/,
    },
    {
        rule: "a member of the replication group",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "cache-extra", { replicationGroupId: g.ref("cache") }),
        expect: null,
    },
    {
        rule: "a serverless cache without a user group",
        mutate: (g) => g.add("aws:elasticache/serverlessCache:ServerlessCache", "carts", { engine: "valkey" }),
        expect: /has no userGroupId/,
        at: "carts",
    },
]);

describePolicy("s3-bucket-denies-insecure-transport", {}, [
    {
        rule: "a bucket without a policy",
        mutate: (g) => g.remove("assets-policy"),
        expect: /no attached policy denies requests without TLS/,
        at: "assets",
    },
    {
        rule: "a policy whose TLS statement does not cover the objects",
        mutate: (g) =>
            g.set("assets-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: "arn:aws:s3:::assets",
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            }),
        expect: /no attached policy denies/,
    },
    {
        rule: "a policy that only allows",
        mutate: (g) =>
            g.set("assets-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: "arn:aws:s3:::assets/*",
                        },
                    ],
                }),
            }),
        expect: /no attached policy denies/,
    },
    {
        rule: "a policy that is not JSON",
        mutate: (g) => g.set("assets-policy", { policy: "{not json" }),
        expect: /its policy is not valid JSON/,
    },
    {
        rule: "a policy whose bucket came from the public access block (ordered after it) still counts",
        mutate: (g) => g.set("assets-policy", { bucket: g.ref("assets-pab", g.get("assets").id) }),
        expect: null,
    },
    {
        rule: "an inline bucket policy",
        mutate: (g) => {
            g.set("assets", { policy: g.get("assets-policy").inputs.policy });
            g.remove("assets-policy");
        },
        expect: null,
    },
    {
        rule: "a policy unknown during preview",
        mutate: (g) => g.set("assets-policy", { policy: UNKNOWN }),
        expect: /during preview: .*::assets \(string value at \.policy/,
    },
]);

describePolicy("sqs-queue-denies-insecure-transport", {}, [
    {
        rule: "a queue without a policy",
        mutate: (g) => g.remove("queues-orders-dlq-policy"),
        expect: /no attached policy denies/,
        at: "queues-orders-dlq",
    },
    {
        rule: "a deny of a single action",
        mutate: (g) =>
            g.set("queues-orders-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Deny",
                            Principal: "*",
                            Action: "sqs:SendMessage",
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            }),
        expect: /no attached policy denies/,
        at: "queues-orders",
    },
]);

describePolicy("efs-file-system-policy-enforces-tls", {}, [
    {
        rule: "a file system without a policy",
        mutate: (g) => g.remove("files-policy"),
        expect: /no attached policy denies/,
        at: "files",
    },
    {
        rule: "a condition on something else",
        mutate: (g) =>
            g.set("files-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Deny",
                            Principal: { AWS: "*" },
                            Action: "*",
                            Condition: { Bool: { "aws:ViaAWSService": "false" } },
                        },
                    ],
                }),
            }),
        expect: /no attached policy denies/,
    },
]);

describePolicy("rds-enforces-tls", {}, [
    {
        rule: "the default parameter group",
        mutate: (g) => g.set("data-cluster", { dbClusterParameterGroupName: "default.aurora-postgresql16" }),
        expect: /uses no parameter group of this stack/,
        at: "data-cluster",
    },
    {
        rule: "rds.force_ssl off",
        mutate: (g) => g.set("data-params", { parameters: [{ name: "rds.force_ssl", value: "0" }] }),
        expect: /does not set rds.force_ssl = 1/,
    },
    {
        rule: "a family that does not match the engine version (RDS rejects it)",
        mutate: (g) => g.set("data-params", { family: "aurora-postgresql15" }),
        expect: /family aurora-postgresql15, but engine aurora-postgresql 16.4 needs aurora-postgresql16/,
    },
    {
        rule: "a family that does not match a major-only engine version",
        mutate: (g) => g.set("data-cluster", { engineVersion: "17" }),
        expect: /family aurora-postgresql16, but engine aurora-postgresql 17 needs aurora-postgresql17/,
        at: "data-cluster",
    },
    {
        rule: "MySQL without require_secure_transport",
        mutate: (g) => {
            const params = g.add("aws:rds/clusterParameterGroup:ClusterParameterGroup", "mysql-params", {
                family: "aurora-mysql8.0",
                parameters: [],
            });
            g.add("aws:rds/cluster:Cluster", "mysql", {
                engine: "aurora-mysql",
                engineVersion: "8.0.mysql_aurora.3.05.2",
                dbClusterParameterGroupName: g.ref(params),
            });
        },
        expect: /does not set require_secure_transport = 1/,
        at: "mysql",
    },
]);

describePolicy("ecs-efs-volumes-encrypted-in-transit", {}, [
    {
        rule: "an EFS volume without transit encryption",
        mutate: (g) =>
            g.set("services-orders-task-def", {
                volumes: [
                    {
                        name: "media",
                        efsVolumeConfiguration: { fileSystemId: "fs-1", authorizationConfig: { iam: "ENABLED" } },
                    },
                ],
            }),
        expect: /EFS volume media is mounted without transit encryption/,
    },
    {
        rule: "an EFS volume without IAM authorization",
        mutate: (g) =>
            g.set("services-orders-task-def", {
                volumes: [
                    { name: "media", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED" } },
                ],
            }),
        expect: /without IAM authorization/,
    },
]);
