import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FunctionSettings } from "../config/async";
import { encryptedLogGroup } from "../shared/log-group";
import { FunctionGrants, functionPolicy, lambdaTrustPolicy } from "./permissions";

export const RUNTIME = "nodejs22.x";
export const ARCHITECTURE = "arm64";
/** Lambda's limit on a function's name. */
export const MAX_FUNCTION_NAME_LENGTH = 64;

export interface LambdaFunctionArgs {
    /** The physical name; the log group is /aws/lambda/<functionName>. */
    functionName: string;
    description: string;
    code: pulumi.asset.Archive;
    settings: FunctionSettings;
    /** Plain settings only: ARNs, URLs, names, numbers. Secrets are read from Secrets Manager at run time. */
    environment: Record<string, pulumi.Input<string>>;
    region: string;
    /** The function's grants; its log group (and, in a VPC, its network interfaces) are added. */
    grants: pulumi.Input<Omit<FunctionGrants, "region" | "logGroupArn" | "inVpc">>;
    /** Private subnets and the function's own security group, for functions that reach the data stores. */
    vpc?: { subnetIds: pulumi.Input<string>[]; securityGroupId: pulumi.Input<string> };
    layers?: pulumi.Input<string>[];
    /** Where Lambda sends an asynchronous invocation that failed every attempt (a queue or topic the grants cover). */
    onFailureDestinationArn: pulumi.Input<string>;
    /** Lambda's own retries of a failed asynchronous invocation (0-2). */
    asyncRetryAttempts: number;
    /** Encrypts the environment variables at rest. */
    environmentKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** What must exist before the function is created or updated (e.g. the schema it needs). */
    dependsOn?: pulumi.Resource[];
}

export interface LambdaFunction {
    function: aws.lambda.Function;
    role: aws.iam.Role;
    /** Everything the role may do; the function (and so its triggers) waits for it. */
    rolePolicy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
}

/**
 * A Lambda function as the platform runs them: Node.js 22 on arm64, its own role with exactly its
 * grants, its log group (retention, logs key) created first so that Lambda never creates an
 * unencrypted, never-expiring one, X-Ray active tracing, its environment encrypted with a
 * customer key, reserved concurrency when configured, and a failure destination for asynchronous
 * invocations. The function waits for its role's policy: Lambda checks a VPC function's network
 * permissions when creating it, and the triggers built on it check theirs.
 */
export function lambdaFunction(name: string, args: LambdaFunctionArgs, parent: pulumi.Resource): LambdaFunction {
    const child = { parent };
    const logGroup = encryptedLogGroup(
        name,
        {
            logGroupName: `/aws/lambda/${args.functionName}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyArn: args.logsKeyArn,
        },
        child,
    );

    const role = new aws.iam.Role(
        name,
        {
            description: `Execution role of the ${args.functionName} function`,
            assumeRolePolicy: lambdaTrustPolicy(),
        },
        child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
        name,
        {
            role: role.id,
            policy: pulumi
                .all([logGroup.arn, args.grants])
                .apply(([logGroupArn, grants]) =>
                    JSON.stringify(
                        functionPolicy({ ...grants, region: args.region, logGroupArn, inVpc: args.vpc !== undefined }),
                    ),
                ),
        },
        child,
    );

    const fn = new aws.lambda.Function(
        name,
        {
            name: args.functionName,
            description: args.description,
            role: role.arn,
            runtime: RUNTIME,
            architectures: [ARCHITECTURE],
            handler: "index.handler",
            code: args.code,
            memorySize: args.settings.memoryMb,
            timeout: args.settings.timeoutSeconds,
            reservedConcurrentExecutions: args.settings.reservedConcurrency,
            environment: { variables: { NODE_OPTIONS: "--enable-source-maps", ...args.environment } },
            kmsKeyArn: args.environmentKeyArn,
            tracingConfig: { mode: "Active" },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            vpcConfig: args.vpc
                ? { subnetIds: args.vpc.subnetIds, securityGroupIds: [args.vpc.securityGroupId] }
                : undefined,
            layers: args.layers,
        },
        { parent, dependsOn: [logGroup, rolePolicy, ...(args.dependsOn ?? [])] },
    );

    new aws.lambda.FunctionEventInvokeConfig(
        name,
        {
            functionName: fn.name,
            maximumRetryAttempts: args.asyncRetryAttempts,
            destinationConfig: { onFailure: { destination: args.onFailureDestinationArn } },
        },
        child,
    );

    return { function: fn, role, rolePolicy, logGroup };
}
