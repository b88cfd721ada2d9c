import * as assert from "assert";
import { readCartAbandonmentConfig } from "../../../app/functions/cart-abandonment";
import { readDbMigrateConfig } from "../../../app/functions/db-migrate";
import { readDlqRedriveConfig } from "../../../app/functions/dlq-redrive";
import { readNotifierConfig } from "../../../app/functions/notifier/config";
import { readOrderIntakeConfig } from "../../../app/functions/order-intake";
import { readOrderProcessorConfig } from "../../../app/functions/order-processor/config";
import { readThumbnailerConfig } from "../../../app/functions/thumbnailer";
import { FUNCTION_ROLES } from "../../../app/db/roles";
import { DEAD_LETTER_RETENTION_SECONDS } from "../../../infra/async/queues";
import { MAX_SCHEDULE_NAME_LENGTH, ORDER_ROUTE } from "../../../infra/async/triggers";
import { migrationsDigest } from "../../../infra/async/migrations";
import { UNSCOPED_ACTIONS } from "../../../infra/async/permissions";
import { loadConfig } from "../../../infra/config";
import {
    FUNCTION_NAMES,
    FunctionName,
    QUEUE_CONSUMERS,
    QUEUE_NAMES,
    QueueName,
    VISIBILITY_FACTOR,
} from "../../../infra/config/async";
import { PlanResource } from "../../../infra/offline/graph";
import { VPC_FUNCTIONS } from "../../../infra/workloads";
import { configWith, Graph, graphOf, STACKS } from "../harness";

/** The pack's default pattern for environment variable names that would hold secrets. */
const SECRET_NAME =
    /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_DATA)$|^AWS_ACCESS_KEY_ID$/i;
/** IAM's limit on a role's inline policies, whitespace excluded. */
const IAM_INLINE_POLICY_LIMIT = 10240;
/** Lambda's limit on a function's environment variables (names and values). */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;

type Document = {
    Statement: {
        Sid?: string;
        Effect: string;
        Action: string | string[];
        Resource: string | string[];
        Condition?: Record<string, Record<string, unknown>>;
    }[];
};
const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

