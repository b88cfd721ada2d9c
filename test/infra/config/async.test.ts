import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Functions, FunctionsArgs } from "../../../infra/async/functions";
import { functionPolicy } from "../../../infra/async/permissions";
import { Queues, QueuesArgs } from "../../../infra/async/queues";
import { loadConfig } from "../../../infra/config";
import { FUNCTION_NAMES, QUEUE_NAMES } from "../../../infra/config/async";
import { expectConstructionError, expectProblem } from "../expect";
import { configWith } from "../harness";

describe("asynchronous processing: configuration", () => {
    describe("rejects bad values with the key, the value and the fix", () => {
        const cases: [string, "dev" | "prod", Record<string, unknown>, string, RegExp, RegExp?][] = [
            [
                "a visibility timeout under six function timeouts",
                "dev",
                { "async.queues.orders.visibilityTimeoutSeconds": 120 },
                "async.queues.orders.visibilityTimeoutSeconds",
                /below 6 x async\.functions\.orderProcessor\.timeoutSeconds \(30\) \+ the batching window \(0\) = 180/,
                /raise it to 180 or more/,
            ],
            [
                "a visibility timeout that forgets the batching window",
                "dev",
                { "async.queues.cartEvents.visibilityTimeoutSeconds": 180 },
                "async.queues.cartEvents.visibilityTimeoutSeconds",
                /\+ the batching window \(20\) = 200/,
            ],
            [
                "a longer consumer timeout without a longer visibility",
                "dev",
                {
                    "async.functions.thumbnailer.timeoutSeconds": 120,
                    "async.queues.images.visibilityTimeoutSeconds": 360,
                },
                "async.queues.images.visibilityTimeoutSeconds",
                /= 720/,
            ],
            [
                "a visibility timeout beyond 12 hours",
                "dev",
                { "async.queues.orders.visibilityTimeoutSeconds": 50000 },
                "async.queues.orders.visibilityTimeoutSeconds",
                /between 0 and 43200/,
            ],
            [
                "a batch over 10 without a batching window",
                "dev",
                { "async.queues.notifications.batchSize": 50 },
                "async.queues.notifications.batchingWindowSeconds",
                /at least 1 with a batch size over 10 \(batchSize is 50\)/,
            ],
            [
                "a batching window over 5 minutes",
                "dev",
                { "async.queues.orders.batchingWindowSeconds": 301 },
                "async.queues.orders.batchingWindowSeconds",
                /between 0 and 300/,
            ],
            [
                "a mapping concurrency of 1",
                "dev",
                { "async.queues.orders.maximumConcurrency": 1 },
                "async.queues.orders.maximumConcurrency",
                /between 2 and 1000/,
            ],
            [
                "a mapping concurrency over 1000",
                "dev",
                { "async.queues.orders.maximumConcurrency": 1001 },
                "async.queues.orders.maximumConcurrency",
                /between 2 and 1000/,
            ],
            [
                "a mapping concurrency above the consumer's reservation",
                "prod",
                { "async.queues.orders.maximumConcurrency": 30 },
                "async.queues.orders.maximumConcurrency",
                /exceeds async\.functions\.orderProcessor\.reservedConcurrency \(20\)/,
            ],
            [
                "reservations that leave under 100 unreserved",
                "prod",
                { "async.accountConcurrencyLimit": 150 },
                "async.accountConcurrencyLimit",
                /leaves 52 unreserved after the functions reserve 98; Lambda requires at least 100/,
                /Service Quotas/,
            ],
            [
                "a reservation of 0, which would stop the function",
                "dev",
                { "async.functions.notifier.reservedConcurrency": 0 },
                "async.functions.notifier.reservedConcurrency",
                /between 1 and 10000/,
                /remove the key to reserve none/,
            ],
            [
                "an intake timeout the HTTP API cannot wait for",
                "dev",
                { "async.functions.orderIntake.timeoutSeconds": 30 },
                "async.functions.orderIntake.timeoutSeconds",
                /between 1 and 29/,
                /waits at most 30 s/,
            ],
            [
                "a timeout over 15 minutes",
                "dev",
                { "async.functions.dlqRedrive.timeoutSeconds": 901 },
                "async.functions.dlqRedrive.timeoutSeconds",
                /between 1 and 900/,
            ],
            [
                "memory under Lambda's minimum",
                "dev",
                { "async.functions.notifier.memoryMb": 64 },
                "async.functions.notifier.memoryMb",
                /between 128 and 10240/,
            ],
            [
                "a receive count of 0",
                "dev",
                { "async.maxReceiveCount": 0 },
                "async.maxReceiveCount",
                /between 1 and 1000/,
            ],
            [
                "a source retention the DLQ cannot outlast",
                "dev",
                { "async.queueRetentionDays": 14 },
                "async.queueRetentionDays",
                /between 1 and 10/,
                /keep a message 14 days from its first enqueue/,
            ],
            [
                "an unknown function",
                "dev",
                { "async.functions.orderProcesor": { memoryMb: 512 } },
                "async.functions.orderProcesor",
                /not a known setting of async\.functions/,
                /orderProcessor/,
            ],
            [
                "an unknown queue",
                "dev",
                { "async.queues.order": { batchSize: 5 } },
                "async.queues.order",
                /not a known setting of async\.queues/,
                /cartEvents/,
            ],
            [
                "an unknown function setting",
                "dev",
                { "async.functions.notifier.memory": 512 },
                "async.functions.notifier.memory",
                /not a known setting/,
                /memoryMb/,
            ],
            [
                "a schedule that is not an expression",
                "dev",
                { "async.cartSweep.schedule": "every 15 minutes" },
                "async.cartSweep.schedule",
                /not a Scheduler rate or cron expression/,
            ],
            [
                "a plural unit for one",
                "dev",
                { "async.cartSweep.schedule": "rate(1 minutes)" },
                "async.cartSweep.schedule",
                /not a Scheduler rate/,
                /singular for 1/,
            ],
            [
                "a singular unit for several",
                "dev",
                { "async.cartSweep.schedule": "rate(5 minute)" },
                "async.cartSweep.schedule",
                /not a Scheduler rate/,
            ],
            [
                "a five-field cron",
                "dev",
                { "async.cartSweep.schedule": "cron(0/15 * * * *)" },
                "async.cartSweep.schedule",
                /not a Scheduler rate or cron/,
            ],
            [
                "a flexible window over a day",
                "dev",
                { "async.cartSweep.flexibleWindowMinutes": 1441 },
                "async.cartSweep.flexibleWindowMinutes",
                /between 0 and 1440/,
            ],
            [
                "too many scheduler retries",
                "dev",
                { "async.cartSweep.retryAttempts": 186 },
                "async.cartSweep.retryAttempts",
                /between 0 and 185/,
            ],
            [
                "an event age under a minute",
                "dev",
                { "async.cartSweep.maximumEventAgeSeconds": 30 },
                "async.cartSweep.maximumEventAgeSeconds",
                /between 60 and 86400/,
            ],
            [
                "a time zone that is not one",
                "dev",
                { "async.cartSweep.timezone": "SAST" },
                "async.cartSweep.timezone",
                /not an IANA time zone/,
            ],
            [
                "a cart age no idle cart can reach",
                "dev",
                { "async.cartSweep.idleMinutes": 180, "async.cartSweep.maxAgeHours": 2 },
                "async.cartSweep.maxAgeHours",
                /must be longer than idleMinutes \(180 minutes\)/,
            ],
            [
                "a sender that is not an address",
                "dev",
                { "async.notifications.senderEmail": "shop" },
                "async.notifications.senderEmail",
                /not an e-mail address/,
            ],
            [
                "an identity that does not cover the sender",
                "dev",
                {
                    "async.notifications.senderEmail": "hi@other.example.com",
                    "async.notifications.senderIdentity": "dev.shop.example.co.za",
                },
                "async.notifications.senderIdentity",
                /does not cover the sender hi@other\.example\.com/,
            ],
            [
                "an SMS sender id SNS refuses",
                "dev",
                { "async.notifications.smsSenderId": "123456" },
                "async.notifications.smsSenderId",
                /not an SMS sender id/,
            ],
            [
                "a configuration set name SES refuses",
                "dev",
                { "async.notifications.configurationSet": "my set" },
                "async.notifications.configurationSet",
                /not an SES configuration set name/,
            ],
            [
                "thumbnail widths out of range",
                "dev",
                { "async.thumbnails.widths": [8, 400] },
                "async.thumbnails.widths",
                /1-5 distinct widths in pixels, each 16-2048/,
            ],
            [
                "repeated thumbnail widths",
                "dev",
                { "async.thumbnails.widths": [200, 200] },
                "async.thumbnails.widths",
                /distinct/,
            ],
            [
                "a source limit over 200 MiB",
                "dev",
                { "async.thumbnails.maxSourceMiB": 500 },
                "async.thumbnails.maxSourceMiB",
                /between 1 and 200/,
            ],
        ];
        for (const [what, stack, changes, key, problem, fix] of cases) {
            it(what, () => expectProblem(stack, changes, `shop:${key}`, problem, fix));
        }
    });

    it("derives each visibility timeout from its consumer's timeout and window when not set", () => {
        const { queues, functions } = loadConfig(
            configWith("dev", { "async.functions.thumbnailer.timeoutSeconds": 90 }),
        ).async;
        assert.deepStrictEqual(Object.fromEntries(QUEUE_NAMES.map((q) => [q, queues[q].visibilityTimeoutSeconds])), {
            orders: 6 * functions["order-processor"].timeoutSeconds,
            notifications: 180,
            images: 540,
            "cart-events": 6 * 30 + 20,
        });
    });

    it("reserves concurrency in prod by default and none in dev", () => {
        const prod = loadConfig(configWith("prod", {})).async.functions;
        const dev = loadConfig(configWith("dev", {})).async.functions;
        for (const fn of FUNCTION_NAMES) {
            assert.ok((prod[fn].reservedConcurrency ?? 0) >= 1, fn);
            assert.strictEqual(dev[fn].reservedConcurrency, undefined, fn);
        }
    });

    it("sends from no-reply@<domain> as the domain's SES identity unless told otherwise", () => {
        const { notifications } = loadConfig(configWith("dev", { "async.notifications": undefined })).async;
        assert.deepStrictEqual(
            [notifications.senderEmail, notifications.senderIdentity, notifications.storeUrl],
            ["no-reply@dev.shop.example.co.za", "dev.shop.example.co.za", "https://dev.shop.example.co.za"],
        );
    });
});

