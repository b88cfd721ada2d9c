import { cantRunDuringPreview, describePolicy } from "./check";
import { UNKNOWN } from "./synthetic";

const subnets = (layer: string, zones: string[]) => (g: { ref(name: string): unknown }) =>
    zones.map((z) => g.ref(`network-${layer}-af-south-1${z}`));

describePolicy("rds-multi-az", {}, [
    {
        rule: "a cluster with a single instance",
        mutate: (g) => g.remove("data-instance-1"),
        expect: /has 1 instance\(s\); at least 2 are required/,
        at: "data-cluster",
    },
    {
        rule: "instances pinned to the same zone",
        mutate: (g) => g.set("data-instance-1", { availabilityZone: "af-south-1a" }),
        expect: /pinned to 1 distinct zone\(s\) \(af-south-1a\)/,
    },
    {
        rule: "an instance whose zone RDS chooses",
        mutate: (g) => g.set("data-instance-1", { availabilityZone: undefined }),
        expect: /data-instance-1 let RDS choose/,
    },
    {
        rule: "an instance in a zone the subnet group does not cover (RDS rejects it)",
        mutate: (g) => g.set("data-subnets", { subnetIds: subnets("isolated", ["b", "c"])(g) }),
        expect: /data-instance-0 is pinned to af-south-1a, a zone the subnet group does not cover \(af-south-1b, af-south-1c\)/,
    },
    {
        rule: "a single instance when one is enough",
        mutate: (g) => g.remove("data-instance-1"),
        config: { minimumInstances: 1, minimumZones: 1 },
        expect: null,
    },
    {
        rule: "a standalone instance that is not Multi-AZ",
        mutate: (g) => g.add("aws:rds/instance:Instance", "legacy-db", { multiAz: false }),
        expect: /multiAz is not true/,
        at: "legacy-db",
    },
    {
        rule: "a zone unknown during preview",
        mutate: (g) => g.set("data-instance-1", { availabilityZone: UNKNOWN }),
        expect: /during preview/,
    },
]);

describePolicy("elasticache-multi-az", {}, [
    {
        rule: "a single node",
        mutate: (g) => g.set("cache", { numCacheClusters: 1 }),
        expect: /has 1 node\(s\) per shard; at least 2/,
    },
    {
        rule: "no automatic failover",
        mutate: (g) => g.set("cache", { automaticFailoverEnabled: false }),
        expect: /automaticFailoverEnabled is not true/,
    },
    {
        rule: "Multi-AZ off",
        mutate: (g) => g.set("cache", { multiAzEnabled: false }),
        expect: /multiAzEnabled is not true/,
    },
    {
        rule: "every node in one preferred zone",
        mutate: (g) => g.set("cache", { preferredCacheClusterAzs: ["af-south-1a", "af-south-1a"] }),
        expect: /put every node in af-south-1a/,
    },
    {
        rule: "cluster mode without replicas",
        mutate: (g) => g.set("cache", { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 0 }),
        expect: /has 1 node\(s\) per shard/,
    },
    {
        rule: "a standalone Redis cluster",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "redis", numCacheNodes: 1 }),
        expect: /is a standalone redis cluster: a single node with no replica/,
        at: "sessions",
    },
    {
        rule: "a Memcached cluster in one zone",
        mutate: (g) => g.add("aws:elasticache/cluster:Cluster", "sessions", { engine: "memcached", numCacheNodes: 3 }),
        expect: /azMode is single-az \(the default\)/,
    },
    {
        rule: "a Memcached cluster across zones",
        mutate: (g) =>
            g.add("aws:elasticache/cluster:Cluster", "sessions", {
                engine: "memcached",
                numCacheNodes: 2,
                azMode: "cross-az",
            }),
        expect: null,
    },
]);

