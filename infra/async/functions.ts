import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AsyncConfig, FUNCTION_NAMES, FunctionName, QUEUE_CONSUMERS, QUEUE_NAMES, QueueName } from "../config/async";
import { FunctionTarget } from "../observability/targets";
import { FUNCTION_ROLES } from "../../app/db/roles";
import { databaseUserArn } from "../shared/iam";
import { sesConfigurationSetArn, sesIdentityArn } from "../shared/ses";
import { VpcFunctionName } from "../workloads";
import { handlerArchive, sharpLayerArchive } from "./code";
import {
    ARCHITECTURE,
    lambdaFunction,
    LambdaFunction,
    LambdaFunctionArgs,
    MAX_FUNCTION_NAME_LENGTH,
    RUNTIME,
} from "./lambda-function";
import { MIGRATIONS_DIR, runMigrations } from "./migrations";
import { networkAccess } from "./network-access";
import { DeliveryQueue } from "./queues";
import { MAX_SCHEDULE_NAME_LENGTH, queueTrigger, routeTrigger, scheduleTrigger, uploadTrigger } from "./triggers";

/** Where the thumbnailer writes (outside the uploads prefix, so its output never retriggers it). */
export const THUMBNAILS_PREFIX = "thumbnails/";

export interface FunctionsArgs extends Pick<
    AsyncConfig,
    "functions" | "queues" | "notifications" | "thumbnails" | "cartSweep"
> {
    /** Physical names are "<namePrefix>-<function>". */
    namePrefix: string;
    accountId: string;
    region: string;
    /** The Queues component's queues and their DLQs. */
    deliveryQueues: Record<QueueName, DeliveryQueue>;
    messagingKeyArn: pulumi.Input<string>;
    /** Encrypts the functions' environments and the secrets they read (the database's and the payment provider's). */
    dataKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** Days a deleted secret can be restored (7-30). */
    secretRecoveryWindowDays: number;
    /** The private application subnets, one per zone, and each VPC function's workload group. */
    privateSubnetIds: pulumi.Input<string>[];
    functionSecurityGroupIds: Record<VpcFunctionName, pulumi.Input<string>>;
    /** The interface endpoints' group, when the VPC has them. */
    endpointSecurityGroupId?: pulumi.Input<string>;
    databaseSecurityGroupId: pulumi.Input<string>;
    databasePort: number;
    databaseHost: pulumi.Input<string>;
    databaseName: string;
    /** The RDS-managed master secret ({"username", "password"}), encrypted with the data key: the migrator's only. */
    databaseSecretArn: pulumi.Input<string>;
    /** The cluster's resource id, for rds-db:connect (the other functions' IAM database authentication). */
    databaseResourceId: pulumi.Input<string>;
    /**
     * Migrations run once these exist: the database with its instances, and the network path of the
     * migrator (the interface endpoints, or the NAT gateways and private routes it reaches Secrets
     * Manager through); an invocation that races them times out.
     */
    migrationsAfter: pulumi.Resource[];
    assetsBucketName: pulumi.Input<string>;
    assetsBucketArn: pulumi.Input<string>;
    assetsKeyArn: pulumi.Input<string>;
    /** Uploads under this prefix are thumbnailed. */
    uploadsPrefix: string;
    /** Failed asynchronous runs of the operators' functions (redrive, migrations) alert here. */
    alertTopicArn: pulumi.Input<string>;
    /** The HTTP API that gets `POST /orders`, and its JWT authorizer. */
    httpApiId: pulumi.Input<string>;
    httpApiExecutionArn: pulumi.Input<string>;
    httpApiAuthorizerId: pulumi.Input<string>;
}

/**
 * The asynchronous tier's Lambda functions and what runs them: the order intake behind
 * `POST /orders`, a consumer per queue (order processor, notifier, cart reminders, thumbnailer),
 * the thumbnailer's S3 upload trigger, the scheduled abandoned-cart sweep, the operators'
 * dead-letter redrive, and the database migrations run on deployment. Built from `app/functions/`.
 */
