import { describePolicy } from "./check";
import { UNKNOWN } from "./synthetic";

describePolicy("ec2-no-public-ip", {}, [
    {
        rule: "a launch template interface with a public IP",
        mutate: (g) =>
            g.set("web-template", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] }),
        expect: /network interface 0 associates a public IP/,
    },
    {
        rule: "an instance with a public IP",
        mutate: (g) => g.add("aws:ec2/instance:Instance", "bastion", { associatePublicIpAddress: true }),
        expect: /associatePublicIpAddress is true/,
        at: "bastion",
    },
    {
        rule: "a launch configuration with public IPs",
        mutate: (g) =>
            g.add("aws:ec2/launchConfiguration:LaunchConfiguration", "legacy-launch", {
                associatePublicIpAddress: true,
            }),
        expect: /associatePublicIpAddress is true/,
        at: "legacy-launch",
    },
    {
        rule: "a spot instance request with a public IP",
        mutate: (g) =>
            g.add("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "batch", { associatePublicIpAddress: true }),
        expect: /associatePublicIpAddress is true/,
        at: "batch",
    },
    {
        rule: "an Elastic IP attached to an instance",
        mutate: (g) => {
            g.add("aws:ec2/instance:Instance", "bastion", { rootBlockDevice: { encrypted: true } });
            g.add("aws:ec2/eip:Eip", "bastion-ip", { domain: "vpc", instance: g.ref("bastion") });
        },
        expect: /is attached to an instance or network interface/,
        at: "bastion-ip",
    },
    {
        rule: "an Elastic IP association with an instance",
        mutate: (g) => {
            g.add("aws:ec2/instance:Instance", "bastion", { rootBlockDevice: { encrypted: true } });
            g.add("aws:ec2/eipAssociation:EipAssociation", "bastion-ip", {
                allocationId: g.ref("network-nat-eip-af-south-1a"),
                instanceId: g.ref("bastion"),
            });
        },
        expect: /attaches an Elastic IP to an instance or network interface/,
        at: "bastion-ip",
    },
]);

describePolicy("ecs-service-no-public-ip", {}, [
    {
        rule: "a service assigning public IPs",
        mutate: (g) =>
            g.set("services-orders", { networkConfiguration: { subnets: ["subnet-1"], assignPublicIp: true } }),
        expect: /assignPublicIp is true/,
    },
]);

describePolicy("rds-not-publicly-accessible", {}, [
    {
        rule: "a publicly accessible cluster instance",
        mutate: (g) => g.set("data-instance-0", { publiclyAccessible: true }),
        expect: /publiclyAccessible is true/,
        at: "data-instance-0",
    },
    {
        rule: "a publicly accessible standalone instance",
        mutate: (g) => g.add("aws:rds/instance:Instance", "legacy-db", { publiclyAccessible: true }),
        expect: /publiclyAccessible is true/,
        at: "legacy-db",
    },
]);

describePolicy("subnet-no-auto-public-ip", {}, [
    {
        rule: "a subnet that maps public IPs",
        mutate: (g) => g.set("network-public-af-south-1a", { mapPublicIpOnLaunch: true }),
        expect: /mapPublicIpOnLaunch is true/,
    },
    {
        rule: "an adopted default subnet that maps public IPs",
        mutate: (g) =>
            g.add("aws:ec2/defaultSubnet:DefaultSubnet", "default-a", {
                availabilityZone: "af-south-1a",
                mapPublicIpOnLaunch: true,
            }),
        expect: /mapPublicIpOnLaunch is true/,
        at: "default-a",
    },
]);