for (const stack of STACKS) {
    const config = loadConfig(configWith(stack, {}));
    const account = config.stack.accountId;
    const region = config.stack.region;

    describe(`asynchronous processing: queues (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const queue = (name: QueueName) => g.one("aws:sqs/queue:Queue", `queues-${name}`);
        const dlq = (name: QueueName) => g.one("aws:sqs/queue:Queue", `queues-${name}-dlq`);
        const arnOf = (q: PlanResource) => `arn:aws:sqs:${region}:${account}:${q.inputs.name}`;
        const messagingKey = () =>
            g.sources(
                g
                    .ofType("aws:kms/alias:Alias")
                    .find((a) => a.inputs.name === `alias/shop-${stack}-messaging` && a.region === region)!,
                "targetKeyId",
            )[0];

        it("has a standard queue and its own dead-letter queue for orders, notifications, images and cart events, under one component", () => {
            const component = g.one("shop:async:Queues");
            const queues = g.ofType("aws:sqs/queue:Queue");
            assert.strictEqual(queues.length, 2 * QUEUE_NAMES.length);
            for (const q of queues) {
                assert.strictEqual(q.parent, component.urn);
                assert.notStrictEqual(
                    q.inputs.fifoQueue,
                    true,
                    `${q.name}: the platform's queues are standard (idempotent consumers)`,
                );
            }
            for (const name of QUEUE_NAMES) assert.strictEqual(queue(name).inputs.name, `shop-${stack}-${name}`);
        });

        it("redrives every queue to its own DLQ after maxReceiveCount receives, and each DLQ accepts only that source", () => {
            for (const name of QUEUE_NAMES) {
                assert.deepStrictEqual(g.sources(queue(name), "redrivePolicy"), [dlq(name)]);
                assert.deepStrictEqual(JSON.parse(String(queue(name).inputs.redrivePolicy)), {
                    deadLetterTargetArn: arnOf(dlq(name)),
                    maxReceiveCount: config.async.maxReceiveCount,
                });
                assert.deepStrictEqual(JSON.parse(String(dlq(name).inputs.redriveAllowPolicy)), {
                    redrivePermission: "byQueue",
                    sourceQueueArns: [arnOf(queue(name))],
                });
                assert.strictEqual(dlq(name).inputs.redrivePolicy, undefined, "a DLQ does not redrive further");
            }
        });

        it("keeps dead letters 14 days, longer than any source keeps a message", () => {
            for (const name of QUEUE_NAMES) {
                assert.strictEqual(dlq(name).inputs.messageRetentionSeconds, 14 * 24 * 3600);
                assert.strictEqual(queue(name).inputs.messageRetentionSeconds, config.async.messageRetentionSeconds);
                assert.ok(
                    (queue(name).inputs.messageRetentionSeconds as number) <
                        (dlq(name).inputs.messageRetentionSeconds as number),
                );
            }
        });

        it("encrypts every queue, dead-letter queues included, with the messaging key", () => {
            for (const q of g.ofType("aws:sqs/queue:Queue")) {
                assert.deepStrictEqual(g.sources(q, "kmsMasterKeyId"), [messagingKey()], q.name);
                assert.ok(
                    (q.inputs.kmsDataKeyReusePeriodSeconds as number) >= 60 &&
                        (q.inputs.kmsDataKeyReusePeriodSeconds as number) <= 86400,
                );
            }
        });

        it("gives every queue a policy that refuses non-TLS requests and admits nobody (no AWS service sends as itself)", () => {
            for (const q of g.ofType("aws:sqs/queue:Queue")) {
                const policies = g
                    .ofType("aws:sqs/queuePolicy:QueuePolicy")
                    .filter((p) => g.sources(p, "queueUrl").includes(q));
                assert.strictEqual(policies.length, 1, q.name);
                const statements = g.policy(policies[0]).Statement;
                assert.deepStrictEqual(statements, [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sqs:*",
                        Resource: arnOf(q),
                        Condition: { Bool: { "aws:SecureTransport": false } },
                    },
                ]);
            }
        });

        it("sets each visibility timeout to at least six times its consumer's timeout plus the batching window", () => {
            for (const mapping of g.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")) {
                const [source] = g.sources(mapping, "eventSourceArn");
                const [consumer] = g.sources(mapping, "functionName");
                const minimum =
                    VISIBILITY_FACTOR * (consumer.inputs.timeout as number) +
                    (mapping.inputs.maximumBatchingWindowInSeconds as number);
                assert.ok(
                    (source.inputs.visibilityTimeoutSeconds as number) >= minimum,
                    `${source.name}: ${source.inputs.visibilityTimeoutSeconds} < ${minimum}`,
                );
            }
        });

        it("stays within SQS's limits: names, visibility, retention, receive count", () => {
            for (const q of g.ofType("aws:sqs/queue:Queue")) {
                assert.match(String(q.inputs.name), /^[A-Za-z0-9_-]{1,80}$/);
                assert.ok(
                    (q.inputs.messageRetentionSeconds as number) >= 60 &&
                        (q.inputs.messageRetentionSeconds as number) <= DEAD_LETTER_RETENTION_SECONDS,
                );
                const visibility = (q.inputs.visibilityTimeoutSeconds ?? 30) as number;
                assert.ok(visibility >= 0 && visibility <= 43200);
            }
            assert.ok(config.async.maxReceiveCount >= 1 && config.async.maxReceiveCount <= 1000);
        });
    });

    describe(`asynchronous processing: functions (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const fn = (name: FunctionName) => g.one("aws:lambda/function:Function", `functions-${name}`);
        const roleOf = (f: PlanResource) => g.sources(f, "role")[0];
        const rolePolicyOf = (f: PlanResource) => {
            const policies = g
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .filter((p) => g.sources(p, "role").includes(roleOf(f)));
            assert.strictEqual(policies.length, 1, `${f.name} has one inline policy`);
            return policies[0];
        };
        const documentOf = (f: PlanResource) => g.policy(rolePolicyOf(f)) as unknown as Document;
        const allowed = (f: PlanResource, action: string) =>
            documentOf(f)
                .Statement.filter((s) => s.Effect === "Allow" && list(s.Action).includes(action))
                .flatMap((s) => list(s.Resource))
                .sort();
        const env = (f: PlanResource) => (f.inputs.environment as { variables: Record<string, string> }).variables;
        const queueArn = (name: string) => `arn:aws:sqs:${region}:${account}:shop-${stack}-${name}`;
        const keyOf = (purpose: string) => {
            const alias = g
                .ofType("aws:kms/alias:Alias")
                .find((a) => a.inputs.name === `alias/shop-${stack}-${purpose}` && a.region === region)!;
            return g.sources(alias, "targetKeyId")[0];
        };
        const isVpc = (name: FunctionName) => (VPC_FUNCTIONS as readonly string[]).includes(name);
        const alertTopicArn = () => String(g.plan.outputs.alertTopicArn);

        it("deploys every function of app/functions as Node.js 22 on arm64 under the Functions component", () => {
            const component = g.one("shop:async:Functions");
            assert.strictEqual(g.ofType("aws:lambda/function:Function").length, FUNCTION_NAMES.length);
            for (const name of FUNCTION_NAMES) {
                const f = fn(name);
                assert.strictEqual(f.parent, component.urn);
                assert.strictEqual(f.inputs.name, `shop-${stack}-${name}`);
                assert.ok(String(f.inputs.name).length <= 64);
                assert.deepStrictEqual(
                    [f.inputs.runtime, f.inputs.architectures, f.inputs.handler],
                    ["nodejs22.x", ["arm64"], "index.handler"],
                );
                const code = f.inputs.code as { assets: Record<string, { path: string }> };
                assert.match(
                    code.assets["index.js"].path,
                    /^node_modules\/\.cache\/lambda-bundles\/[0-9a-f]{32}\/index\.js$/,
                );
            }
            const migrator = fn("db-migrate").inputs.code as { assets: Record<string, { kind: string; path: string }> };
            assert.deepStrictEqual(migrator.assets.migrations, { kind: "archive", path: "app/db/migrations" });
        });

        it("takes timeout, memory and reserved concurrency from the config (none reserved in dev)", () => {
            for (const name of FUNCTION_NAMES) {
                const settings = config.async.functions[name];
                const f = fn(name).inputs;
                assert.deepStrictEqual([f.timeout, f.memorySize], [settings.timeoutSeconds, settings.memoryMb], name);
                assert.strictEqual(f.reservedConcurrentExecutions, settings.reservedConcurrency, name);
                if (stack === "dev") assert.strictEqual(f.reservedConcurrentExecutions, undefined, name);
                else assert.ok((f.reservedConcurrentExecutions as number) >= 1, name);
            }
        });

        it("reserves no more concurrency than the account can give while keeping 100 unreserved", () => {
            const reserved = FUNCTION_NAMES.reduce(
                (sum, name) => sum + ((fn(name).inputs.reservedConcurrentExecutions as number | undefined) ?? 0),
                0,
            );
            assert.ok(
                reserved <= config.async.accountConcurrencyLimit - 100,
                `${reserved} reserved of ${config.async.accountConcurrencyLimit}`,
            );
        });

        it("creates each function's log group (retention, logs key) before the function, and logs there", () => {
            for (const name of FUNCTION_NAMES) {
                const f = fn(name);
                const [logGroup] = g.sources(f, "loggingConfig");
                assert.strictEqual(logGroup.type, "aws:cloudwatch/logGroup:LogGroup");
                assert.strictEqual(logGroup.inputs.name, `/aws/lambda/${f.inputs.name}`);
                assert.strictEqual(logGroup.inputs.retentionInDays, config.stack.logRetentionDays);
                assert.deepStrictEqual(g.sources(logGroup, "kmsKeyId"), [keyOf("logs")]);
                assert.ok(f.dependencies.includes(logGroup.urn), `${name} does not wait for its log group`);
            }
        });

        it("traces with X-Ray and encrypts the environment with a customer key", () => {
            for (const name of FUNCTION_NAMES) {
                assert.deepStrictEqual(fn(name).inputs.tracingConfig, { mode: "Active" });
                assert.deepStrictEqual(g.sources(fn(name), "kmsKeyArn"), [keyOf("data")]);
            }
        });

        it("puts no secret in any environment: names pass the pack's check, secrets are named by ARN, nothing comes from a password or secret value", () => {
            for (const name of FUNCTION_NAMES) {
                const variables = env(fn(name));
                for (const [key, value] of Object.entries(variables)) {
                    assert.ok(!SECRET_NAME.test(key), `${name}: ${key}`);
                    if (/SECRET_ARN$/.test(key))
                        assert.match(value, new RegExp(`^arn:aws:secretsmanager:${region}:${account}:secret:`));
                }
                for (const source of g.sources(fn(name), "environment")) {
                    assert.ok(
                        ![
                            "random:index/randomPassword:RandomPassword",
                            "aws:secretsmanager/secretVersion:SecretVersion",
                        ].includes(source.type),
                        `${name} reads ${source.urn}`,
                    );
                }
                const size = Object.entries(variables).reduce(
                    (sum, [key, value]) => sum + key.length + value.length,
                    0,
                );
                assert.ok(size <= LAMBDA_ENVIRONMENT_LIMIT, `${name}: ${size} bytes of environment`);
            }
        });

        it("satisfies each handler's environment contract (the handlers' own readers accept it)", () => {
            const q = (name: QueueName) => `https://sqs.${region}.amazonaws.com/${account}/shop-${stack}-${name}`;
            assert.deepStrictEqual(readOrderIntakeConfig(env(fn("order-intake"))), { ordersQueueUrl: q("orders") });
            // Lambda sets AWS_REGION itself (a reserved variable); IAM database tokens are signed for it.
            const processor = readOrderProcessorConfig({ ...env(fn("order-processor")), AWS_REGION: region });
            assert.deepStrictEqual(
                [
                    processor.notificationQueueUrl,
                    processor.deadLetterQueueUrl,
                    processor.db.sslMode,
                    processor.lowStockAlertEmail,
                ],
                [
                    q("notifications"),
                    `${q("orders")}-dlq`,
                    "verify-full",
                    config.async.notifications.lowStockAlertEmail,
                ],
            );
            assert.strictEqual(processor.db.port, 5432);
            for (const [name, queue] of [
                ["notifier", "notifications"],
                ["cart-reminders", "cart-events"],
            ] as const) {
                const notifier = readNotifierConfig(env(fn(name)));
                assert.deepStrictEqual(
                    [notifier.deadLetterQueueUrl, notifier.email.from, notifier.store.url],
                    [`${q(queue)}-dlq`, config.async.notifications.senderEmail, `https://${config.stack.domain.name}`],
                );
            }
            assert.deepStrictEqual(readThumbnailerConfig(env(fn("thumbnailer"))), {
                widths: config.async.thumbnails.widths,
                maxSourceBytes: config.async.thumbnails.maxSourceBytes,
                maxInputPixels: config.async.thumbnails.maxInputPixels,
            });
            const sweep = readCartAbandonmentConfig({ ...env(fn("cart-abandonment")), AWS_REGION: region });
            assert.deepStrictEqual(sweep.sweep, {
                reminderQueueUrl: q("cart-events"),
                idleMinutes: config.async.cartSweep.idleMinutes,
                maxAgeHours: config.async.cartSweep.maxAgeHours,
                maxPerRun: config.async.cartSweep.maxRemindersPerRun,
            });
            assert.deepStrictEqual(
                readDlqRedriveConfig(env(fn("dlq-redrive"))).queues,
                Object.fromEntries(
                    QUEUE_NAMES.map((name) => [
                        name,
                        { deadLetterQueueUrl: `${q(name)}-dlq`, sourceQueueUrl: q(name) },
                    ]),
                ),
            );
            assert.strictEqual(readDbMigrateConfig(env(fn("db-migrate"))).db.database, config.database.databaseName);
        });

        it("logs each function into PostgreSQL as its own role with IAM (rds-db:connect as that user only); the master secret is the migrator's alone", () => {
            for (const name of ["order-processor", "cart-abandonment"] as const) {
                const f = fn(name);
                const login = { ...env(f), AWS_REGION: region };
                const db = (
                    name === "order-processor" ? readOrderProcessorConfig(login) : readCartAbandonmentConfig(login)
                ).db;
                assert.deepStrictEqual(db.auth, { kind: "iam", user: FUNCTION_ROLES[name], region });
                assert.strictEqual(db.sslMode, "verify-full");
                assert.ok(!("DB_SECRET_ARN" in env(f)), `${name} names the master secret`);
                const [connect, ...more] = allowed(f, "rds-db:connect");
                assert.strictEqual(more.length, 0, `${name} connects as one user`);
                assert.match(
                    connect,
                    new RegExp(
                        `^arn:aws:rds-db:${region}:${account}:dbuser:cluster-[A-Z0-9]+/${FUNCTION_ROLES[name]}$`,
                    ),
                );
            }
            const migrator = readDbMigrateConfig(env(fn("db-migrate")));
            assert.deepStrictEqual([migrator.db.auth.kind, migrator.roleLogin], ["secret", { kind: "iam" }]);
            for (const name of FUNCTION_NAMES.filter((n) => n !== "order-processor" && n !== "cart-abandonment"))
                assert.deepStrictEqual(allowed(fn(name), "rds-db:connect"), [], `${name} connects to the database`);
        });

        it("gives each function a role of its own, trusted by Lambda only, with one inline policy within IAM's size limit", () => {
            const roles = FUNCTION_NAMES.map((name) => roleOf(fn(name)));
            assert.strictEqual(new Set(roles.map((r) => r.urn)).size, roles.length);
            for (const role of roles) {
                assert.deepStrictEqual(g.policy(role, "assumeRolePolicy").Statement, [
                    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
                ]);
                assert.ok(
                    !g
                        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                        .some((a) => g.sources(a, "role").includes(role)),
                    `${role.name} has a managed policy`,
                );
            }
            for (const name of FUNCTION_NAMES)
                assert.ok(String(rolePolicyOf(fn(name)).inputs.policy).length <= IAM_INLINE_POLICY_LIMIT);
        });

        it("grants each role exact ARNs only: '*' only for actions AWS cannot scope, keys only through their service", () => {
            for (const name of FUNCTION_NAMES) {
                const f = fn(name);
                const document = documentOf(f);
                for (const statement of document.Statement) {
                    const actions = list(statement.Action);
                    for (const resource of list(statement.Resource)) {
                        if (resource === "*") {
                            assert.ok(
                                statement.Effect === "Allow" &&
                                    actions.every((a) => (UNSCOPED_ACTIONS as readonly string[]).includes(a)),
                                `${name}: ${actions.join(",")} on *`,
                            );
                        } else if (resource.includes("*")) {
                            const ownLogs =
                                resource ===
                                `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${f.inputs.name}:*`;
                            const prefixes = /^arn:aws:s3:::[a-z0-9-]+\/(uploads|thumbnails)\/\*$/.test(resource);
                            const topics = statement.Effect === "Deny" && resource === "arn:aws:sns:*:*:*";
                            assert.ok(ownLogs || prefixes || topics, `${name}: wildcard resource ${resource}`);
                        }
                    }
                    if (actions.some((a) => a.startsWith("kms:"))) {
                        assert.ok(
                            statement.Condition?.StringEquals?.["kms:ViaService"],
                            `${name}: ${statement.Sid} uses a key outside its service`,
                        );
                        assert.ok(
                            list(statement.Resource).every((r) =>
                                /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(r),
                            ),
                            `${name}: ${statement.Sid}`,
                        );
                    }
                    if (actions.includes("sns:Publish") && list(statement.Resource).includes("*")) {
                        assert.ok(
                            document.Statement.some(
                                (s) => s.Effect === "Deny" && list(s.Resource).includes("arn:aws:sns:*:*:*"),
                            ),
                            `${name}: SMS without the topic deny`,
                        );
                    }
                }
            }
        });

        it("lets each function use exactly the queues, topics and secrets its work needs", () => {
            const dlqArn = (name: QueueName) => `${queueArn(name)}-dlq`;
            const expected: Record<FunctionName, { consumes: string[]; sends: string[]; publishes: string[] }> = {
                "order-intake": { consumes: [], sends: [queueArn("orders"), dlqArn("orders")], publishes: [] },
                "order-processor": {
                    consumes: [queueArn("orders")],
                    sends: [queueArn("notifications"), dlqArn("orders")],
                    publishes: [],
                },
                notifier: { consumes: [queueArn("notifications")], sends: [dlqArn("notifications")], publishes: [] },
                "cart-reminders": {
                    consumes: [queueArn("cart-events")],
                    sends: [dlqArn("cart-events")],
                    publishes: [],
                },
                thumbnailer: { consumes: [queueArn("images")], sends: [queueArn("images")], publishes: [] },
                "cart-abandonment": {
                    consumes: [],
                    sends: [queueArn("cart-events"), dlqArn("cart-events")],
                    publishes: [],
                },
                "dlq-redrive": {
                    consumes: QUEUE_NAMES.map(dlqArn),
                    sends: QUEUE_NAMES.map(queueArn),
                    publishes: [alertTopicArn()],
                },
                "db-migrate": { consumes: [], sends: [], publishes: [alertTopicArn()] },
            };
            for (const name of FUNCTION_NAMES) {
                const f = fn(name);
                assert.deepStrictEqual(
                    allowed(f, "sqs:ReceiveMessage"),
                    [...expected[name].consumes].sort(),
                    `${name} consumes`,
                );
                assert.deepStrictEqual(
                    allowed(f, "sqs:SendMessage"),
                    [...expected[name].sends].sort(),
                    `${name} sends`,
                );
                assert.deepStrictEqual(
                    allowed(f, "sns:Publish").filter((r) => r !== "*"),
                    expected[name].publishes,
                    `${name} publishes`,
                );
                // Exactly the secrets its environment names.
                const secrets = Object.entries(env(f))
                    .filter(([key]) => key.endsWith("_SECRET_ARN"))
                    .map(([, value]) => value)
                    .sort();
                assert.deepStrictEqual(allowed(f, "secretsmanager:GetSecretValue"), secrets, `${name} secrets`);
                const usesMessaging =
                    expected[name].consumes.length + expected[name].sends.length + expected[name].publishes.length > 0;
                const messagingKeyArn = String(g.one("aws:sqs/queue:Queue", "queues-orders").inputs.kmsMasterKeyId);
                assert.strictEqual(
                    allowed(f, "kms:GenerateDataKey").includes(messagingKeyArn),
                    usesMessaging,
                    `${name} messaging key`,
                );
            }
        });

        it("lets the thumbnailer read only uploads and write only thumbnails, with the assets key", () => {
            const f = fn("thumbnailer");
            const bucket = `arn:aws:s3:::shop-${stack}-assets-${account}`;
            assert.deepStrictEqual(allowed(f, "s3:GetObject"), [`${bucket}/uploads/*`]);
            assert.deepStrictEqual(allowed(f, "s3:PutObject"), [`${bucket}/thumbnails/*`]);
            // Listing (only under uploads/) makes a deleted upload a NoSuchKey the code skips, not a 403 it retries.
            const listing = documentOf(f).Statement.filter((s) => list(s.Action).includes("s3:ListBucket"));
            assert.deepStrictEqual(
                listing.map((s) => [s.Resource, s.Condition]),
                [[bucket, { StringLike: { "s3:prefix": ["uploads/*"] } }]],
            );
            const encryption = g
                .ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
                .find((e) => g.component(e)?.type === "shop:edge:Assets")!;
            const assetsKey = (
                encryption.inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[]
            )[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
            assert.deepStrictEqual(
                allowed(f, "kms:GenerateDataKey").filter((k) => k === assetsKey),
                [assetsKey],
            );
            for (const name of FUNCTION_NAMES.filter((n) => n !== "thumbnailer")) {
                assert.deepStrictEqual(
                    [...allowed(fn(name), "s3:GetObject"), ...allowed(fn(name), "s3:PutObject")],
                    [],
                    name,
                );
            }
        });

        it("sends a failed asynchronous invocation to a destination the role may write to, and configures it after the role's policy", () => {
            const expected: Record<FunctionName, string> = {
                "order-intake": `${queueArn("orders")}-dlq`,
                "order-processor": `${queueArn("orders")}-dlq`,
                notifier: `${queueArn("notifications")}-dlq`,
                "cart-reminders": `${queueArn("cart-events")}-dlq`,
                thumbnailer: queueArn("images"),
                "cart-abandonment": `${queueArn("cart-events")}-dlq`,
                "dlq-redrive": alertTopicArn(),
                "db-migrate": alertTopicArn(),
            };
            for (const name of FUNCTION_NAMES) {
                const configs = g
                    .ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
                    .filter((c) => g.sources(c, "functionName").includes(fn(name)));
                assert.strictEqual(configs.length, 1, name);
                const destination = (configs[0].inputs.destinationConfig as { onFailure: { destination: string } })
                    .onFailure.destination;
                assert.strictEqual(destination, expected[name], name);
                const permitted = destination.startsWith("arn:aws:sns:")
                    ? allowed(fn(name), "sns:Publish")
                    : allowed(fn(name), "sqs:SendMessage");
                assert.ok(permitted.includes(destination), `${name} may not write to its destination`);
                assert.ok(
                    g.dependsOn(configs[0], rolePolicyOf(fn(name))),
                    `${name}: the destination is checked against the role's policy`,
                );
                const retries = configs[0].inputs.maximumRetryAttempts as number;
                assert.ok(retries >= 0 && retries <= 2);
            }
        });

        it("runs the functions that reach Aurora in every zone's private subnet with their workload group, after their network permissions", () => {
            const privateSubnets = g
                .ofType("aws:ec2/subnet:Subnet")
                .filter((s) => (s.inputs.tags as Record<string, string>).Layer === "private");
            assert.strictEqual(privateSubnets.length, config.stack.availabilityZones.length);
            for (const name of FUNCTION_NAMES) {
                const f = fn(name);
                if (!isVpc(name)) {
                    assert.strictEqual(f.inputs.vpcConfig, undefined, `${name} needs no VPC`);
                    continue;
                }
                assert.deepStrictEqual(
                    g
                        .sources(f, "vpcConfig")
                        .filter((r) => r.type === "aws:ec2/subnet:Subnet")
                        .map((s) => s.urn)
                        .sort(),
                    privateSubnets.map((s) => s.urn).sort(),
                );
                const [group] = g
                    .sources(f, "vpcConfig")
                    .filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
                assert.strictEqual(group.name, `workloads-fn-${name}`);
                const policy = rolePolicyOf(f);
                assert.ok(
                    allowed(f, "ec2:CreateNetworkInterface").length > 0,
                    `${name} lacks the network interface permissions`,
                );
                assert.ok(f.dependencies.includes(policy.urn), `${name} is created before its network permissions`);
            }
        });

        it("opens the VPC functions' egress to exactly Aurora on 5432 and HTTPS, and Aurora admits them", () => {
            const databaseGroup = g.one("aws:ec2/securityGroup:SecurityGroup", "database-sg");
            for (const name of VPC_FUNCTIONS) {
                const group = g.one("aws:ec2/securityGroup:SecurityGroup", `workloads-fn-${name}`);
                const egress = g
                    .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                    .filter((r) => g.sources(r, "securityGroupId").includes(group));
                assert.deepStrictEqual(egress.map((r) => r.inputs.toPort).sort(), [443, 5432], name);
                const toDatabase = egress.find((r) => r.inputs.toPort === 5432)!;
                assert.deepStrictEqual(g.sources(toDatabase, "referencedSecurityGroupId"), [databaseGroup]);
                const https = egress.find((r) => r.inputs.toPort === 443)!;
                const endpoints = config.network.interfaceEndpoints && name !== "order-processor";
                if (endpoints)
                    assert.strictEqual(g.sources(https, "referencedSecurityGroupId")[0].name, "network-endpoints");
                else assert.strictEqual(https.inputs.cidrIpv4, "0.0.0.0/0");
                assert.ok(
                    g
                        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                        .some(
                            (r) =>
                                g.sources(r, "securityGroupId").includes(databaseGroup) &&
                                g.sources(r, "referencedSecurityGroupId").includes(group) &&
                                r.inputs.fromPort === 5432,
                        ),
                    `Aurora does not admit ${name}`,
                );
                assert.ok(
                    egress.every((r) => fn(name).dependencies.includes(r.urn)),
                    `${name} runs before its network path exists`,
                );
            }
        });
    });

    describe(`asynchronous processing: triggers (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const fn = (name: FunctionName) => g.one("aws:lambda/function:Function", `functions-${name}`);
        const rolePolicyOf = (f: PlanResource) =>
            g
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .find((p) => g.sources(p, "role").includes(g.sources(f, "role")[0]))!;

        it("maps each queue to its consumer, reporting per-message failures, with the configured batching and concurrency", () => {
            const mappings = g.ofType("aws:lambda/eventSourceMapping:EventSourceMapping");
            assert.strictEqual(mappings.length, QUEUE_NAMES.length);
            for (const name of QUEUE_NAMES) {
                const mapping = mappings.find((m) => g.sources(m, "eventSourceArn")[0].name === `queues-${name}`)!;
                const consumer = fn(QUEUE_CONSUMERS[name]);
                const settings = config.async.queues[name];
                assert.deepStrictEqual(g.sources(mapping, "functionName"), [consumer]);
                assert.deepStrictEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
                assert.deepStrictEqual(
                    [
                        mapping.inputs.batchSize,
                        mapping.inputs.maximumBatchingWindowInSeconds,
                        mapping.inputs.scalingConfig,
                    ],
                    [
                        settings.batchSize,
                        settings.batchingWindowSeconds,
                        { maximumConcurrency: settings.maximumConcurrency },
                    ],
                );
                // Lambda's rules: concurrency 2-1000; batches over 10 need a window; no more than the function may run.
                assert.ok(settings.maximumConcurrency >= 2 && settings.maximumConcurrency <= 1000);
                assert.ok(settings.batchSize <= 10 || settings.batchingWindowSeconds >= 1);
                const reserved = consumer.inputs.reservedConcurrentExecutions as number | undefined;
                assert.ok(reserved === undefined || settings.maximumConcurrency <= reserved, name);
                assert.ok(
                    g.dependsOn(mapping, rolePolicyOf(consumer)),
                    `${name}: created before the consumer may receive`,
                );
            }
        });

        it("invokes the thumbnailer on ObjectCreated under uploads/ only, after S3 was allowed to (the bucket's one notification)", () => {
            const notifications = g.ofType("aws:s3/bucketNotification:BucketNotification");
            assert.strictEqual(notifications.length, 1);
            const [notification] = notifications;
            assert.strictEqual(notification.inputs.bucket, `shop-${stack}-assets-${account}`);
            assert.ok(g.sources(notification, "bucket").every((b) => g.component(b)?.type === "shop:edge:Assets"));
            const [target] = notification.inputs.lambdaFunctions as {
                lambdaFunctionArn: string;
                events: string[];
                filterPrefix: string;
            }[];
            assert.deepStrictEqual(
                [target.lambdaFunctionArn, target.events, target.filterPrefix],
                [
                    `arn:aws:lambda:${region}:${account}:function:shop-${stack}-thumbnailer`,
                    ["s3:ObjectCreated:*"],
                    "uploads/",
                ],
            );
            assert.ok(!"thumbnails/".startsWith(target.filterPrefix), "the thumbnails would retrigger the function");
            const permission = g
                .ofType("aws:lambda/permission:Permission")
                .find((p) => p.inputs.principal === "s3.amazonaws.com")!;
            assert.deepStrictEqual(
                [
                    permission.inputs.function,
                    permission.inputs.action,
                    permission.inputs.sourceArn,
                    permission.inputs.sourceAccount,
                ],
                [
                    `shop-${stack}-thumbnailer`,
                    "lambda:InvokeFunction",
                    `arn:aws:s3:::shop-${stack}-assets-${account}`,
                    account,
                ],
            );
            assert.ok(
                notification.dependencies.includes(permission.urn),
                "S3 validates the permission when the notification is saved",
            );
        });

        it("runs the abandoned-cart sweep on an EventBridge Scheduler schedule with its own role, retries and the cart events DLQ", () => {
            const schedule = g.one("aws:scheduler/schedule:Schedule");
            const sweep = config.async.cartSweep;
            assert.ok(String(schedule.inputs.name).length <= MAX_SCHEDULE_NAME_LENGTH);
            assert.deepStrictEqual(
                [schedule.inputs.scheduleExpression, schedule.inputs.scheduleExpressionTimezone, schedule.inputs.state],
                [sweep.schedule, sweep.timezone, "ENABLED"],
            );
            const window = schedule.inputs.flexibleTimeWindow as { mode: string; maximumWindowInMinutes?: number };
            // Scheduler: FLEXIBLE takes a window of 1-1440 minutes, OFF none.
            if (window.mode === "FLEXIBLE")
                assert.ok(window.maximumWindowInMinutes! >= 1 && window.maximumWindowInMinutes! <= 1440);
            else assert.deepStrictEqual(window, { mode: "OFF" });
            const target = schedule.inputs.target as {
                arn: string;
                roleArn: string;
                retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number };
                deadLetterConfig: { arn: string };
            };
            assert.strictEqual(
                target.arn,
                `arn:aws:lambda:${region}:${account}:function:shop-${stack}-cart-abandonment`,
            );
            assert.strictEqual(
                target.deadLetterConfig.arn,
                `arn:aws:sqs:${region}:${account}:shop-${stack}-cart-events-dlq`,
            );
            assert.ok(target.retryPolicy.maximumRetryAttempts >= 0 && target.retryPolicy.maximumRetryAttempts <= 185);
            assert.ok(
                target.retryPolicy.maximumEventAgeInSeconds >= 60 &&
                    target.retryPolicy.maximumEventAgeInSeconds <= 86400,
            );

            const role = g.sources(schedule, "target").find((r) => r.type === "aws:iam/role:Role")!;
            assert.deepStrictEqual(g.policy(role, "assumeRolePolicy").Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "scheduler.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": account },
                        ArnLike: { "aws:SourceArn": `arn:aws:scheduler:${region}:${account}:schedule-group/default` },
                    },
                },
            ]);
            const policy = g.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => g.sources(p, "role").includes(role))!;
            const statements = g.policy(policy).Statement;
            assert.deepStrictEqual(statements.find((s) => s.Action === "lambda:InvokeFunction")!.Resource, [
                target.arn,
                `${target.arn}:*`,
            ]);
            assert.deepStrictEqual(
                statements.find((s) => s.Action === "sqs:SendMessage")!.Resource,
                target.deadLetterConfig.arn,
            );
            assert.ok(schedule.dependencies.includes(policy.urn));
        });

        it(`routes ${ORDER_ROUTE} to the order intake behind the JWT authorizer, and lets only that route invoke it`, () => {
            const [route, ...others] = g
                .ofType("aws:apigatewayv2/route:Route")
                .filter((r) => r.inputs.routeKey === ORDER_ROUTE);
            assert.strictEqual(others.length, 0);
            assert.deepStrictEqual([route.inputs.routeKey, route.inputs.authorizationType], ["POST /orders", "JWT"]);
            assert.ok(route.inputs.authorizerId);
            const [integration] = g.sources(route, "target");
            assert.deepStrictEqual(
                [
                    integration.inputs.integrationType,
                    integration.inputs.payloadFormatVersion,
                    integration.inputs.integrationMethod,
                ],
                ["AWS_PROXY", "2.0", "POST"],
            );
            assert.deepStrictEqual(g.sources(integration, "integrationUri"), [fn("order-intake")]);
            const timeout = integration.inputs.timeoutMilliseconds as number;
            assert.ok(
                timeout <= 30000 && timeout > (fn("order-intake").inputs.timeout as number) * 1000,
                "API Gateway waits longer than the function runs, at most 30 s",
            );
            const permission = g
                .ofType("aws:lambda/permission:Permission")
                .find((p) => p.inputs.principal === "apigateway.amazonaws.com")!;
            assert.strictEqual(permission.inputs.function, `shop-${stack}-order-intake`);
            assert.match(
                String(permission.inputs.sourceArn),
                new RegExp(`^arn:aws:execute-api:${region}:${account}:[^/]+/\\*/POST/orders$`),
            );
        });

        it("migrates the schema on deployment once the database and the migrator's network exist, before the schema's users change", () => {
            const invocation = g.one("aws:lambda/invocation:Invocation");
            assert.deepStrictEqual(g.sources(invocation, "functionName"), [fn("db-migrate")]);
            assert.deepStrictEqual(invocation.inputs.triggers, { migrations: migrationsDigest() });
            for (const instance of g.ofType("aws:rds/clusterInstance:ClusterInstance"))
                assert.ok(g.dependsOn(invocation, instance), `before ${instance.name}`);
            for (const rule of g
                .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                .filter((r) => r.name.startsWith("functions-db-migrate-"))) {
                assert.ok(g.dependsOn(invocation, rule));
            }
            for (const user of ["order-processor", "cart-abandonment"] as const)
                assert.ok(fn(user).dependencies.includes(invocation.urn), user);
        });

        it("gives the thumbnailer the sharp layer built for arm64", () => {
            const layer = g.one("aws:lambda/layerVersion:LayerVersion");
            assert.deepStrictEqual(
                [layer.inputs.compatibleArchitectures, layer.inputs.compatibleRuntimes],
                [["arm64"], ["nodejs22.x"]],
            );
            assert.deepStrictEqual((layer.inputs.code as { assets: Record<string, unknown> }).assets, {
                "nodejs/node_modules": { kind: "archive", path: "app/layers/sharp-linux-arm64/node_modules" },
            });
            assert.deepStrictEqual(g.sources(fn("thumbnailer"), "layers"), [layer]);
        });

        it("keeps the payment provider's key in Secrets Manager (data key, recovery window), never in the program's state", () => {
            const secret = g.one("aws:secretsmanager/secret:Secret", "functions-payment-provider");
            assert.strictEqual(secret.inputs.name, `shop-${stack}/payments/provider`);
            assert.strictEqual(secret.inputs.recoveryWindowInDays, config.stack.keyDeletionWindowDays);
            assert.ok(
                !g
                    .ofType("aws:secretsmanager/secretVersion:SecretVersion")
                    .some((v) => g.sources(v, "secretId").includes(secret)),
            );
        });

        it("alarms on every queue (oldest message, anything in its DLQ) and every function (errors, throttles)", () => {
            const alarms = g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            const dimensionsOf = (alarm: PlanResource): Record<string, string>[] => [
                (alarm.inputs.dimensions ?? {}) as Record<string, string>,
                ...((alarm.inputs.metricQueries ?? []) as { metric?: { dimensions: Record<string, string> } }[]).map(
                    (q) => q.metric?.dimensions ?? {},
                ),
            ];
            const metricsOf = (alarm: PlanResource): string[] => [
                String(alarm.inputs.metricName),
                ...((alarm.inputs.metricQueries ?? []) as { metric?: { metricName: string } }[]).map(
                    (q) => q.metric?.metricName ?? "",
                ),
            ];
            const watched = (metric: string, key: string, value: unknown) =>
                alarms.some(
                    (a) =>
                        metricsOf(a).includes(metric) &&
                        dimensionsOf(a).some((d) => d[key] === value) &&
                        (a.inputs.alarmActions as string[]).includes(String(g.plan.outputs.alertTopicArn)),
                );
            for (const name of QUEUE_NAMES) {
                assert.ok(
                    watched("ApproximateAgeOfOldestMessage", "QueueName", `shop-${stack}-${name}`),
                    `${name}: oldest message`,
                );
                assert.ok(
                    watched("ApproximateNumberOfMessagesVisible", "QueueName", `shop-${stack}-${name}-dlq`),
                    `${name}: DLQ`,
                );
            }
            for (const name of FUNCTION_NAMES) {
                assert.ok(watched("Errors", "FunctionName", `shop-${stack}-${name}`), `${name}: errors`);
                assert.ok(watched("Throttles", "FunctionName", `shop-${stack}-${name}`), `${name}: throttles`);
            }
        });
    });
}