export class Functions extends pulumi.ComponentResource {
    readonly functionNames: Record<FunctionName, pulumi.Output<string>>;
    /** The payment provider's API key ({"apiKey"}); its value is put by an operator, never by this program. */
    readonly paymentSecretArn: pulumi.Output<string>;
    /** What the observability tier alarms on: each function's errors and throttles. */
    readonly alarmTargets: FunctionTarget[];

    constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:async:Functions", name, {}, opts);
        validate(name, args);
        const q = args.deliveryQueues;
        const physical = (fn: FunctionName) => `${args.namePrefix}-${fn}`;
        const shared = {
            region: args.region,
            environmentKeyArn: args.dataKeyArn,
            logsKeyArn: args.logsKeyArn,
            logRetentionDays: args.logRetentionDays,
        };
        const build = (
            fn: FunctionName,
            spec: Omit<LambdaFunctionArgs, "functionName" | "settings" | keyof typeof shared>,
        ) =>
            lambdaFunction(
                `${name}-${fn}`,
                { ...spec, ...shared, functionName: physical(fn), settings: args.functions[fn] },
                this,
            );

        const paymentSecret = new aws.secretsmanager.Secret(
            `${name}-payment-provider`,
            {
                name: `${args.namePrefix}/payments/provider`,
                description:
                    'The payment provider\'s API key as {"apiKey": "..."}; put by an operator (aws secretsmanager put-secret-value)',
                kmsKeyId: args.dataKeyArn,
                recoveryWindowInDays: args.secretRecoveryWindowDays,
            },
            { parent: this },
        );

        // --- in the VPC, reaching Aurora: the network path first, then the schema, then its users.
        // TLS verify-full against the RDS CA bundle the code ships (app/db/connection.ts). Only the
        // migrator logs in as the master user; the others as their own role, with IAM tokens.
        const database = {
            DB_HOST: args.databaseHost,
            DB_PORT: String(args.databasePort),
            DB_NAME: args.databaseName,
            DB_SSL_MODE: "verify-full",
        };
        const asRole = (fn: keyof typeof FUNCTION_ROLES) => ({
            environment: { ...database, DB_AUTH: "iam", DB_USER: FUNCTION_ROLES[fn] },
            connectsToDatabaseAs: [
                pulumi
                    .output(args.databaseResourceId)
                    .apply((id) => databaseUserArn(args.region, args.accountId, id, FUNCTION_ROLES[fn])),
            ],
        });
        const processorLogin = asRole("order-processor");
        const sweepLogin = asRole("cart-abandonment");
        // AWS APIs through the interface endpoints when the VPC has them; `internet` says why a
        // function needs the NAT instead.
        const inVpc = (fn: VpcFunctionName, internet?: string) => {
            const securityGroupId = args.functionSecurityGroupIds[fn];
            const egress = networkAccess(
                `${name}-${fn}`,
                {
                    securityGroupId,
                    databaseSecurityGroupId: args.databaseSecurityGroupId,
                    databasePort: args.databasePort,
                    https:
                        internet || !args.endpointSecurityGroupId
                            ? { anywhere: internet ?? "HTTPS through the NAT: Secrets Manager, SQS" }
                            : { endpointSecurityGroupId: args.endpointSecurityGroupId },
                },
                this,
            );
            return { vpc: { subnetIds: args.privateSubnetIds, securityGroupId }, egress };
        };

        const migratorNetwork = inVpc("db-migrate");
        const migrator = build("db-migrate", {
            description: "Applies the pending PostgreSQL migrations; invoked by each deployment that changes them",
            code: handlerArchive("app/functions/db-migrate/index.ts", { directories: { migrations: MIGRATIONS_DIR } }),
            environment: {
                ...database,
                DB_AUTH: "secret",
                DB_SECRET_ARN: args.databaseSecretArn,
                // The application roles log in with IAM authentication (GRANT rds_iam).
                DB_ROLE_AUTH: "iam",
            },
            grants: pulumi.output({
                secrets: { arns: [args.databaseSecretArn], keyArn: args.dataKeyArn },
                publishesTo: [args.alertTopicArn],
                messagingKeyArn: args.messagingKeyArn,
            }),
            vpc: migratorNetwork.vpc,
            onFailureDestinationArn: args.alertTopicArn,
            asyncRetryAttempts: 0,
            dependsOn: migratorNetwork.egress,
        });
        const schema = runMigrations(`${name}-migrations`, migrator.function, args.migrationsAfter, this);