describePolicy("vpc-default-security-group-closed", {}, [
    {
        rule: "a VPC whose default group is not adopted",
        mutate: (g) => g.remove("network-default-sg"),
        expect: /default security group is not adopted/,
        at: "network-vpc",
    },
    {
        rule: "an adopted default group with rules",
        mutate: (g) =>
            g.set("network-default-sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] }),
        expect: /default security group network-default-sg has rules/,
    },
    {
        rule: "the adopted default VPC without its default group adopted",
        mutate: (g) => g.add("aws:ec2/defaultVpc:DefaultVpc", "default-vpc", {}),
        expect: /default security group is not adopted/,
        at: "default-vpc",
    },
]);

describePolicy("security-group-no-internet-ingress", {}, [
    {
        rule: "SSH from the internet through a rule resource",
        mutate: (g) =>
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-ssh", {
                securityGroupId: g.ref("workloads-web"),
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv4: "0.0.0.0/0",
            }),
        expect: /admits 0.0.0.0\/0 on tcp 22 on security group workloads-web\./,
        at: "web-ssh",
    },
    {
        rule: "IPv6 internet ingress inline",
        mutate: (g) =>
            g.set("data-db-sg", {
                ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, ipv6CidrBlocks: ["::/0"] }],
            }),
        expect: /admits ::\/0 on tcp 5432/,
        at: "data-db-sg",
    },
    {
        rule: "a legacy SecurityGroupRule open to the internet",
        mutate: (g) =>
            g.add("aws:ec2/securityGroupRule:SecurityGroupRule", "cache-open", {
                type: "ingress",
                securityGroupId: g.ref("cache-sg"),
                protocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                cidrBlocks: ["0.0.0.0/0"],
            }),
        expect: /admits 0.0.0.0\/0 on tcp 6379/,
        at: "cache-open",
    },
    {
        rule: "the public load balancer's group on a port other than 80/443",
        mutate: (g) =>
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-8080", {
                securityGroupId: g.ref("web-alb-sg"),
                ipProtocol: "tcp",
                fromPort: 8080,
                toPort: 8080,
                cidrIpv4: "0.0.0.0/0",
            }),
        expect: /an internet-facing load balancer may open only tcp 80, 443/,
    },
    {
        rule: "443 on an internal load balancer's group",
        mutate: (g) =>
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "internal-443", {
                securityGroupId: g.ref("services-alb-sg"),
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            }),
        expect: /admits 0.0.0.0\/0 on tcp 443 on security group services-alb-sg\./,
    },
    {
        rule: "443 from the internet on the public load balancer's group",
        mutate: (g) =>
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-443-open", {
                securityGroupId: g.ref("web-alb-sg"),
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            }),
        expect: null,
    },
    {
        rule: "a rule unknown during preview",
        mutate: (g) => g.set("web-alb-https", { cidrIpv4: UNKNOWN }),
        expect: /during preview: 1 resource\(s\) could not be verified: urn:pulumi:prod::shop::aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule::web-alb-https \(string value at \.cidrIpv4/,
    },
    {
        rule: "HTTPS from the internet to an internet-facing classic load balancer's group",
        mutate: (g) => {
            g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { securityGroups: [g.ref("workloads-web")] });
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "legacy-https", {
                securityGroupId: g.ref("workloads-web"),
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            });
        },
        expect: null,
    },
]);

