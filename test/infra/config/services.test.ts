import * as assert from "assert";
import { HttpApi, HttpApiArgs } from "../../../infra/api/http-api";
import { loadConfig, ServicesConfig } from "../../../infra/config";
import { FARGATE_CPU_UNITS, fargateMemoryOptions, fargateSizeProblem } from "../../../infra/config/fargate";
import { EvaluationError } from "../../../infra/offline/evaluate";
import { PlanResource } from "../../../infra/offline/graph";
import { imageReference } from "../../../infra/services/container-definition";
import { SERVICE_NEEDS } from "../../../infra/services/contract";
import { InternalRouting, InternalRoutingArgs } from "../../../infra/services/internal-routing";
import { Microservices, MicroservicesArgs } from "../../../infra/services/microservices";
import { egressRules, EgressDestinations } from "../../../infra/services/network-rules";
import { SharedFiles } from "../../../infra/storage/shared-files";
import { SERVICES } from "../../../infra/workloads";
import { expectConstructionError, expectProblem, itEnforcesProductionMinimums } from "../expect";
import { configWith, Graph, planWith } from "../harness";

describe("services configuration", () => {
    describe("rejects bad values with the key, the value and the fix", () => {
        const cases: [string, Record<string, unknown>, string, RegExp, RegExp?][] = [
            [
                "a CPU/memory pair Fargate does not offer",
                { "services.orders.cpu": 256, "services.orders.memory": 4096 },
                "services.orders.memory",
                /4096 MiB is not a memory size Fargate offers with 256 CPU units \(512, 1024, 2048\)/,
                /services\.orders\.memory' 512/,
            ],
            [
                "memory between two of Fargate's steps",
                { "services.catalog.cpu": 1024, "services.catalog.memory": 2500 },
                "services.catalog.memory",
                /2500 MiB is not a memory size Fargate offers with 1024 CPU units \(2048 to 8192 in steps of 1024\)/,
            ],
            [
                "a CPU value that is no task size",
                { "services.users.cpu": 768 },
                "services.users.cpu",
                /is not a Fargate task size/,
                /256, 512, 1024, 2048, 4096, 8192, 16384/,
            ],
            [
                "a maximum below the minimum",
                { "services.payments.minTasks": 4, "services.payments.maxTasks": 2 },
                "services.payments.maxTasks",
                /is below services\.payments\.minTasks \(4\)/,
                /services\.payments\.maxTasks' 12/,
            ],
            [
                "a missing image tag",
                { "services.orders.imageTag": undefined },
                "services.orders.imageTag",
                /is required/,
                /tag the pipeline pushed to the orders repository.*pulumi config set --path 'services\.orders\.imageTag' 1\.4\.2/,
            ],
            [
                "a tag Docker does not accept",
                { "services.users.imageTag": "v1 final" },
                "services.users.imageTag",
                /is not an image tag/,
            ],
            [
                "a malformed digest",
                { "services.users.imageTag": "sha256:abc" },
                "services.users.imageTag",
                /is not an image tag .* or a digest sha256/,
            ],
            [
                "the latest tag",
                { "services.catalog.imageTag": "latest" },
                "services.catalog.imageTag",
                /names no version/,
                /version or commit/,
            ],
            [
                "an unknown architecture",
                { "services.cpuArchitecture": "arm64" },
                "services.cpuArchitecture",
                /is not one of: ARM64, X86_64/,
            ],
            [
                "an unknown service",
                { "services.search": { imageTag: "1.0.0" } },
                "services.search",
                /is not a known setting of services/,
                /catalog, orders, users, payments/,
            ],
            [
                "a misspelt service setting",
                { "services.orders.desiredCount": 3 },
                "services.orders.desiredCount",
                /is not a known setting of services\.orders/,
                /minTasks/,
            ],
            [
                "a burst above API Gateway's quota",
                { "services.apiBurstLimit": 6000 },
                "services.apiBurstLimit",
                /between 1 and 5000/,
            ],
            [
                "a TLS policy without TLS 1.3",
                { "services.tlsPolicy": "ELBSecurityPolicy-2016-08" },
                "services.tlsPolicy",
                /is not one of/,
            ],
            [
                "a CPU target out of range",
                { "services.orders.cpuTargetPercent": 95 },
                "services.orders.cpuTargetPercent",
                /between 10 and 90/,
            ],
        ];
        for (const [what, changes, key, problem, fix] of cases) {
            it(what, () => expectProblem("dev", changes, `shop:${key}`, problem, fix));
        }

        it("requires the services section", () =>
            expectProblem("dev", { services: undefined }, "shop:services", /is required/));
    });

    describe("production minimums", () => {
        itEnforcesProductionMinimums([
            { key: "services.orders.minTasks", value: 1, minimum: /at least 2 tasks, in different zones/ },
        ]);
    });

    it("defaults to small ARM64 tasks, and to 2 per service in production", () => {
        const raw = configWith(
            "prod",
            Object.fromEntries(
                SERVICES.flatMap((s) => [
                    [`services.${s}.cpu`, undefined],
                    [`services.${s}.memory`, undefined],
                    [`services.${s}.minTasks`, undefined],
                    [`services.${s}.maxTasks`, undefined],
                ]),
            ),
        );
        const services = loadConfig(raw).services;
        assert.strictEqual(services.cpuArchitecture, "ARM64");
        assert.strictEqual(services.bootstrap, false);
        for (const s of SERVICES) {
            assert.deepStrictEqual(
                [
                    services.settings[s].cpu,
                    services.settings[s].memory,
                    services.settings[s].minTasks,
                    services.settings[s].maxTasks,
                ],
                [512, 1024, 2, 6],
            );
        }
    });
});

