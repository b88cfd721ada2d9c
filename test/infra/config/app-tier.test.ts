import * as assert from "assert";
import { loadConfig } from "../../../infra/config";
import { amazonLinuxParameter } from "../../../infra/config/web";
import { KNOWN_REGIONS } from "../../../infra/config/regions";
import { ELB_LOG_DELIVERY_SERVICE, elbLogWriter } from "../../../infra/web/elb-log-delivery";
import { WebServers, WebServersArgs } from "../../../infra/web/web-servers";
import { expectConstructionError, expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith, Graph, planWith } from "../harness";

describe("web, cache and shared-files configuration", () => {
    describe("rejects bad values with the key, the value and the fix", () => {
        const cases: [string, "dev" | "prod", Record<string, unknown>, string, RegExp, RegExp?][] = [
            [
                "a maximum below the minimum",
                "dev",
                { "web.minSize": 3, "web.maxSize": 2 },
                "web.maxSize",
                /below web.minSize \(3\)/,
            ],
            [
                "a desired capacity outside the bounds",
                "dev",
                { "web.desiredCapacity": 5 },
                "web.desiredCapacity",
                /outside web.minSize..web.maxSize \(1..2\)/,
            ],
            [
                "a malformed instance type",
                "dev",
                { "web.instanceType": "large" },
                "web.instanceType",
                /not an EC2 instance type/,
                /m5\.large/,
            ],
            [
                "a malformed AMI id",
                "dev",
                { "web.amiId": "ubuntu" },
                "web.amiId",
                /not an AMI id/,
                /latest Amazon Linux 2023/,
            ],
            [
                "no AMI: the fleet runs a pinned image",
                "dev",
                { "web.amiId": undefined, "web.instanceType": "t4g.small" },
                "web.amiId",
                /is required/,
                /aws ssm get-parameter --region af-south-1 --name \/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-arm64/,
            ],
            [
                "a root volume smaller than the AMI",
                "dev",
                { "web.rootVolumeGiB": 4 },
                "web.rootVolumeGiB",
                /between 8 and 1024/,
            ],
            [
                "a TLS 1.3-only policy CloudFront cannot reach",
                "dev",
                { "web.tlsPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06" },
                "web.tlsPolicy",
                /not one of: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09/,
            ],
            [
                "a policy without TLS 1.3",
                "dev",
                { "web.tlsPolicy": "ELBSecurityPolicy-2016-08" },
                "web.tlsPolicy",
                /not one of/,
            ],
            [
                "a malformed prefix list id",
                "dev",
                { "web.cloudFrontPrefixListId": "cloudfront" },
                "web.cloudFrontPrefixListId",
                /not a prefix list id/,
            ],
            [
                "a CPU target out of range",
                "dev",
                { "web.cpuTargetPercent": 95 },
                "web.cpuTargetPercent",
                /between 10 and 90/,
            ],
            [
                "a misspelt web setting",
                "dev",
                { "web.minsize": 2 },
                "web.minsize",
                /not a known setting of web/,
                /minSize/,
            ],
            [
                "automatic failover on a single node",
                "dev",
                { "cache.automaticFailover": true },
                "cache.automaticFailover",
                /needs a replica to promote, but nodes is 1/,
                /cache\.nodes/,
            ],
            [
                "Multi-AZ without automatic failover",
                "dev",
                { "cache.multiAz": true, "cache.nodes": 2 },
                "cache.multiAz",
                /requires automaticFailover, which is off/,
            ],
            ["too many nodes", "dev", { "cache.nodes": 7 }, "cache.nodes", /between 1 and 6/],
            [
                "an unknown Valkey version",
                "dev",
                { "cache.engineVersion": "7.0" },
                "cache.engineVersion",
                /not one of: 7.2, 8.0, 8.1, 8.2/,
            ],
            [
                "a malformed node type",
                "dev",
                { "cache.nodeType": "m5.large" },
                "cache.nodeType",
                /not an ElastiCache node type/,
            ],
            [
                "a malformed snapshot window",
                "dev",
                { "cache.snapshotWindow": "10pm-11pm" },
                "cache.snapshotWindow",
                /hh24:mi-hh24:mi/,
                /22:00-23:00/,
            ],
            [
                "a maintenance window under an hour",
                "dev",
                { "cache.maintenanceWindow": "mon:00:30-mon:01:00" },
                "cache.maintenanceWindow",
                /lasts 30 minutes/,
            ],
            [
                "overlapping windows",
                "dev",
                { "cache.snapshotWindow": "00:00-01:00", "cache.maintenanceWindow": "mon:00:30-mon:01:30" },
                "cache.snapshotWindow",
                /overlaps the maintenance window mon:00:30-mon:01:30/,
            ],
            [
                "snapshot retention beyond 35 days",
                "dev",
                { "cache.snapshotRetentionDays": 40 },
                "cache.snapshotRetentionDays",
                /between 0 and 35/,
            ],
            [
                "an access point purpose that is not a name",
                "dev",
                { "storage.accessPoints": ["Product Media"] },
                "storage.accessPoints",
                /"Product Media" is not a purpose name/,
            ],
            [
                "a repeated access point",
                "dev",
                { "storage.accessPoints": ["product-media", "product-media"] },
                "storage.accessPoints",
                /product-media more than once/,
            ],
            ["no access point", "dev", { "storage.accessPoints": [] }, "storage.accessPoints", /at least 1 required/],
            [
                "an IA age EFS does not offer",
                "dev",
                { "storage.transitionToIaDays": 45 },
                "storage.transitionToIaDays",
                /not an age EFS lifecycle management offers/,
                /14, 30, 60/,
            ],
        ];
        for (const [what, stack, changes, key, problem, fix] of cases) {
            it(what, () => expectProblem(stack, changes, `shop:${key}`, problem, fix));
        }
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            { key: "web.minSize", value: 1, minimum: /at least 2 web servers/ },
            // A single node also needs failover off, or the topology check fires too.
            {
                key: "cache.nodes",
                value: 1,
                minimum: /at least 2 nodes/,
                alsoSet: { "cache.multiAz": false, "cache.automaticFailover": false },
                alsoOverride: ["cache.multiAz"],
            },
            { key: "cache.multiAz", value: false, minimum: /Multi-AZ with automatic failover/ },
            { key: "cache.snapshotRetentionDays", value: 3, minimum: /kept 7 days/ },
        ]);
    });

    it("runs the web servers on the pinned AMI, and names the latest Amazon Linux 2023 parameter of the instance type's architecture", () => {
        assert.strictEqual(
            amazonLinuxParameter("m5.large"),
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        );
        for (const graviton of ["t4g.small", "m7g.large", "c6gn.xlarge", "x2gd.large", "a1.medium"]) {
            assert.match(amazonLinuxParameter(graviton), /-arm64$/, graviton);
        }
        for (const x86 of ["g4dn.xlarge", "m6i.large", "c5n.large", "r7iz.large"])
            assert.match(amazonLinuxParameter(x86), /-x86_64$/, x86);
        assert.strictEqual(
            loadConfig(configWith("dev", { "web.amiId": "ami-0123456789abcdef0" })).web.imageId,
            "ami-0123456789abcdef0",
        );
    });

    it("uses a configured CloudFront prefix list instead of looking it up", async () => {
        const g = new Graph(
            await planWith(configWith("dev", { "web.cloudFrontPrefixListId": "pl-0123456789abcdef0" })),
        );
        const rule = g.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-alb-from-cloudfront");
        assert.strictEqual(rule.inputs.prefixListId, "pl-0123456789abcdef0");
    });
});