        const processorNetwork = inVpc(
            "order-processor",
            "HTTPS through the NAT: Secrets Manager, SQS, the payment provider",
        );
        const processor = build("order-processor", {
            description: "Places each order from the orders queue once: stock, payment, order rows, confirmation",
            code: handlerArchive("app/functions/order-processor/index.ts"),
            environment: {
                ...processorLogin.environment,
                NOTIFICATION_QUEUE_URL: q.notifications.url,
                DEAD_LETTER_QUEUE_URL: q.orders.deadLetter.url,
                LOW_STOCK_ALERT_EMAIL: args.notifications.lowStockAlertEmail,
                PAYMENT_PROVIDER: "sandbox",
                PAYMENT_SECRET_ARN: paymentSecret.arn,
            },
            grants: pulumi.output({
                consumes: [q.orders.arn],
                sendsTo: [q.notifications.arn, q.orders.deadLetter.arn],
                messagingKeyArn: args.messagingKeyArn,
                connectsToDatabaseAs: processorLogin.connectsToDatabaseAs,
                secrets: { arns: [paymentSecret.arn], keyArn: args.dataKeyArn },
            }),
            vpc: processorNetwork.vpc,
            // Its messages retry through the queue; an asynchronous invocation (an operator's test) fails once.
            onFailureDestinationArn: q.orders.deadLetter.arn,
            asyncRetryAttempts: 0,
            dependsOn: [...processorNetwork.egress, schema],
        });

        const sweepNetwork = inVpc("cart-abandonment");
        const sweep = build("cart-abandonment", {
            description: "Scheduled: queues one reminder per cart idle too long",
            code: handlerArchive("app/functions/cart-abandonment/index.ts"),
            environment: {
                ...sweepLogin.environment,
                REMINDER_QUEUE_URL: q["cart-events"].url,
                CART_IDLE_MINUTES: String(args.cartSweep.idleMinutes),
                CART_MAX_AGE_HOURS: String(args.cartSweep.maxAgeHours),
                MAX_REMINDERS_PER_RUN: String(args.cartSweep.maxRemindersPerRun),
            },
            grants: pulumi.output({
                sendsTo: [q["cart-events"].arn, q["cart-events"].deadLetter.arn],
                messagingKeyArn: args.messagingKeyArn,
                connectsToDatabaseAs: sweepLogin.connectsToDatabaseAs,
            }),
            vpc: sweepNetwork.vpc,
            // A failed sweep lands where the scheduler parks undeliverable runs; the next run redoes its work.
            onFailureDestinationArn: q["cart-events"].deadLetter.arn,
            asyncRetryAttempts: 1,
            dependsOn: [...sweepNetwork.egress, schema],
        });

        // --- outside the VPC: AWS APIs only.
        const intake = build("order-intake", {
            description: "POST /orders: validates the order, queues it and answers 202 with its id",
            code: handlerArchive("app/functions/order-intake/index.ts"),
            environment: { ORDERS_QUEUE_URL: q.orders.url },
            grants: pulumi.output({
                sendsTo: [q.orders.arn, q.orders.deadLetter.arn],
                messagingKeyArn: args.messagingKeyArn,
            }),
            onFailureDestinationArn: q.orders.deadLetter.arn,
            asyncRetryAttempts: 0,
        });