describe("asynchronous processing: component guards", () => {
    const queuesArgs = (overrides: Partial<QueuesArgs> = {}): QueuesArgs => ({
        namePrefix: "shop-dev",
        region: "af-south-1",
        accountId: "111111111111",
        maxReceiveCount: 3,
        messageRetentionSeconds: 4 * 86400,
        queues: Object.fromEntries(
            QUEUE_NAMES.map((q) => [q, { visibilityTimeoutSeconds: 180 }]),
        ) as QueuesArgs["queues"],
        messagingKeyArn: "arn:aws:kms:af-south-1:111111111111:key/k",
        ...overrides,
    });

    it("refuses a name prefix that makes SQS names too long", () =>
        expectConstructionError(
            () => new Queues("q", queuesArgs({ namePrefix: "x".repeat(70) })),
            /SQS allows letters, digits, hyphens and underscores, at most 80/,
        ));
    it("refuses a source retention longer than the DLQ's", () =>
        expectConstructionError(
            () => new Queues("q", queuesArgs({ messageRetentionSeconds: 15 * 86400 })),
            /never keeps messages longer than its DLQ/,
        ));

    const functionsArgs = (overrides: Partial<FunctionsArgs> = {}): FunctionsArgs => {
        const config = loadConfig(configWith("dev", {}));
        const ref = (name: string) => ({
            name: pulumi.output(name),
            url: pulumi.output(`https://sqs/${name}`),
            arn: pulumi.output(`arn:aws:sqs:af-south-1:1:${name}`),
        });
        return {
            ...config.async,
            namePrefix: "shop-dev",
            accountId: "111111111111",
            region: "af-south-1",
            deliveryQueues: Object.fromEntries(
                QUEUE_NAMES.map((q) => [q, { ...ref(q), deadLetter: ref(`${q}-dlq`) }]),
            ) as FunctionsArgs["deliveryQueues"],
            messagingKeyArn: "k",
            dataKeyArn: "k",
            logsKeyArn: "k",
            logRetentionDays: 30,
            secretRecoveryWindowDays: 7,
            privateSubnetIds: ["a", "b"],
            functionSecurityGroupIds: { "order-processor": "sg", "cart-abandonment": "sg", "db-migrate": "sg" },
            databaseSecurityGroupId: "sg",
            databasePort: 5432,
            databaseHost: "h",
            databaseName: "shop",
            databaseSecretArn: "s",
            databaseResourceId: "cluster-ABC",
            migrationsAfter: [],
            assetsBucketName: "b",
            assetsBucketArn: "arn:aws:s3:::b",
            assetsKeyArn: "k",
            uploadsPrefix: "uploads/",
            alertTopicArn: "t",
            httpApiId: "a",
            httpApiExecutionArn: "e",
            httpApiAuthorizerId: "z",
            ...overrides,
        };
    };

    it("refuses a name prefix that makes function names longer than Lambda allows", () =>
        expectConstructionError(
            () =>
                new Functions(
                    "f",
                    functionsArgs({ namePrefix: "shop-a-very-long-stack-name-for-a-preview-environment" }),
                ),
            /at most 64/,
        ));
    it("refuses an uploads prefix that would take in the thumbnails", () =>
        expectConstructionError(
            () => new Functions("f", functionsArgs({ uploadsPrefix: "" })),
            /thumbnails would trigger the thumbnailer/,
        ));
    it("refuses VPC functions in a single zone", () =>
        expectConstructionError(
            () => new Functions("f", functionsArgs({ privateSubnetIds: ["a"] })),
            /at least 2 zones/,
        ));
    it("refuses a queue whose visibility timeout is shorter than its consumer's timeout (Lambda rejects the mapping)", () => {
        const args = functionsArgs();
        return expectConstructionError(
            () =>
                new Functions("f", {
                    ...args,
                    queues: { ...args.queues, orders: { ...args.queues.orders, visibilityTimeoutSeconds: 10 } },
                }),
            /orders: the queue's visibility timeout \(10s\) is shorter than order-processor's timeout/,
        );
    });
});