describe("ELB access-log delivery by region", () => {
    it("names ELB's regional account where the region predates August 2022, else the log delivery service", () => {
        assert.deepStrictEqual(elbLogWriter("af-south-1"), { AWS: "arn:aws:iam::098369216593:root" });
        assert.deepStrictEqual(elbLogWriter("eu-west-1"), { AWS: "arn:aws:iam::156460612806:root" });
        for (const newer of [
            "eu-central-2",
            "ap-south-2",
            "me-central-1",
            "il-central-1",
            "ca-west-1",
            "ap-southeast-4",
            "eu-south-2",
        ]) {
            assert.deepStrictEqual(elbLogWriter(newer), { Service: ELB_LOG_DELIVERY_SERVICE }, newer);
        }
        for (const region of KNOWN_REGIONS) assert.ok(elbLogWriter(region), region);
    });
});

describe("the WebServers component rejects contradictory arguments", () => {
    const base: WebServersArgs = {
        namePrefix: "shop-dev",
        accountId: "111111111111",
        region: "af-south-1",
        vpcId: "vpc-1",
        publicSubnetIds: ["subnet-p1", "subnet-p2"],
        privateSubnetIds: ["subnet-a", "subnet-b"],
        webSecurityGroupId: "sg-web",
        cloudFrontPrefixListId: "pl-0123456789abcdef0",
        certificateArn: "arn:aws:acm:af-south-1:111111111111:certificate/1",
        tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        originVerifySecret: "a".repeat(48),
        originDomainName: "origin.dev.shop.example.co.za",
        hostedZoneId: "Z0DEVZONE",
        deletionProtection: false,
        accessLogRetentionDays: 30,
        instanceType: "t3.small",
        imageId: "ami-0123456789abcdef0",
        rootVolumeGiB: 20,
        dataKeyArn: "arn:aws:kms:af-south-1:111111111111:key/1",
        minSize: 1,
        maxSize: 2,
        desiredCapacity: 1,
        healthCheckGracePeriodSeconds: 300,
        requestsPerTarget: 1000,
        cpuTargetPercent: 60,
        cacheSecurityGroupId: "sg-cache",
        cachePort: 6379,
        cacheSecretArn: "arn:aws:secretsmanager:af-south-1:111111111111:secret:x",
        instanceTags: {},
        sharedAccessLogPrefixes: ["services"],
    };
    const cases: [string, Partial<WebServersArgs>, RegExp][] = [
        [
            "a load balancer in one zone",
            { publicSubnetIds: ["subnet-p1"], privateSubnetIds: ["subnet-a"] },
            /public subnets in at least 2 zones, got 1/,
        ],
        [
            "servers in fewer zones than the load balancer",
            { privateSubnetIds: ["subnet-a"] },
            /one private subnet per zone/,
        ],
        ["a desired capacity above the maximum", { desiredCapacity: 3 }, /desiredCapacity 3 is outside 1..2/],
        [
            "an image that is not an AMI id (an SSM parameter would not be pinned, nor let a refresh roll back)",
            { imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
            /imageId must be an AMI id \(the fleet runs a pinned image\)/,
        ],
        [
            "a load balancer name over 32 characters",
            { namePrefix: "shop-a-long-stack-name-abcdef" },
            /load balancer name "shop-a-long-stack-name-abcdef-web" must be 1-32 letters/,
        ],
        [
            "another load balancer logging under the web prefix",
            { sharedAccessLogPrefixes: ["web"] },
            /access-log prefixes must be distinct, got web, web/,
        ],
        [
            "a log bucket name S3 refuses (upper case)",
            { namePrefix: "Shop-Dev" },
            /log bucket name "Shop-Dev-alb-logs-111111111111-af-south-1" is not a valid S3 bucket name/,
        ],
    ];
    for (const [what, change, message] of cases) {
        it(what, () => expectConstructionError(() => new WebServers("web", { ...base, ...change }), message));
    }
});