describePolicy("data-stores-in-isolated-subnets", {}, [
    {
        rule: "a DB subnet group on private subnets (routed to a NAT gateway)",
        mutate: (g) =>
            g.set("data-subnets", { subnetIds: ["a", "b", "c"].map((z) => g.ref(`network-private-af-south-1${z}`)) }),
        expect: /subnet group uses private subnet network-private-af-south-1a; allowed: isolated/,
        at: "data-subnets",
    },
    {
        rule: "private subnets when configured",
        mutate: (g) =>
            g.set("data-subnets", { subnetIds: ["a", "b", "c"].map((z) => g.ref(`network-private-af-south-1${z}`)) }),
        config: { allowedTiers: ["isolated", "private"] },
        expect: null,
    },
    {
        rule: "a mount target in a public subnet",
        mutate: (g) => g.set("files-mount-0", { subnetId: g.ref("network-public-af-south-1a") }),
        expect: /mount target uses public subnet network-public-af-south-1a/,
        at: "files-mount-0",
    },
    {
        rule: "subnet groups whose subnets route to the internet through a separate Route resource",
        mutate: (g) =>
            g.add("aws:ec2/route:Route", "isolated-leak", {
                routeTableId: g.ref("network-isolated"),
                destinationCidrBlock: "0.0.0.0/0",
                gatewayId: g.ref("network-igw"),
            }),
        expect: /subnet group uses public subnet network-isolated-af-south-1a/,
        at: "data-subnets",
    },
    {
        rule: "a subnet routed to an imported internet gateway (known only by its id)",
        mutate: (g) => g.set("network-isolated", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-imported" }] }),
        expect: /uses public subnet/,
    },
    {
        rule: "a replication group on the default subnet group",
        mutate: (g) => g.set("cache", { subnetGroupName: undefined }),
        expect: /has no subnetGroupName/,
        at: "cache",
    },
    {
        rule: "a cluster on the default subnet group",
        mutate: (g) => g.set("data-cluster", { dbSubnetGroupName: undefined }),
        expect: /has no dbSubnetGroupName/,
        at: "data-cluster",
    },
    {
        rule: "routes unknown during preview with no link to explain them",
        mutate: (g) => g.set("network-isolated", { routes: UNKNOWN }),
        expect: /during preview/,
    },
    {
        rule: "a standalone cache cluster without a subnet group",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "memcached" }),
        expect: /has no subnetGroupName/,
        at: "sessions",
    },
    {
        rule: "a cache cluster that is a member of the replication group",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "cache-extra", { replicationGroupId: g.ref("cache") }),
        expect: null,
    },
    {
        rule: "a serverless cache in the private subnets",
        mutate: (g) =>
            g.add("aws:elasticache/serverlessCache:ServerlessCache", "carts", {
                subnetIds: ["a", "b"].map((z) => g.ref(`network-private-af-south-1${z}`)),
            }),
        expect: /serverless cache uses private subnet network-private-af-south-1a/,
        at: "carts",
    },
    {
        rule: "a subnet group over the default subnets (the default VPC routes them to its internet gateway)",
        mutate: (g) => {
            const defaults = ["a", "b"].map((z) =>
                g.add("aws:ec2/defaultSubnet:DefaultSubnet", `default-${z}`, { availabilityZone: `af-south-1${z}` }),
            );
            g.set("data-subnets", { subnetIds: defaults.map((s) => g.ref(s)) });
        },
        expect: /subnet group uses public subnet default-a/,
    },
    {
        rule: "a subnet group of another stack's subnets, whose routes this one does not show",
        mutate: (g) => g.set("cache-subnets", { subnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"] }),
        expect: /subnet group uses subnets from outside this stack \(subnet-0aaa1111, subnet-0bbb2222\), whose routes it does not show/,
        at: "cache-subnets",
    },
]);

describePolicy("s3-bucket-public-access-blocked", {}, [
    {
        rule: "no public access block",
        mutate: (g) => g.remove("assets-pab"),
        expect: /has no public access block resource/,
        at: "assets",
    },
    {
        rule: "a setting left off",
        mutate: (g) => g.set("assets-pab", { restrictPublicBuckets: false }),
        expect: /leaves restrictPublicBuckets off/,
    },
    {
        rule: "a bucket without its own block, under the account's block",
        mutate: (g) => {
            g.remove("assets-pab");
            g.add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-block", {
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
        },
        expect: null,
    },
    {
        rule: "a bucket without its own block, under an account block that leaves a setting off",
        mutate: (g) => {
            g.remove("assets-pab");
            g.add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-block", {
                blockPublicAcls: true,
                ignorePublicAcls: true,
            });
        },
        expect: /has no public access block resource \(the account's leaves blockPublicPolicy, restrictPublicBuckets off\)/,
        at: "assets",
    },
]);