        // The notifier's code serves two queues as two functions: reminders (bulk, not urgent) never
        // hold up order confirmations, and each queue's poison messages go to its own DLQ.
        const notifierFor = (fn: "notifier" | "cart-reminders", queue: QueueName, description: string) =>
            build(fn, {
                description,
                code: handlerArchive("app/functions/notifier/index.ts"),
                environment: {
                    SENDER_EMAIL: args.notifications.senderEmail,
                    ...(args.notifications.configurationSet
                        ? { SES_CONFIGURATION_SET: args.notifications.configurationSet }
                        : {}),
                    ...(args.notifications.smsSenderId ? { SMS_SENDER_ID: args.notifications.smsSenderId } : {}),
                    STORE_NAME: args.notifications.storeName,
                    STORE_URL: args.notifications.storeUrl,
                    DEAD_LETTER_QUEUE_URL: q[queue].deadLetter.url,
                },
                grants: pulumi.output({
                    consumes: [q[queue].arn],
                    sendsTo: [q[queue].deadLetter.arn],
                    messagingKeyArn: args.messagingKeyArn,
                    sendsEmailAs: sesResources(args),
                    sendsSms: true,
                }),
                onFailureDestinationArn: q[queue].deadLetter.arn,
                asyncRetryAttempts: 0,
            });
        const notifier = notifierFor(
            "notifier",
            "notifications",
            "Sends order confirmations, shipping updates and low-stock alerts (SES e-mail, SNS SMS)",
        );
        const reminders = notifierFor(
            "cart-reminders",
            "cart-events",
            "Sends abandoned-cart reminders from the cart events queue (the notifier's code)",
        );

        const sharpLayer = new aws.lambda.LayerVersion(
            `${name}-sharp`,
            {
                layerName: `${args.namePrefix}-sharp`,
                description: "sharp with its prebuilt linux-arm64 (glibc) binaries, for the thumbnailer",
                code: sharpLayerArchive(),
                compatibleRuntimes: [RUNTIME],
                compatibleArchitectures: [ARCHITECTURE],
            },
            { parent: this },
        );
        const thumbnailer = build("thumbnailer", {
            description: "Makes WebP thumbnails under thumbnails/ of images uploaded under uploads/",
            code: handlerArchive("app/functions/thumbnailer/index.ts", { external: ["sharp"] }),
            environment: {
                THUMBNAIL_WIDTHS: args.thumbnails.widths.join(","),
                MAX_SOURCE_BYTES: String(args.thumbnails.maxSourceBytes),
                MAX_INPUT_PIXELS: String(args.thumbnails.maxInputPixels),
            },
            grants: pulumi.output({
                // Fed by S3 directly; an upload that failed every asynchronous attempt comes back
                // through the image queue (its failure destination), which it also consumes.
                consumes: [q.images.arn],
                sendsTo: [q.images.arn],
                messagingKeyArn: args.messagingKeyArn,
                objects: {
                    bucketArn: args.assetsBucketArn,
                    readPrefixes: [args.uploadsPrefix],
                    writePrefixes: [THUMBNAILS_PREFIX],
                    keyArn: args.assetsKeyArn,
                },
            }),
            layers: [sharpLayer.arn],
            onFailureDestinationArn: q.images.arn,
            asyncRetryAttempts: 2,
        });

        const redrive = build("dlq-redrive", {
            description: "Operators: reports what sits in the dead-letter queues and redrives them on request",
            code: handlerArchive("app/functions/dlq-redrive/index.ts"),
            environment: {
                REDRIVE_QUEUES: pulumi
                    .output(
                        Object.fromEntries(
                            QUEUE_NAMES.map((queue) => [
                                queue,
                                { deadLetterQueueUrl: q[queue].deadLetter.url, sourceQueueUrl: q[queue].url },
                            ]),
                        ),
                    )
                    .apply((pairs) => JSON.stringify(pairs)),
            },
            grants: pulumi.output({
                consumes: QUEUE_NAMES.map((queue) => q[queue].deadLetter.arn),
                sendsTo: QUEUE_NAMES.map((queue) => q[queue].arn),
                publishesTo: [args.alertTopicArn],
                messagingKeyArn: args.messagingKeyArn,
            }),
            onFailureDestinationArn: args.alertTopicArn,
            asyncRetryAttempts: 0,
        });