describePolicy("efs-multi-az", {}, [
    {
        rule: "a One Zone file system",
        mutate: (g) => g.set("files", { availabilityZoneName: "af-south-1a" }),
        expect: /is a One Zone file system in af-south-1a/,
        at: "files",
    },
    {
        rule: "a regional file system as outputs show it (empty zone name)",
        mutate: (g) => g.set("files", { availabilityZoneName: "" }),
        expect: null,
    },
    {
        rule: "mount targets in one zone",
        mutate: (g) => {
            g.remove("files-mount-1");
            g.remove("files-mount-2");
        },
        expect: /has mount targets in 1 zone\(s\) \(af-south-1a\)/,
    },
    {
        rule: "two mount targets in a zone (EFS rejects it)",
        mutate: (g) => g.set("files-mount-1", { subnetId: g.ref("network-private-af-south-1a") }),
        expect: /has 2 mount targets in af-south-1a/,
    },
    {
        rule: "fewer zones than the production minimum",
        mutate: (g) => g.remove("files-mount-2"),
        config: { minimumZones: 3 },
        expect: /in 2 zone\(s\).*at least 3/,
    },
]);

describePolicy("autoscaling-group-multi-az", {}, [
    {
        rule: "subnets of one zone",
        mutate: (g) => g.set("web-servers", { vpcZoneIdentifiers: subnets("private", ["a"])(g) }),
        expect: /spans subnets in 1 zone\(s\) \(af-south-1a\)/,
        at: "web-servers",
    },
    {
        rule: "subnet ids from outside the stack",
        mutate: (g) => g.set("web-servers", { vpcZoneIdentifiers: ["subnet-0aaa", "subnet-0bbb"] }),
        expect: /spans subnets from outside this stack \(subnet-0aaa, subnet-0bbb\), whose zones it does not show/,
    },
    {
        rule: "a subnet whose zone AWS chooses",
        mutate: (g) => {
            g.set("network-private-af-south-1b", { availabilityZone: undefined });
            g.set("web-servers", { vpcZoneIdentifiers: subnets("private", ["a", "b"])(g) });
        },
        expect: /subnets without a fixed zone \(network-private-af-south-1b\)/,
    },
    {
        rule: "a minimum size of one",
        mutate: (g) => g.set("web-servers", { minSize: 1 }),
        expect: /minSize 1 is below 2/,
    },
    {
        rule: "two zones where production requires three",
        mutate: (g) => g.set("web-servers", { vpcZoneIdentifiers: subnets("private", ["a", "b"])(g) }),
        config: { minimumZones: 3 },
        expect: /at least 3 zones/,
    },
    {
        rule: "availability zones instead of subnets, one zone",
        mutate: (g) => g.set("web-servers", { vpcZoneIdentifiers: undefined, availabilityZones: ["af-south-1a"] }),
        expect: /spans subnets in 1 zone\(s\) \(af-south-1a\)/,
    },
    {
        rule: "availability zones instead of subnets, two zones",
        mutate: (g) =>
            g.set("web-servers", { vpcZoneIdentifiers: undefined, availabilityZones: ["af-south-1a", "af-south-1b"] }),
        expect: null,
    },
]);

describePolicy("lb-multi-az", {}, [
    {
        rule: "one zone",
        mutate: (g) => g.set("web-alb", { subnets: subnets("public", ["a"])(g) }),
        expect: /spans subnets in 1 zone/,
        at: "web-alb",
    },
    {
        rule: "subnet mappings across zones",
        mutate: (g) =>
            g.set("web-alb", {
                subnets: undefined,
                subnetMappings: subnets("public", ["a", "b"])(g).map((subnetId) => ({ subnetId })),
            }),
        expect: null,
    },
    {
        rule: "a classic load balancer in one zone's subnet",
        mutate: (g) =>
            g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { subnets: subnets("public", ["a"])(g) }),
        expect: /spans subnets in 1 zone\(s\) \(af-south-1a\)/,
        at: "legacy-elb",
    },
    {
        rule: "a classic load balancer across zones of the default VPC",
        mutate: (g) =>
            g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", {
                availabilityZones: ["af-south-1a", "af-south-1b"],
            }),
        expect: null,
    },
    {
        rule: "a load balancer over adopted default subnets of two zones",
        mutate: (g) => {
            const defaults = ["a", "b"].map((z) =>
                g.add("aws:ec2/defaultSubnet:DefaultSubnet", `default-${z}`, { availabilityZone: `af-south-1${z}` }),
            );
            g.set("web-alb", { subnets: defaults.map((s) => g.ref(s)) });
        },
        expect: null,
    },
]);