describe("Fargate task sizes", () => {
    it("accepts every pair of AWS's table and nothing in between", () => {
        const expected: Record<number, [number, number, number]> = {
            512: [1024, 4096, 1024],
            1024: [2048, 8192, 1024],
            2048: [4096, 16384, 1024],
            4096: [8192, 30720, 1024],
            8192: [16384, 61440, 4096],
            16384: [32768, 122880, 8192],
        };
        assert.deepStrictEqual(fargateMemoryOptions(256), [512, 1024, 2048]);
        for (const [cpu, [min, max, step]] of Object.entries(expected)) {
            const options = fargateMemoryOptions(Number(cpu));
            assert.deepStrictEqual([options[0], options[options.length - 1]], [min, max], `${cpu}`);
            assert.ok(
                options.every((m, i) => i === 0 || m - options[i - 1] === step),
                `${cpu} steps by ${step}`,
            );
        }
        for (const cpu of FARGATE_CPU_UNITS)
            for (const memory of fargateMemoryOptions(cpu))
                assert.strictEqual(fargateSizeProblem(cpu, memory), undefined);
        for (const [cpu, memory] of [
            [256, 1536],
            [256, 4096],
            [512, 512],
            [1024, 1024],
            [1024, 9216],
            [4096, 31744],
            [8192, 18432],
            [16384, 16384],
            [3072, 6144],
        ]) {
            assert.ok(fargateSizeProblem(cpu, memory), `${cpu}/${memory} is not a Fargate size`);
        }
    });
});

describe("services variants the stack files do not use", () => {
    it("bootstraps a stack: every service exists with no task, and auto scaling starts them once bootstrap ends", async () => {
        const g = new Graph(await planWith(configWith("prod", { "services.bootstrap": true })));
        for (const s of SERVICES) {
            const service = g.one("aws:ecs/service:Service", `services-${s}-service`);
            assert.strictEqual(service.inputs.desiredCount, 0, s);
            assert.deepStrictEqual(service.ignoreChanges, ["desiredCount"]);
            const target = g
                .ofType("aws:appautoscaling/target:Target")
                .find((t) => g.sources(t, "resourceId").includes(service)) as PlanResource;
            assert.deepStrictEqual(
                [target.inputs.minCapacity, target.inputs.maxCapacity],
                [0, loadConfig(configWith("prod", {})).services.settings[s].maxTasks],
            );
        }
        // Everything else is built: the repositories to push to, the routing, the API.
        assert.strictEqual(g.ofType("aws:ecr/repository:Repository").length, SERVICES.length);
        assert.strictEqual(g.ofType("aws:apigatewayv2/route:Route").length > 0, true);
    });

    it("pins an image by digest and runs x86-64 tasks when configured", async () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const g = new Graph(
            await planWith(
                configWith("dev", { "services.orders.imageTag": digest, "services.cpuArchitecture": "X86_64" }),
            ),
        );
        const td = g.one("aws:ecs/taskDefinition:TaskDefinition", "services-orders-task");
        const [container] = JSON.parse(String(td.inputs.containerDefinitions));
        assert.strictEqual(container.image, `111111111111.dkr.ecr.af-south-1.amazonaws.com/shop-dev/orders@${digest}`);
        assert.deepStrictEqual(td.inputs.runtimePlatform, {
            operatingSystemFamily: "LINUX",
            cpuArchitecture: "X86_64",
        });
    });

    it("refers to tags with ':' and digests with '@'", () => {
        assert.strictEqual(imageReference("r.example/shop/orders", "1.4.2"), "r.example/shop/orders:1.4.2");
        assert.strictEqual(
            imageReference("r.example/shop/orders", `sha256:${"0".repeat(64)}`),
            `r.example/shop/orders@sha256:${"0".repeat(64)}`,
        );
    });
});

