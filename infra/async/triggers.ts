import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CartSweepSettings, QueueSettings } from "../config/async";
import { serviceTrustPolicy } from "../shared/iam";
import { LambdaFunction } from "./lambda-function";
import { schedulePolicy } from "./permissions";

/** The route of the public `POST /api/orders` (CloudFront strips `/api`). */
export const ORDER_ROUTE = "POST /orders";
/** API Gateway HTTP APIs wait at most this long for an integration. */
const API_MAX_INTEGRATION_MS = 30000;

/**
 * A queue's event source mapping: batches as configured, at most `maximumConcurrency` concurrent
 * invocations, and per-message failures reported by the handler (only those come back). It waits
 * for the consumer's role policy: Lambda checks the receive permissions when creating it.
 */
export function queueTrigger(
    name: string,
    queueArn: pulumi.Input<string>,
    consumer: LambdaFunction,
    settings: QueueSettings,
    parent: pulumi.Resource,
): aws.lambda.EventSourceMapping {
    return new aws.lambda.EventSourceMapping(
        name,
        {
            eventSourceArn: queueArn,
            functionName: consumer.function.arn,
            batchSize: settings.batchSize,
            maximumBatchingWindowInSeconds: settings.batchingWindowSeconds,
            functionResponseTypes: ["ReportBatchItemFailures"],
            scalingConfig: { maximumConcurrency: settings.maximumConcurrency },
            enabled: true,
        },
        { parent, dependsOn: [consumer.rolePolicy] },
    );
}

export interface UploadTriggerArgs {
    accountId: string;
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    /** Only objects created under it invoke the function (its output goes elsewhere, so it never retriggers). */
    prefix: string;
}

/**
 * S3 ObjectCreated under `prefix` invokes the function (asynchronously). S3 checks that it may
 * invoke the function when the notification is saved, so the permission comes first. This is the
 * bucket's only notification configuration: S3 keeps one per bucket.
 */
export function uploadTrigger(
    name: string,
    target: LambdaFunction,
    args: UploadTriggerArgs,
    parent: pulumi.Resource,
): { permission: aws.lambda.Permission; notification: aws.s3.BucketNotification } {
    const permission = new aws.lambda.Permission(
        name,
        {
            function: target.function.name,
            action: "lambda:InvokeFunction",
            principal: "s3.amazonaws.com",
            sourceArn: args.bucketArn,
            sourceAccount: args.accountId,
        },
        { parent },
    );
    const notification = new aws.s3.BucketNotification(
        name,
        {
            bucket: args.bucketName,
            lambdaFunctions: [
                {
                    id: "uploads-to-thumbnailer",
                    lambdaFunctionArn: target.function.arn,
                    events: ["s3:ObjectCreated:*"],
                    filterPrefix: args.prefix,
                },
            ],
        },
        { parent, dependsOn: [permission] },
    );
    return { permission, notification };
}

export interface ScheduleTriggerArgs extends CartSweepSettings {
    accountId: string;
    region: string;
    scheduleName: string;
    /** Where the scheduler parks a run it could not deliver (after its retries). */
    deadLetterQueueArn: pulumi.Input<string>;
    messagingKeyArn: pulumi.Input<string>;
}

/** Scheduler schedules live in a group; this program uses the account's default group. */
export const SCHEDULE_GROUP = "default";
/** Scheduler's limit on a schedule's name. */
export const MAX_SCHEDULE_NAME_LENGTH = 64;

/**
 * An EventBridge Scheduler schedule that invokes the function (asynchronously), with its own role
 * (trusted by the scheduler for this account's default group only), a retry policy and a DLQ.
 */
export function scheduleTrigger(
    name: string,
    target: LambdaFunction,
    args: ScheduleTriggerArgs,
    parent: pulumi.Resource,
): aws.scheduler.Schedule {
    const role = new aws.iam.Role(
        name,
        {
            description: `EventBridge Scheduler: runs ${args.scheduleName}`,
            assumeRolePolicy: serviceTrustPolicy(
                "scheduler.amazonaws.com",
                args.accountId,
                `arn:aws:scheduler:${args.region}:${args.accountId}:schedule-group/${SCHEDULE_GROUP}`,
            ),
        },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        name,
        {
            role: role.id,
            policy: pulumi
                .all([target.function.arn, args.deadLetterQueueArn, args.messagingKeyArn])
                .apply(([fn, dlq, key]) => JSON.stringify(schedulePolicy(fn, dlq, key, args.region))),
        },
        { parent },
    );
    return new aws.scheduler.Schedule(
        name,
        {
            name: args.scheduleName,
            groupName: SCHEDULE_GROUP,
            description: "Abandoned-cart sweep: one reminder per idle cart",
            scheduleExpression: args.schedule,
            scheduleExpressionTimezone: args.timezone,
            // FLEXIBLE needs a window of 1-1440 minutes; OFF takes none.
            flexibleTimeWindow:
                args.flexibleWindowMinutes > 0
                    ? { mode: "FLEXIBLE", maximumWindowInMinutes: args.flexibleWindowMinutes }
                    : { mode: "OFF" },
            state: "ENABLED",
            target: {
                arn: target.function.arn,
                roleArn: role.arn,
                input: JSON.stringify({ source: "schedule" }),
                retryPolicy: {
                    maximumRetryAttempts: args.retryAttempts,
                    maximumEventAgeInSeconds: args.maximumEventAgeSeconds,
                },
                deadLetterConfig: { arn: args.deadLetterQueueArn },
            },
        },
        { parent, dependsOn: [policy] },
    );
}

export interface RouteTriggerArgs {
    apiId: pulumi.Input<string>;
    /** arn:aws:execute-api:<region>:<account>:<apiId> */
    executionArn: pulumi.Input<string>;
    /** The API's JWT authorizer: the route needs a signed-in customer. */
    authorizerId: pulumi.Input<string>;
    /** The function's timeout: API Gateway waits a second longer, at most 30 s. */
    timeoutSeconds: number;
}

/**
 * `POST /orders` on the HTTP API, behind its JWT authorizer, to the function (payload 2.0). API
 * Gateway may invoke the function for this route only. It takes precedence over the services'
 * `ANY /orders`, which keeps the other methods.
 */
export function routeTrigger(
    name: string,
    target: LambdaFunction,
    args: RouteTriggerArgs,
    parent: pulumi.Resource,
): aws.apigatewayv2.Route {
    const [method, routePath] = ORDER_ROUTE.split(" ");
    const permission = new aws.lambda.Permission(
        name,
        {
            function: target.function.name,
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${args.executionArn}/*/${method}${routePath}`,
        },
        { parent },
    );
    const integration = new aws.apigatewayv2.Integration(
        name,
        {
            apiId: args.apiId,
            description: `${ORDER_ROUTE}: the order intake function`,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: target.function.invokeArn,
            payloadFormatVersion: "2.0",
            timeoutMilliseconds: Math.min(API_MAX_INTEGRATION_MS, (args.timeoutSeconds + 1) * 1000),
        },
        { parent },
    );
    return new aws.apigatewayv2.Route(
        name,
        {
            apiId: args.apiId,
            routeKey: ORDER_ROUTE,
            target: pulumi.interpolate`integrations/${integration.id}`,
            authorizationType: "JWT",
            authorizerId: args.authorizerId,
        },
        { parent, dependsOn: [permission] },
    );
}