describePolicy("s3-bucket-acls-disabled", {}, [
    {
        rule: "ACLs enabled (BucketOwnerPreferred)",
        mutate: (g) => g.set("assets-ownership", { rule: { objectOwnership: "BucketOwnerPreferred" } }),
        expect: /object ownership is BucketOwnerPreferred; use BucketOwnerEnforced/,
        at: "assets",
    },
    {
        rule: "no ownership controls",
        mutate: (g) => g.remove("assets-ownership"),
        expect: /object ownership is not declared/,
    },
    {
        rule: "a public-read ACL",
        mutate: (g) => g.set("assets", { acl: "public-read" }),
        expect: /grants access through ACLs \(public-read\)/,
    },
    {
        rule: "a grant to everyone",
        mutate: (g) =>
            g.set("assets", {
                grants: [
                    { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] },
                ],
            }),
        expect: /grants access through ACLs \(http:\/\/acs.amazonaws.com\/groups\/global\/AllUsers\)/,
    },
    {
        rule: "the owner's own grant (always in the outputs)",
        mutate: (g) =>
            g.set("assets", { grants: [{ type: "CanonicalUser", id: "owner", permissions: ["FULL_CONTROL"] }] }),
        expect: null,
    },
    {
        rule: "ACLs on the CloudFront log bucket when the exception is off",
        mutate: () => undefined,
        config: { allowAclsForCloudFrontLogs: false },
        expect: /object ownership is BucketOwnerPreferred/,
        at: "edge-logs",
    },
    {
        rule: "an object written with a public canned ACL",
        mutate: (g) =>
            g.add("aws:s3/bucketObjectv2:BucketObjectv2", "banner", {
                bucket: g.ref("assets"),
                key: "banner.png",
                acl: "public-read",
            }),
        expect: /object banner is written with the canned ACL public-read/,
        at: "assets",
    },
    {
        rule: "an object written for the bucket owner",
        mutate: (g) =>
            g.add("aws:s3/bucketObject:BucketObject", "banner", {
                bucket: g.ref("assets"),
                key: "banner.png",
                acl: "bucket-owner-full-control",
            }),
        expect: null,
    },
]);

describePolicy("cloudfront-s3-origin-access-control", {}, [
    {
        rule: "an S3 origin without origin access control",
        mutate: (g) =>
            g.set("edge-distribution", {
                origins: [{ originId: "assets", domainName: "assets.s3.af-south-1.amazonaws.com" }],
            }),
        expect: /S3 origin assets has no originAccessControlId/,
    },
    {
        rule: "a legacy origin access identity",
        mutate: (g) =>
            g.set("edge-distribution", {
                origins: [
                    {
                        originId: "assets",
                        domainName: "assets.s3.amazonaws.com",
                        s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" },
                    },
                ],
            }),
        expect: /uses a legacy origin access identity/,
    },
    {
        rule: "a website endpoint origin",
        mutate: (g) =>
            g.set("edge-distribution", {
                origins: [
                    {
                        originId: "site",
                        domainName: "assets.s3-website.af-south-1.amazonaws.com",
                        customOriginConfig: { originProtocolPolicy: "http-only" },
                    },
                ],
            }),
        expect: /is an S3 website endpoint/,
    },
    {
        rule: "an origin access control that does not always sign",
        mutate: (g) => g.set("edge-oac", { signingBehavior: "no-override" }),
        expect: /signs no-override with sigv4/,
    },
    {
        rule: "origins unknown during preview",
        mutate: (g) => g.set("edge-distribution", { origins: UNKNOWN }),
        expect: /during preview/,
    },
]);