        const built: Record<FunctionName, LambdaFunction> = {
            "order-intake": intake,
            "order-processor": processor,
            notifier,
            "cart-reminders": reminders,
            thumbnailer,
            "cart-abandonment": sweep,
            "dlq-redrive": redrive,
            "db-migrate": migrator,
        };
        for (const queue of QUEUE_NAMES)
            queueTrigger(`${name}-${queue}`, q[queue].arn, built[QUEUE_CONSUMERS[queue]], args.queues[queue], this);
        uploadTrigger(
            `${name}-uploads`,
            thumbnailer,
            {
                accountId: args.accountId,
                bucketName: args.assetsBucketName,
                bucketArn: args.assetsBucketArn,
                prefix: args.uploadsPrefix,
            },
            this,
        );
        scheduleTrigger(
            `${name}-cart-sweep`,
            sweep,
            {
                ...args.cartSweep,
                accountId: args.accountId,
                region: args.region,
                scheduleName: `${args.namePrefix}-cart-sweep`,
                deadLetterQueueArn: q["cart-events"].deadLetter.arn,
                messagingKeyArn: args.messagingKeyArn,
            },
            this,
        );
        routeTrigger(
            `${name}-orders`,
            intake,
            {
                apiId: args.httpApiId,
                executionArn: args.httpApiExecutionArn,
                authorizerId: args.httpApiAuthorizerId,
                timeoutSeconds: args.functions["order-intake"].timeoutSeconds,
            },
            this,
        );

        this.functionNames = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, built[fn].function.name])) as Record<
            FunctionName,
            pulumi.Output<string>
        >;
        this.alarmTargets = FUNCTION_NAMES.map((fn) => ({ name: fn, functionName: this.functionNames[fn] }));
        this.paymentSecretArn = paymentSecret.arn;
        this.registerOutputs({ functionNames: this.functionNames, paymentSecretArn: this.paymentSecretArn });
    }
}

/** The SES identity the notifier sends as, and its configuration set when one is used. */
function sesResources(args: FunctionsArgs): string[] {
    const { senderIdentity, configurationSet } = args.notifications;
    return [
        sesIdentityArn(args.region, args.accountId, senderIdentity),
        ...(configurationSet ? [sesConfigurationSetArn(args.region, args.accountId, configurationSet)] : []),
    ];
}

function validate(name: string, args: FunctionsArgs): void {
    const fail = (problem: string) => {
        throw new Error(`Functions ${name}: ${problem}`);
    };
    const longest = `${args.namePrefix}-${[...FUNCTION_NAMES].sort((a, b) => b.length - a.length)[0]}`;
    if (!/^[A-Za-z0-9-]+$/.test(args.namePrefix) || longest.length > MAX_FUNCTION_NAME_LENGTH) {
        fail(
            `namePrefix "${args.namePrefix}" makes function names like ${longest}: Lambda allows letters, digits and hyphens, at most ${MAX_FUNCTION_NAME_LENGTH}`,
        );
    }
    if (`${args.namePrefix}-cart-sweep`.length > MAX_SCHEDULE_NAME_LENGTH)
        fail(`namePrefix "${args.namePrefix}" makes the schedule's name longer than ${MAX_SCHEDULE_NAME_LENGTH}`);
    if (args.privateSubnetIds.length < 2)
        fail(`the VPC functions need private subnets in at least 2 zones, got ${args.privateSubnetIds.length}`);
    if (!args.uploadsPrefix.endsWith("/") || THUMBNAILS_PREFIX.startsWith(args.uploadsPrefix)) {
        fail(
            `uploadsPrefix "${args.uploadsPrefix}" must be a folder (ending in "/") that does not contain ${THUMBNAILS_PREFIX}, or thumbnails would trigger the thumbnailer`,
        );
    }
    for (const queue of QUEUE_NAMES) {
        const consumer = QUEUE_CONSUMERS[queue];
        if (args.queues[queue].maximumConcurrency < 2 || args.queues[queue].maximumConcurrency > 1000) {
            fail(
                `${queue}: maximumConcurrency must be 2-1000 (Lambda's range for SQS event sources), got ${args.queues[queue].maximumConcurrency}`,
            );
        }
        if (args.queues[queue].visibilityTimeoutSeconds < args.functions[consumer].timeoutSeconds) {
            fail(
                `${queue}: the queue's visibility timeout (${args.queues[queue].visibilityTimeoutSeconds}s) is shorter than ${consumer}'s timeout: Lambda rejects the mapping`,
            );
        }
    }
}