describe("asynchronous processing: role policies", () => {
    const base = { region: "af-south-1", logGroupArn: "arn:aws:logs:af-south-1:1:log-group:/aws/lambda/f" };

    it("needs the messaging key with any queue or topic", () => {
        assert.throws(
            () => functionPolicy({ ...base, sendsTo: ["arn:aws:sqs:af-south-1:1:q"] }),
            /messagingKeyArn is required/,
        );
    });

    it("never combines SMS (which denies topics) with a topic destination", () => {
        assert.throws(
            () =>
                functionPolicy({
                    ...base,
                    sendsSms: true,
                    publishesTo: ["arn:aws:sns:af-south-1:1:t"],
                    messagingKeyArn: "k",
                }),
            /may not also publish to topics/,
        );
    });

    it("uses keys only through the service that holds the data", () => {
        const document = functionPolicy({
            ...base,
            consumes: ["q"],
            publishesTo: ["t"],
            messagingKeyArn: "k",
            secrets: { arns: ["s"], keyArn: "d" },
            objects: { bucketArn: "arn:aws:s3:::b", readPrefixes: ["in/"], writePrefixes: [], keyArn: "a" },
        });
        const viaServices = document.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith("kms:"))).map(
            (s) => s.Condition?.StringEquals?.["kms:ViaService"],
        );
        assert.deepStrictEqual(viaServices, [
            "sqs.af-south-1.amazonaws.com",
            "sns.af-south-1.amazonaws.com",
            "secretsmanager.af-south-1.amazonaws.com",
            "s3.af-south-1.amazonaws.com",
        ]);
    });
});