describe("service egress rules", () => {
    const to: EgressDestinations = {
        databaseSecurityGroupId: "sg-db",
        databasePort: 5432,
        cacheSecurityGroupId: "sg-cache",
        cachePort: 6379,
        fileSystemSecurityGroupId: "sg-efs",
        fileSystemPort: 2049,
        s3PrefixListId: "pl-s3",
        vpcCidr: "10.20.0.0/16",
    };
    const summary = (rules: ReturnType<typeof egressRules>) => rules.map((r) => `${r.id}:${r.port}`).sort();

    it("sends AWS APIs to the endpoints, S3 to its prefix list and the GuardDuty agent into the VPC when endpoints exist", () => {
        const withEndpoints = { ...to, endpointSecurityGroupId: "sg-vpce" };
        assert.deepStrictEqual(summary(egressRules(SERVICE_NEEDS.users, withEndpoints)), [
            "cache:6379",
            "database:5432",
            "endpoints:443",
            "guardduty:443",
            "s3:443",
        ]);
        assert.deepStrictEqual(summary(egressRules(SERVICE_NEEDS.catalog, withEndpoints)), [
            "cache:6379",
            "database:5432",
            "endpoints:443",
            "files:2049",
            "guardduty:443",
            "s3:443",
        ]);
        const payments = egressRules(SERVICE_NEEDS.payments, withEndpoints);
        assert.deepStrictEqual(summary(payments), [
            "cache:6379",
            "database:5432",
            "endpoints:443",
            "guardduty:443",
            "internet:443",
            "s3:443",
        ]);
        assert.match(payments.find((r) => r.id === "internet")?.description ?? "", /payment provider/);
    });

    it("opens HTTPS to the internet for every service without endpoints (ECR, Logs, Secrets Manager through NAT)", () => {
        for (const s of SERVICES) {
            const rules = egressRules(SERVICE_NEEDS[s], to);
            const internet = rules.find((r) => r.id === "internet");
            assert.deepStrictEqual(internet?.to, { cidrIpv4: "0.0.0.0/0" }, s);
            assert.match(internet?.description ?? "", /no interface endpoints/);
            assert.ok(!rules.some((r) => r.id === "endpoints" || r.id === "guardduty"), s);
        }
    });
});