describePolicy("resource-policy-not-public", {}, [
    {
        rule: "a bucket policy that allows anyone",
        mutate: (g) =>
            g.set("assets-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Sid: "Public",
                            Effect: "Allow",
                            Principal: "*",
                            Action: "s3:GetObject",
                            Resource: "arn:aws:s3:::assets/*",
                        },
                    ],
                }),
            }),
        expect: /policy statement Public allows anyone without a restricting condition/,
        at: "assets-policy",
    },
    {
        rule: "a queue policy open to {AWS: *}",
        mutate: (g) =>
            g.set("queues-orders-policy", {
                policy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage" }],
                }),
            }),
        expect: /allows anyone/,
    },
    {
        rule: "an Allow to anyone narrowed by aws:SourceArn",
        mutate: (g) =>
            g.set("queues-orders-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: "*",
                            Action: "sqs:SendMessage",
                            Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:af-south-1:222222222222:t" } },
                        },
                    ],
                }),
            }),
        expect: null,
    },
    {
        rule: "a key policy open to anyone",
        mutate: (g) =>
            g.set("keys-data", {
                policy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }],
                }),
            }),
        expect: /allows anyone/,
        at: "keys-data",
    },
    {
        rule: "a role any principal may assume",
        mutate: (g) =>
            g.set("services-orders-task", {
                assumeRolePolicy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
                }),
            }),
        expect: /assumeRolePolicy statement sts:AssumeRole allows anyone/,
    },
    {
        rule: "a document that is not JSON",
        mutate: (g) => g.set("files-policy", { policy: "nope" }),
        expect: /policy is not valid JSON/,
    },
    {
        rule: "a CloudWatch Logs resource policy open to anyone",
        mutate: (g) =>
            g.add("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "logs-open", {
                policyName: "open",
                policyDocument: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: "*", Action: "logs:PutLogEvents", Resource: "*" }],
                }),
            }),
        expect: /policyDocument statement logs:PutLogEvents allows anyone/,
        at: "logs-open",
    },
    {
        rule: "a separate key policy open to anyone",
        mutate: (g) =>
            g.add("aws:kms/keyPolicy:KeyPolicy", "keys-data-policy", {
                keyId: g.ref("keys-data"),
                policy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }],
                }),
            }),
        expect: /policy statement kms:Decrypt allows anyone without a restricting condition/,
        at: "keys-data-policy",
    },
    {
        rule: "an access point policy open to anyone",
        mutate: (g) =>
            g.add("aws:s3/accessPoint:AccessPoint", "assets-ap", {
                bucket: g.ref("assets"),
                policy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" }],
                }),
            }),
        expect: /allows anyone without a restricting condition/,
        at: "assets-ap",
    },
    {
        rule: "an event bus policy limited to the organization",
        mutate: (g) =>
            g.add("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "bus-policy", {
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: "*",
                            Action: "events:PutEvents",
                            Resource: "*",
                            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
                        },
                    ],
                }),
            }),
        expect: null,
    },
]);

describePolicy("lambda-permission-not-public", {}, [
    {
        rule: "anyone may invoke",
        mutate: (g) =>
            g.set("async-thumbnailer-from-s3", { principal: "*", sourceArn: undefined, sourceAccount: undefined }),
        expect: /admits principal "\*"/,
    },
    {
        rule: "a service principal from any source",
        mutate: (g) => g.set("async-thumbnailer-from-s3", { sourceArn: undefined, sourceAccount: undefined }),
        expect: /admits s3.amazonaws.com for any source/,
    },
    {
        rule: "a service principal from any source when allowed",
        mutate: (g) => g.set("async-thumbnailer-from-s3", { sourceArn: undefined, sourceAccount: undefined }),
        config: { requireSourceForServicePrincipals: false },
        expect: null,
    },
    {
        rule: "a function URL without authorization",
        mutate: (g) =>
            g.add("aws:lambda/functionUrl:FunctionUrl", "processor-url", {
                functionName: g.ref("async-order-processor"),
                authorizationType: "NONE",
            }),
        expect: /authorizationType is NONE: anyone on the internet may invoke the function/,
        at: "processor-url",
    },
    {
        rule: "a function URL with IAM authorization",
        mutate: (g) =>
            g.add("aws:lambda/functionUrl:FunctionUrl", "processor-url", {
                functionName: g.ref("async-order-processor"),
                authorizationType: "AWS_IAM",
            }),
        expect: null,
    },
]);

describePolicy("lb-internal-unless-allowed", { config: { allowedPublicLoadBalancers: ["web-alb"] } }, [
    {
        rule: "a public load balancer not in the allow-list",
        mutate: () => undefined,
        config: { allowedPublicLoadBalancers: [] },
        expect: /is internet-facing and not in allowedPublicLoadBalancers \(none\)/,
        at: "web-alb",
    },
    {
        rule: "a load balancer left public by default",
        mutate: (g) => g.set("services-alb", { internal: undefined }),
        expect: /is internet-facing and not in allowedPublicLoadBalancers \(web-alb\)/,
        at: "services-alb",
    },
    {
        rule: "an internet-facing classic load balancer",
        mutate: (g) => g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { listeners: [] }),
        expect: /is internet-facing and not in allowedPublicLoadBalancers/,
        at: "legacy-elb",
    },
]);
