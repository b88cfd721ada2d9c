import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy, Statement } from "../shared/iam";
import { encryptedLogGroup } from "../shared/log-group";
import { NFS_PORT } from "../storage/shared-files";
import { ServiceName } from "../workloads";
import { containerDefinition, imageReference } from "./container-definition";
import { CONTAINER_PORT, databaseUser, SERVICE_NEEDS, TMP_VOLUME } from "./contract";
import type { DeployedService, MicroservicesArgs } from "./microservices";
import { createEgressRules, egressRules } from "./network-rules";
import { executionStatements, taskStatements } from "./permissions";
import { imageRepository } from "./repository";

export interface MicroserviceArgs extends MicroservicesArgs {
    cluster: aws.ecs.Cluster;
    /** The cluster's capacity providers: a service may only use providers the cluster has. */
    capacity: aws.ecs.ClusterCapacityProviders;
}

/** Where a service's shared-files purpose is mounted in its container. */
export const fileMountPath = (purpose: string) => `/mnt/${purpose}`;

/** One microservice: image repository, roles, log group, network rules, task definition, ECS service, scaling. */
export function createMicroservice(
    name: string,
    service: ServiceName,
    args: MicroserviceArgs,
    parent: pulumi.Resource,
): DeployedService {
    const child = { parent };
    const needs = SERVICE_NEEDS[service];
    const settings = args.settings[service];
    const securityGroupId = args.serviceSecurityGroupIds[service];
    const family = `${args.namePrefix}-${service}`;

    const repository = imageRepository(
        `${name}-images`,
        {
            repositoryName: `${args.namePrefix}/${service}`,
            kmsKeyArn: args.dataKeyArn,
            forceDelete: args.forceDeleteRepositories,
        },
        parent,
    );

    const logGroup = encryptedLogGroup(
        `${name}-logs`,
        {
            logGroupName: `/ecs/${args.namePrefix}/${service}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyArn: args.logsKeyArn,
        },
        child,
    );

    // Both roles trust ECS tasks of this account only (the confused-deputy guard). The task role
    // also names this region's ECS resources, as AWS documents for it; for the execution role AWS
    // documents no aws:SourceArn, and a condition the agent's request does not satisfy would stop
    // every task from starting ("ECS was unable to assume the role").
    const taskTrust = serviceTrustPolicy(
        "ecs-tasks.amazonaws.com",
        args.accountId,
        `arn:aws:ecs:${args.region}:${args.accountId}:*`,
    );
    const executionTrust = serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId);
    const ordersQueue = needs.sendsOrders ? args.ordersQueue : undefined;

    const taskRole = new aws.iam.Role(
        `${name}-task`,
        {
            description: `${family} tasks: what the ${service} code may do`,
            assumeRolePolicy: taskTrust,
        },
        child,
    );
    const taskPolicy = new aws.iam.RolePolicy(
        `${name}-task`,
        {
            role: taskRole.id,
            // Only what the service needs goes in (and only that becomes a dependency of its policy).
            policy: pulumi
                .all([
                    args.databaseResourceId,
                    needs.readsAssets ? pulumi.all([args.assetsBucketArn, args.assetsKeyArn]) : undefined,
                    needs.deletesUsers ? args.userPoolArn : undefined,
                    needs.filePurpose ? args.files.clientStatement(needs.filePurpose, "read-write") : undefined,
                    ordersQueue
                        ? pulumi.all([ordersQueue.arn, args.messagingKeyArn as pulumi.Input<string>])
                        : undefined,
                ])
                .apply(([databaseResourceId, assets, userPoolArn, files, queue]) =>
                    JSON.stringify(
                        policyDocument(
                            ...taskStatements({
                                region: args.region,
                                accountId: args.accountId,
                                databaseResourceId,
                                databaseUser: databaseUser(service),
                                assets: assets && { bucketArn: assets[0], kmsKeyArn: assets[1] },
                                signsUploads: needs.signsUploads,
                                deletesUsersFrom: userPoolArn,
                                files: files as Statement | undefined,
                                ordersQueue: queue && { arn: queue[0], kmsKeyArn: queue[1] },
                            }),
                        ),
                    ),
                ),
        },
        child,
    );

    // Secrets are injected by ECS from Secrets Manager; the execution role reads exactly these.
    const secrets = { CACHE_AUTH_TOKEN: { arn: args.cacheSecretArn, jsonKey: "authToken" } };
    const executionRole = new aws.iam.Role(
        `${name}-execution`,
        {
            description: `${family} tasks: pull the image, write logs, read the service secrets`,
            assumeRolePolicy: executionTrust,
        },
        child,
    );
    const executionPolicy = new aws.iam.RolePolicy(
        `${name}-execution`,
        {
            role: executionRole.id,
            policy: pulumi
                .all([
                    repository.arn,
                    logGroup.arn,
                    pulumi.all(Object.values(secrets).map((s) => s.arn)),
                    args.dataKeyArn,
                ])
                .apply(([repositoryArn, logGroupArn, secretArns, secretsKeyArn]) =>
                    JSON.stringify(
                        policyDocument(
                            ...executionStatements({
                                region: args.region,
                                repositoryArn,
                                logGroupArn,
                                secretArns: [...new Set(secretArns)],
                                secretsKeyArn,
                            }),
                        ),
                    ),
                ),
        },
        child,
    );

    // The services' settings (app/services/kit/settings.ts reads them; a test keeps the two in step).
    const environment = pulumi.all({
        SERVICE_NAME: service,
        PORT: String(CONTAINER_PORT),
        AWS_REGION: args.region,
        DB_HOST: args.databaseWriterEndpoint,
        DB_READER_HOST: args.databaseReaderEndpoint,
        DB_PORT: String(args.databasePort),
        DB_NAME: args.databaseName,
        DB_USER: databaseUser(service),
        // The password is an IAM authentication token the task signs with its role; TLS verifies the server.
        DB_AUTH: "iam",
        DB_SSL_MODE: "verify-full",
        CACHE_HOST: args.cachePrimaryEndpoint,
        CACHE_READER_HOST: args.cacheReaderEndpoint,
        CACHE_PORT: String(args.cachePort),
        CACHE_TLS: "true",
        COGNITO_USER_POOL_ID: args.userPoolId,
        COGNITO_CLIENT_ID: args.userPoolClientId,
        SITE_URL: args.siteUrl,
        ...(needs.readsAssets ? { ASSETS_BUCKET: args.assetsBucketName } : {}),
        ...(needs.signsUploads
            ? {
                  THUMBNAIL_WIDTHS: args.thumbnails.widths.join(","),
                  UPLOAD_MAX_BYTES: String(args.thumbnails.maxSourceBytes),
              }
            : {}),
        ...(needs.filePurpose ? { SHARED_FILES_DIR: fileMountPath(needs.filePurpose) } : {}),
        ...(ordersQueue ? { ORDERS_QUEUE_URL: ordersQueue.url } : {}),
    });
    const secretReferences = pulumi.all(
        Object.fromEntries(
            Object.entries(secrets).map(([variable, s]) => [variable, pulumi.interpolate`${s.arn}:${s.jsonKey}::`]),
        ),
    );

    const taskDefinition = new aws.ecs.TaskDefinition(
        `${name}-task`,
        {
            family,
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            cpu: String(settings.cpu),
            memory: String(settings.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture },
            taskRoleArn: taskRole.arn,
            executionRoleArn: executionRole.arn,
            volumes: [
                // Scratch space on the task's ephemeral storage: the root file system is read-only.
                { name: TMP_VOLUME },
                ...(needs.filePurpose ? [args.files.volume(needs.filePurpose)] : []),
            ],
            containerDefinitions: pulumi
                .all([repository.repositoryUrl, environment, secretReferences, logGroup.name])
                .apply(([url, env, refs, logGroupName]) =>
                    JSON.stringify([
                        containerDefinition({
                            name: service,
                            image: imageReference(url, settings.imageTag),
                            environment: env,
                            secrets: refs,
                            logGroupName,
                            region: args.region,
                            fileMount: needs.filePurpose
                                ? { volume: needs.filePurpose, path: fileMountPath(needs.filePurpose) }
                                : undefined,
                        }),
                    ]),
                ),
            // Keep superseded revisions registered: the circuit breaker's rollback and a manual
            // `update-service --task-definition <previous>` need them.
            skipDestroy: true,
            tags: { Name: family },
        },
        child,
    );

    const admitted = new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-alb`,
        {
            securityGroupId,
            referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: CONTAINER_PORT,
            toPort: CONTAINER_PORT,
            description: "HTTP from the internal load balancer only",
        },
        child,
    );
    const egress = createEgressRules(
        name,
        securityGroupId,
        egressRules(needs, {
            databaseSecurityGroupId: args.databaseSecurityGroupId,
            databasePort: args.databasePort,
            cacheSecurityGroupId: args.cacheSecurityGroupId,
            cachePort: args.cachePort,
            fileSystemSecurityGroupId: args.files.securityGroupId,
            fileSystemPort: NFS_PORT,
            endpointSecurityGroupId: args.endpointSecurityGroupId,
            s3PrefixListId: args.s3PrefixListId,
            vpcCidr: args.vpcCidr,
        }),
        parent,
    );

    const target = args.targets[service];
    const ecsService = new aws.ecs.Service(
        `${name}-service`,
        {
            name: service,
            cluster: args.cluster.arn,
            taskDefinition: taskDefinition.arn,
            // Bootstrap: no task until the image exists; auto scaling raises the count when it ends.
            desiredCount: args.bootstrap ? 0 : settings.minTasks,
            capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            platformVersion: "LATEST",
            networkConfiguration: {
                subnets: args.privateSubnetIds,
                securityGroups: [securityGroupId],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: target.arn, containerName: service, containerPort: CONTAINER_PORT }],
            healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds,
            // Start the new tasks before stopping old ones; a deployment that cannot become healthy is rolled back.
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentController: { type: "ECS" },
            availabilityZoneRebalancing: "ENABLED",
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: false,
            tags: { Name: family },
        },
        {
            parent,
            // The target group must be in use by a listener, the provider registered with the cluster,
            // and the roles' permissions and the network rules in place before ECS starts the first task.
            dependsOn: [target.rule, args.capacity, taskPolicy, executionPolicy, admitted, ...egress],
            // Auto scaling owns the running count; a deployment must not reset it to the configured start.
            ignoreChanges: ["desiredCount"],
        },
    );

    const scaling = new aws.appautoscaling.Target(
        `${name}-scaling`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${args.cluster.name}/${ecsService.name}`,
            minCapacity: args.bootstrap ? 0 : settings.minTasks,
            maxCapacity: settings.maxTasks,
        },
        child,
    );
    new aws.appautoscaling.Policy(
        `${name}-cpu`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: scaling.serviceNamespace,
            scalableDimension: scaling.scalableDimension,
            resourceId: scaling.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                targetValue: settings.cpuTargetPercent,
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        },
        child,
    );
    new aws.appautoscaling.Policy(
        `${name}-requests`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: scaling.serviceNamespace,
            scalableDimension: scaling.scalableDimension,
            resourceId: scaling.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${target.arnSuffix}`,
                },
                targetValue: settings.requestsPerTarget,
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        },
        { parent, dependsOn: [target.rule] },
    );

    return { serviceName: ecsService.name, repositoryUrl: repository.repositoryUrl, minTasks: settings.minTasks };
}