describe("the services components", () => {
    const accountId = "111111111111";
    const routingArgs: InternalRoutingArgs = {
        namePrefix: "shop-dev",
        vpcId: "vpc-1",
        privateSubnetIds: ["subnet-a", "subnet-b"],
        serviceSecurityGroupIds: { catalog: "sg-c", orders: "sg-o", users: "sg-u", payments: "sg-p" },
        tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        serverName: "services.internal.dev.shop.example.co.za",
        hostedZoneId: "Z0DEVZONE",
        deletionProtection: false,
        accessLogBucketName: "shop-dev-alb-logs",
        accessLogsReady: [],
    };
    const settings = {
        cpu: 256,
        memory: 512,
        minTasks: 1,
        maxTasks: 2,
        imageTag: "1.0.0",
        cpuTargetPercent: 60,
        requestsPerTarget: 1000,
    };
    const servicesConfig: Pick<
        ServicesConfig,
        "cpuArchitecture" | "healthCheckGracePeriodSeconds" | "bootstrap" | "settings"
    > = {
        cpuArchitecture: "ARM64",
        healthCheckGracePeriodSeconds: 60,
        bootstrap: false,
        settings: { catalog: settings, orders: settings, users: settings, payments: settings },
    };
    /** The services with stand-in inputs, as the platform would pass them. */
    const buildServices = (change: Partial<MicroservicesArgs> = {}) => {
        const routing = new InternalRouting("routing", routingArgs);
        const files = new SharedFiles("files", {
            vpcId: "vpc-1",
            subnetIds: ["subnet-i1", "subnet-i2"],
            zones: ["af-south-1a", "af-south-1b"],
            clientSecurityGroups: { "svc-catalog": "sg-c" },
            accessPoints: ["product-media"],
            transitionToIaDays: 30,
            dataKeyArn: `arn:aws:kms:af-south-1:${accountId}:key/data`,
            deletionProtection: false,
        });
        return new Microservices("services", {
            ...servicesConfig,
            namePrefix: "shop-dev",
            accountId,
            region: "af-south-1",
            vpcCidr: "10.10.0.0/16",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            serviceSecurityGroupIds: routingArgs.serviceSecurityGroupIds,
            s3PrefixListId: "pl-s3",
            loadBalancerSecurityGroupId: routing.securityGroupId,
            loadBalancerArnSuffix: routing.loadBalancerArnSuffix,
            targets: routing.targets,
            databaseSecurityGroupId: "sg-db",
            databasePort: 5432,
            databaseWriterEndpoint: "db.example",
            databaseReaderEndpoint: "db-ro.example",
            databaseName: "shop",
            databaseResourceId: "cluster-ABC",
            cacheSecurityGroupId: "sg-cache",
            cachePort: 6379,
            cachePrimaryEndpoint: "master.cache.example",
            cacheReaderEndpoint: "replica.cache.example",
            cacheSecretArn: `arn:aws:secretsmanager:af-south-1:${accountId}:secret:shop-dev/cache/auth-abc123`,
            files,
            assetsBucketName: "shop-dev-assets",
            assetsBucketArn: "arn:aws:s3:::shop-dev-assets",
            assetsKeyArn: `arn:aws:kms:af-south-1:${accountId}:key/assets`,
            dataKeyArn: `arn:aws:kms:af-south-1:${accountId}:key/data`,
            logsKeyArn: `arn:aws:kms:af-south-1:${accountId}:key/logs`,
            logRetentionDays: 30,
            forceDeleteRepositories: true,
            siteUrl: "https://shop.example.co.za",
            userPoolId: "af-south-1_AbC123",
            userPoolArn: `arn:aws:cognito-idp:af-south-1:${accountId}:userpool/af-south-1_AbC123`,
            userPoolClientId: "client123",
            thumbnails: { widths: [200, 400], maxSourceBytes: 20 * 1024 * 1024 },
            ...change,
        });
    };

    it("lets the orders service send to the orders queue, encrypted with the messaging key, and tells it the queue's URL", async () => {
        const queue = {
            url: `https://sqs.af-south-1.amazonaws.com/${accountId}/shop-dev-orders.fifo`,
            arn: `arn:aws:sqs:af-south-1:${accountId}:shop-dev-orders.fifo`,
        };
        const messagingKeyArn = `arn:aws:kms:af-south-1:${accountId}:key/messaging`;
        const g = new Graph(
            await planWith(configWith("dev", {}), () => {
                buildServices({ ordersQueue: queue, messagingKeyArn });
                return {};
            }),
        );
        const taskStatements = (s: string) => {
            const td = g.one("aws:ecs/taskDefinition:TaskDefinition", `services-${s}-task`);
            const role = g.sources(td, "taskRoleArn")[0];
            const policy = g
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .find((p) => g.sources(p, "role").includes(role)) as PlanResource;
            return g.policy(policy).Statement;
        };
        const environment = (s: string) => {
            const [c] = JSON.parse(
                String(
                    g.one("aws:ecs/taskDefinition:TaskDefinition", `services-${s}-task`).inputs.containerDefinitions,
                ),
            );
            return Object.fromEntries(
                (c.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]),
            );
        };
        const orders = taskStatements("orders");
        assert.deepStrictEqual(orders.find((st) => st.Action === "sqs:SendMessage")?.Resource, queue.arn);
        const encrypt = orders.find(
            (st) => Array.isArray(st.Action) && st.Action.includes("kms:GenerateDataKey"),
        ) as Record<string, any>;
        assert.deepStrictEqual(
            [encrypt.Action, encrypt.Resource],
            [["kms:GenerateDataKey", "kms:Decrypt"], messagingKeyArn],
        );
        assert.deepStrictEqual(encrypt.Condition, {
            StringEquals: { "kms:ViaService": "sqs.af-south-1.amazonaws.com" },
        });
        assert.ok(
            !orders.some((st) =>
                [st.Action].flat().some((a: string) => a.startsWith("sqs:") && a !== "sqs:SendMessage"),
            ),
            "send only",
        );
        assert.strictEqual(environment("orders").ORDERS_QUEUE_URL, queue.url);
        for (const other of SERVICES.filter((s) => s !== "orders")) {
            assert.ok(
                !taskStatements(other).some((st) => [st.Action].flat().some((a: string) => a.startsWith("sqs:"))),
                `${other} may not send orders`,
            );
            assert.strictEqual(environment(other).ORDERS_QUEUE_URL, undefined, other);
        }
    });

    const servicesCases: [string, Partial<MicroservicesArgs>, RegExp][] = [
        [
            "an orders queue without the key it is encrypted with",
            { ordersQueue: { url: "https://sqs.example/q", arn: "arn:aws:sqs:af-south-1:111111111111:q" } },
            /ordersQueue needs messagingKeyArn/,
        ],
        [
            "a CPU/memory pair Fargate refuses",
            { settings: { ...servicesConfig.settings, users: { ...settings, memory: 4096 } } },
            /users: 4096 MiB is not a memory size Fargate offers with 256 CPU units/,
        ],
        [
            "a minimum above the maximum",
            { settings: { ...servicesConfig.settings, orders: { ...settings, minTasks: 3 } } },
            /orders: needs 1 <= minTasks <= maxTasks, got 3\.\.2/,
        ],
        ["tasks in a single zone", { privateSubnetIds: ["subnet-a"] }, /at least 2 zones/],
        [
            "a repository name ECR refuses",
            { namePrefix: "Shop-Dev" },
            /repository name "Shop-Dev\/catalog" is not a valid ECR name/,
        ],
    ];
    for (const [what, change, message] of servicesCases) {
        it(`Microservices rejects ${what} before creating any of its resources`, async () => {
            const failure = await planWith(configWith("dev", {}), () => {
                buildServices(change);
                return {};
            }).then(
                () => assert.fail("expected the constructor to throw"),
                (err: unknown) => err,
            );
            assert.ok(failure instanceof EvaluationError, String(failure));
            assert.match(failure.message, message);
            // Its inputs (routing, files) exist; nothing of its own does.
            assert.ok(
                !failure.graph.resources.some((r) => r.custom && r.name.startsWith("services-")),
                "a service resource was registered before the check",
            );
        });
    }

    const routingCases: [string, Partial<InternalRoutingArgs>, RegExp, string?][] = [
        [
            "a load balancer name over 32 characters",
            { namePrefix: "shop-a-very-long-stack-name" },
            /load balancer name "shop-a-very-long-stack-name-services" must be 1-32/,
        ],
        [
            "a load balancer in one zone",
            { privateSubnetIds: ["subnet-a"] },
            /private subnets in at least 2 zones, got 1/,
        ],
        [
            "target group names over 32 characters",
            {},
            /target group names would reach 33 characters; AWS allows 32/,
            "services-routing",
        ],
    ];
    for (const [what, change, message, name = "routing"] of routingCases) {
        it(`InternalRouting rejects ${what}`, () =>
            expectConstructionError(() => new InternalRouting(name, { ...routingArgs, ...change }), message));
    }

    const apiArgs: HttpApiArgs = {
        namePrefix: "shop-dev",
        vpcId: "vpc-1",
        privateSubnetIds: ["subnet-a", "subnet-b"],
        listenerArn: "arn:aws:elasticloadbalancing:af-south-1:111111111111:listener/app/x/1/2",
        loadBalancerSecurityGroupId: "sg-alb",
        loadBalancerServerName: "services.internal.dev.shop.example.co.za",
        issuerUrl: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_AbC123",
        audience: "client",
        domainName: "api.dev.shop.example.co.za",
        hostedZoneId: "Z0DEVZONE",
        apiRateLimit: 50,
        apiBurstLimit: 100,
        logRetentionDays: 30,
        logsKeyArn: "arn:aws:kms:af-south-1:111111111111:key/logs",
    };
    const apiCases: [string, Partial<HttpApiArgs>, RegExp][] = [
        [
            "an issuer with a trailing slash (API Gateway would not find its discovery document)",
            { issuerUrl: "https://cognito-idp.af-south-1.amazonaws.com/af-south-1_AbC123/" },
            /is not a Cognito issuer/,
        ],
        [
            "an issuer without https",
            { issuerUrl: "http://cognito-idp.af-south-1.amazonaws.com/af-south-1_AbC123" },
            /is not a Cognito issuer/,
        ],
        [
            "an issuer whose pool is in another region",
            { issuerUrl: "https://cognito-idp.af-south-1.amazonaws.com/eu-west-1_AbC123" },
            /is not a Cognito issuer/,
        ],
        ["a VPC link in one zone", { privateSubnetIds: ["subnet-a"] }, /at least 2 zones, got 1/],
    ];
    for (const [what, change, message] of apiCases) {
        it(`HttpApi rejects ${what}`, () =>
            expectConstructionError(() => new HttpApi("api", { ...apiArgs, ...change }), message));
    }

    it("HttpApi accepts the issuer a user pool reports", async () => {
        const plan = await planWith(configWith("dev", {}), () => ({ id: new HttpApi("api", apiArgs).apiId }));
        assert.match(String(plan.outputs.id), /^[0-9a-f]{10}$/);
    });
});