describePolicy("ecs-service-multi-az", {}, [
    {
        rule: "one zone",
        mutate: (g) =>
            g.set("services-orders", {
                networkConfiguration: { subnets: subnets("private", ["a"])(g), assignPublicIp: false },
            }),
        expect: /spans subnets in 1 zone/,
    },
    {
        rule: "a single task",
        mutate: (g) => g.set("services-orders", { desiredCount: 1 }),
        expect: /desiredCount 1 is below 2/,
    },
]);

describePolicy("lambda-vpc-multi-az", {}, [
    {
        rule: "one zone",
        mutate: (g) =>
            g.set("async-order-processor", {
                vpcConfig: { subnetIds: subnets("private", ["a"])(g), securityGroupIds: [] },
            }),
        expect: /spans subnets in 1 zone/,
    },
    {
        rule: "a function outside any VPC",
        mutate: (g) => g.set("async-order-processor", { vpcConfig: undefined }),
        expect: null,
    },
    {
        rule: "subnet ids unknown during preview: the subnets they came from span the zones, but the ids may hold fewer",
        mutate: (g) =>
            g.set("async-order-processor", {
                vpcConfig: {
                    subnetIds: ["a", "b", "c"].map((z) => g.ref(`network-private-af-south-1${z}`, UNKNOWN)),
                    securityGroupIds: [],
                },
            }),
        expect: cantRunDuringPreview(/the subnet ids of its vpcConfig are not known yet/),
    },
    {
        rule: "subnet ids unknown during preview, from the subnets of one zone: it cannot span more",
        mutate: (g) =>
            g.set("async-order-processor", {
                vpcConfig: { subnetIds: [g.ref("network-private-af-south-1a", UNKNOWN)], securityGroupIds: [] },
            }),
        expect: /spans no subnet of this stack; at least 2 zones/,
    },
]);

describePolicy("data-subnet-groups-multi-az", {}, [
    {
        rule: "a cache subnet group in one zone",
        mutate: (g) => g.set("cache-subnets", { subnetIds: subnets("isolated", ["c"])(g) }),
        expect: /spans subnets in 1 zone\(s\) \(af-south-1c\)/,
        at: "cache-subnets",
    },
    {
        rule: "a serverless cache's subnets in one zone",
        mutate: (g) =>
            g.add("aws:elasticache/serverlessCache:ServerlessCache", "carts", {
                subnetIds: subnets("isolated", ["b"])(g),
            }),
        expect: /spans subnets in 1 zone\(s\) \(af-south-1b\)/,
        at: "carts",
    },
]);

describePolicy("nat-gateway-per-az", {}, [
    {
        rule: "a zone's private subnet routed to another zone's NAT gateway",
        mutate: (g) =>
            g.set("network-private-routes-af-south-1b", {
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: g.ref("network-nat-af-south-1a") }],
            }),
        expect: /private subnet in af-south-1b sends its egress to a NAT gateway in af-south-1a/,
        at: "network-private-af-south-1b",
    },
    {
        rule: "a regional NAT gateway serving every zone",
        mutate: (g) => {
            g.set("network-nat-af-south-1a", { availabilityMode: "regional" });
            for (const z of ["b", "c"])
                g.set(`network-private-routes-af-south-1${z}`, {
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: g.ref("network-nat-af-south-1a") }],
                });
        },
        expect: null,
    },
    {
        rule: "a NAT route given by a separate Route resource",
        mutate: (g) => {
            g.set("network-private-routes-af-south-1c", { routes: undefined });
            g.add("aws:ec2/route:Route", "private-c-default", {
                routeTableId: g.ref("network-private-routes-af-south-1c"),
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: g.ref("network-nat-af-south-1b"),
            });
        },
        expect: /private subnet in af-south-1c sends its egress to a NAT gateway in af-south-1b/,
    },
]);
