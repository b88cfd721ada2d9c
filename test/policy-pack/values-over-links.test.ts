import { PlanResource } from "../../infra/offline/graph";
import { checkCase, PolicyCase } from "./check";
import { SyntheticGraph } from "./synthetic";

/**
 * An input computed from several resources is linked to all of them (the engine records every
 * resource its value came from), whatever it holds: `pulumi.all(subnetIds).apply(ids =>
 * ids.slice(0, 1))` is linked to every subnet and holds one. Each policy that relates resources
 * judges the value and uses the links only to resolve what the value names. Each case below is
 * decided wrongly by links alone: a violation links would hide, or one they would invent.
 */
const zone = (layer: string, z: string) => `network-${layer}-af-south-1${z}`;
const all = (layer: string) => ["a", "b", "c"].map((z) => zone(layer, z));
/** The first of a tier's three subnets, computed from all three. */
const firstOf = (g: SyntheticGraph, layer: string) => g.computed(all(layer), ([first]) => [first.id]);
const idOf = (index: number) => (resources: PlanResource[]) => resources[index].id;
const arnOf = (index: number) => (resources: PlanResource[]) => resources[index].arn;

const CASES: [string, PolicyCase][] = [
    // Multi-AZ: the zones of the subnets the value holds.
    [
        "lb-multi-az",
        {
            rule: "a load balancer's subnets sliced to one",
            mutate: (g) => g.set("web-alb", { subnets: firstOf(g, "public") }),
            expect: /spans subnets in 1 zone\(s\) \(af-south-1a\)/,
            at: "web-alb",
        },
    ],
    [
        "lb-multi-az",
        {
            rule: "the same, where the resources' outputs carry an ARN but no id (its last segment names them)",
            mutate: (g) => {
                g.set("web-alb", { subnets: firstOf(g, "public") });
                for (const name of all("public")) g.get(name).id = null;
            },
            expect: /spans subnets in 1 zone\(s\) \(af-south-1a\)/,
            at: "web-alb",
        },
    ],
    [
        "autoscaling-group-multi-az",
        {
            rule: "an Auto Scaling group's subnets sliced to one",
            mutate: (g) => g.set("web-servers", { vpcZoneIdentifiers: firstOf(g, "private") }),
            expect: /spans subnets in 1 zone\(s\)/,
            at: "web-servers",
        },
    ],
    [
        "ecs-service-multi-az",
        {
            rule: "a service's subnets sliced to one",
            mutate: (g) =>
                g.set("services-orders", {
                    networkConfiguration: { subnets: firstOf(g, "private"), assignPublicIp: false },
                }),
            expect: /spans subnets in 1 zone\(s\)/,
        },
    ],
    [
        "lambda-vpc-multi-az",
        {
            rule: "a function's subnets sliced to one",
            mutate: (g) =>
                g.set("async-order-processor", {
                    vpcConfig: { subnetIds: firstOf(g, "private"), securityGroupIds: [] },
                }),
            expect: /spans subnets in 1 zone\(s\)/,
        },
    ],
    [
        "data-subnet-groups-multi-az",
        {
            rule: "a subnet group's subnets sliced to one",
            mutate: (g) => g.set("cache-subnets", { subnetIds: firstOf(g, "isolated") }),
            expect: /spans subnets in 1 zone\(s\)/,
            at: "cache-subnets",
        },
    ],
    [
        "efs-multi-az",
        {
            rule: "a mount target whose subnet, computed from every zone's, is the first zone's",
            mutate: (g) => g.set("files-mount-1", { subnetId: g.computed(all("isolated"), idOf(0)) }),
            config: { minimumZones: 3 },
            expect: /has mount targets in 2 zone\(s\) \(af-south-1a, af-south-1c\)/,
        },
    ],
    [
        "rds-multi-az",
        {
            rule: "a reader whose cluster identifier, computed from two clusters, names the other one",
            mutate: (g) => {
                g.add("aws:rds/cluster:Cluster", "reporting-cluster", { engine: "aurora-postgresql" });
                g.set("data-instance-1", {
                    clusterIdentifier: g.computed(["data-cluster", "reporting-cluster"], idOf(1)),
                });
            },
            expect: /has 1 instance\(s\)/,
            at: "data-cluster",
        },
    ],
    [
        "nat-gateway-per-az",
        {
            rule: "a route to a NAT gateway computed from every zone's, naming the first zone's",
            mutate: (g) =>
                g.set("network-private-routes-af-south-1b", {
                    routes: [
                        {
                            cidrBlock: "0.0.0.0/0",
                            natGatewayId: g.computed(
                                ["a", "b", "c"].map((z) => `network-nat-af-south-1${z}`),
                                idOf(0),
                            ),
                        },
                    ],
                }),
            expect: /private subnet in af-south-1b sends its egress to a NAT gateway in af-south-1a/,
        },
    ],
    // Private network: the subnets and groups the value names.
    [
        "data-stores-in-isolated-subnets",
        {
            rule: "a subnet group computed from isolated and private subnets that holds the private ones",
            mutate: (g) =>
                g.set("data-subnets", {
                    subnetIds: g.computed([...all("isolated"), ...all("private")], (rs) =>
                        rs.slice(3).map((r) => r.id),
                    ),
                }),
            expect: /subnet group uses private subnet network-private-af-south-1a/,
        },
    ],
    [
        "data-stores-in-isolated-subnets",
        {
            rule: "a subnet group computed from private and isolated subnets that holds the isolated ones",
            mutate: (g) =>
                g.set("data-subnets", {
                    subnetIds: g.computed([...all("private"), ...all("isolated")], (rs) =>
                        rs.slice(3).map((r) => r.id),
                    ),
                }),
            expect: null,
        },
    ],
    [
        "data-stores-in-isolated-subnets",
        {
            rule: "an isolated subnet associated with a table computed from the public and isolated ones, naming the isolated one",
            mutate: (g) =>
                g.set(`${zone("isolated", "a")}-rta`, {
                    routeTableId: g.computed(["network-public", "network-isolated"], idOf(1)),
                }),
            expect: null,
        },
    ],
    [
        "security-group-no-internet-ingress",
        {
            rule: "HTTPS from the internet on a group computed from the public load balancer's and the web servers', naming the web servers'",
            mutate: (g) =>
                g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-open", {
                    securityGroupId: g.computed(["web-alb-sg", "workloads-web"], idOf(1)),
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                }),
            expect: /admits 0.0.0.0\/0 on tcp 443 on security group workloads-web\./,
            at: "web-open",
        },
    ],
    [
        "vpc-default-security-group-closed",
        {
            rule: "a default security group whose VPC, computed from two, is the other one",
            mutate: (g) => {
                g.add("aws:ec2/vpc:Vpc", "legacy-vpc", { cidrBlock: "10.30.0.0/16" });
                g.set("network-default-sg", { vpcId: g.computed(["network-vpc", "legacy-vpc"], idOf(1)) });
            },
            expect: /default security group is not adopted/,
            at: "network-vpc",
        },
    ],
    [
        "s3-bucket-public-access-blocked",
        {
            rule: "a public access block whose bucket, computed from two, is the other one",
            mutate: (g) => g.set("assets-pab", { bucket: g.computed(["assets", "edge-logs"], idOf(1)) }),
            expect: /has no public access block resource/,
            at: "assets",
        },
    ],
    [
        "s3-bucket-acls-disabled",
        {
            rule: "ACLs kept on a bucket that a distribution's log bucket, computed from two, does not name",
            mutate: (g) => {
                g.set("assets-ownership", { rule: { objectOwnership: "BucketOwnerPreferred" } });
                const distribution = g.get("edge-distribution").inputs;
                g.set("edge-distribution", {
                    loggingConfig: {
                        ...(distribution.loggingConfig as object),
                        bucket: g.computed(["edge-logs", "assets"], ([logs]) => `${logs.id}.s3.amazonaws.com`),
                    },
                });
            },
            expect: /object ownership is BucketOwnerPreferred; use BucketOwnerEnforced/,
            at: "assets",
        },
    ],
    [
        "cloudfront-s3-origin-access-control",
        {
            rule: "an origin whose access control, computed from a weak and a strict one, is the strict one",
            mutate: (g) => {
                g.add("aws:cloudfront/originAccessControl:OriginAccessControl", "weak-oac", {
                    originAccessControlOriginType: "s3",
                    signingBehavior: "never",
                    signingProtocol: "sigv4",
                });
                const inputs = g.get("edge-distribution").inputs;
                const [assets, ...others] = inputs.origins as Record<string, unknown>[];
                g.set("edge-distribution", {
                    origins: [
                        {
                            ...assets,
                            domainName: g.ref("assets", (id: string) => `${id}.s3.af-south-1.amazonaws.com`),
                            originAccessControlId: g.computed(["weak-oac", "edge-oac"], idOf(1)),
                        },
                        ...others,
                    ],
                });
            },
            expect: null,
        },
    ],
    // Encryption at rest and in transit: the configuration and policy resources of each target.
    [
        "s3-bucket-encrypted-at-rest",
        {
            rule: "an encryption configuration whose bucket, computed from two, is the other one",
            mutate: (g) => g.set("assets-sse", { bucket: g.computed(["assets", "audit-trail"], idOf(1)) }),
            expect: /has no server-side encryption configuration resource/,
            at: "assets",
        },
    ],
    [
        "s3-bucket-encrypted-at-rest",
        {
            rule: "SSE-KMS on a bucket that a load balancer's log bucket, computed from two, does not name",
            mutate: (g) => {
                const accessLogs = g.get("web-alb").inputs.accessLogs as object;
                g.set("web-alb", {
                    accessLogs: { ...accessLogs, bucket: g.computed(["web-alb-logs", "assets"], idOf(0)) },
                });
            },
            expect: null,
        },
    ],
    [
        "s3-bucket-versioning",
        {
            rule: "versioning whose bucket, computed from two, is the other one",
            mutate: (g) => g.set("assets-versioning", { bucket: g.computed(["assets", "edge-logs"], idOf(1)) }),
            expect: /does not keep object versions/,
            at: "assets",
        },
    ],
    [
        "s3-bucket-denies-insecure-transport",
        {
            rule: "a bucket policy whose bucket, computed from two, is the other one",
            mutate: (g) => g.set("assets-policy", { bucket: g.computed(["assets", "audit-trail"], idOf(1)) }),
            expect: /no attached policy denies requests without TLS/,
            at: "assets",
        },
    ],
    [
        "sqs-queue-denies-insecure-transport",
        {
            rule: "a queue policy whose queue URL, computed from two queues, is the other one",
            mutate: (g) =>
                g.set("queues-orders-policy", {
                    queueUrl: g.computed(["queues-orders", "queues-orders-dlq"], idOf(1)),
                }),
            expect: /no attached policy denies requests without TLS/,
            at: "queues-orders",
        },
    ],
    [
        "sqs-queue-has-dead-letter-queue",
        {
            rule: "a redrive policy computed from two queues that names the one that is not a dead-letter queue",
            mutate: (g) => {
                g.add("aws:sqs/queue:Queue", "queues-audit", { messageRetentionSeconds: 1209600 });
                g.set("queues-orders", {
                    redrivePolicy: g.computed(["queues-orders-dlq", "queues-audit"], ([, audit]) =>
                        JSON.stringify({ deadLetterTargetArn: audit.arn, maxReceiveCount: 5 }),
                    ),
                });
            },
            expect: /has no dead-letter queue/,
            at: "queues-orders-dlq",
        },
    ],
    [
        "efs-file-system-policy-enforces-tls",
        {
            rule: "a file system policy whose file system, computed from two, is the other one",
            mutate: (g) => {
                g.add("aws:efs/fileSystem:FileSystem", "files-archive", { encrypted: true });
                g.set("files-policy", { fileSystemId: g.computed(["files", "files-archive"], idOf(1)) });
            },
            expect: /no attached policy denies requests without TLS/,
            at: "files",
        },
    ],
    [
        "efs-automatic-backups",
        {
            rule: "a backup policy whose file system, computed from two, is the other one",
            mutate: (g) => {
                g.add("aws:efs/fileSystem:FileSystem", "files-archive", { encrypted: true });
                g.set("files-backup", { fileSystemId: g.computed(["files", "files-archive"], idOf(1)) });
            },
            expect: /has no backup policy with status ENABLED/,
            at: "files",
        },
    ],
    [
        "lb-listener-encrypted-in-transit",
        {
            rule: "a plaintext listener whose load balancer, computed from the internal and the public one, is the public one",
            mutate: (g) =>
                g.add("aws:lb/listener:Listener", "web-plain", {
                    loadBalancerArn: g.computed(["services-alb", "web-alb"], arnOf(1)),
                    port: 8080,
                    protocol: "HTTP",
                    defaultActions: [{ type: "forward", targetGroupArn: g.arn("web-targets") }],
                }),
            config: { allowPlaintextToInternalLoadBalancers: true },
            expect: /HTTP listener does something other than redirect to HTTPS/,
            at: "web-plain",
        },
    ],
    [
        "rds-enforces-tls",
        {
            rule: "a cluster whose parameter group, computed from a lax and a TLS-only one, is the TLS-only one",
            mutate: (g) => {
                g.add("aws:rds/clusterParameterGroup:ClusterParameterGroup", "lax-params", {
                    family: "aurora-postgresql16",
                    parameters: [],
                });
                g.set("data-cluster", {
                    dbClusterParameterGroupName: g.computed(["lax-params", "data-params"], idOf(1)),
                });
            },
            expect: null,
        },
    ],
    [
        "kms-key-in-resource-region",
        {
            rule: "a us-east-1 log group whose key, computed from the region's and us-east-1's, is us-east-1's",
            mutate: (g) => g.set("edge-waf-logs", { kmsKeyId: g.computed(["keys-logs", "keys-edge-logs"], arnOf(1)) }),
            expect: null,
        },
    ],
    [
        "kms-key-in-resource-region",
        {
            rule: "a us-east-1 log group whose key, computed from us-east-1's and the region's, is the region's",
            mutate: (g) => g.set("edge-waf-logs", { kmsKeyId: g.computed(["keys-edge-logs", "keys-logs"], arnOf(1)) }),
            expect: /kmsKeyId uses KMS key keys-logs of af-south-1, but the resource is in us-east-1/,
            at: "edge-waf-logs",
        },
    ],
    // Logging and the edge: what the logging, association and delivery resources name.
    [
        "vpc-flow-logs-enabled",
        {
            rule: "a flow log whose VPC, computed from two, is the other one",
            mutate: (g) => {
                g.add("aws:ec2/vpc:Vpc", "legacy-vpc", { cidrBlock: "10.30.0.0/16" });
                g.set("network-flow-log", { vpcId: g.computed(["network-vpc", "legacy-vpc"], idOf(1)) });
            },
            expect: /has no flow log/,
            at: "network-vpc",
        },
    ],
    [
        "wafv2-web-acl-logging",
        {
            rule: "a logging configuration whose web ACL, computed from two, is the other one",
            mutate: (g) => g.set("edge-acl-logging", { resourceArn: g.computed(["edge-acl", "web-acl"], arnOf(1)) }),
            expect: /has no logging configuration/,
            at: "edge-acl",
        },
    ],
    [
        "waf-protects-public-endpoints",
        {
            rule: "a web ACL association whose load balancer, computed from the public and the internal one, is the internal one",
            mutate: (g) =>
                g.set("web-acl-association", { resourceArn: g.computed(["web-alb", "services-alb"], arnOf(1)) }),
            expect: /is internet-facing without a web ACL association/,
            at: "web-alb",
        },
    ],
    [
        "edge-resources-in-us-east-1",
        {
            rule: "WAF logs whose log group, computed from the region's and us-east-1's, is us-east-1's",
            mutate: (g) =>
                g.set("edge-acl-logging", {
                    logDestinationConfigs: [g.computed(["web-waf-logs", "edge-waf-logs"], arnOf(1))],
                }),
            expect: null,
        },
    ],
    [
        "ecr-repository-hygiene",
        {
            rule: "a lifecycle policy whose repository, computed from two, is the other one",
            mutate: (g) => {
                g.add("aws:ecr/repository:Repository", "services-legacy-repo", {
                    imageScanningConfiguration: { scanOnPush: true },
                    imageTagMutability: "IMMUTABLE",
                });
                g.set("services-orders-lifecycle", {
                    repository: g.computed(["services-orders-repo", "services-legacy-repo"], idOf(1)),
                });
            },
            expect: /has no lifecycle policy/,
            at: "services-orders-repo",
        },
    ],
];

describe("policies judge an input's value; its links only resolve what the value names", () => {
    for (const [policy, c] of CASES) {
        it(`${policy} ${c.expect ? "reports" : "accepts"}: ${c.rule}`, () => checkCase(policy, c));
    }
});
