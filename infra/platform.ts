import * as pulumi from "@pulumi/pulumi";
import { HttpApi } from "./api/http-api";
import { Functions } from "./async/functions";
import { Queues } from "./async/queues";
import { Cache, CACHE_PORT } from "./cache/cache";
import { PlatformConfig } from "./config";
import { POSTGRES_PORT } from "./data/aurora-postgresql";
import { Database } from "./data/database";
import { KeyRing } from "./kms/key-ring";
import { KEY_PURPOSES } from "./kms/key-policies";
import { Assets } from "./edge/assets";
import { Domain } from "./edge/domain";
import { Edge } from "./edge/edge";
import { Identity } from "./edge/identity";
import { Network } from "./network/network";
import { WorkloadSecurityGroups } from "./network/workload-security-groups";
import { Alerting } from "./observability/alerting";
import { trailArn } from "./observability/audit-trail";
import { CostBudget } from "./observability/cost-budget";
import { SecurityMonitoring } from "./observability/security-monitoring";
import { ServiceHealth } from "./observability/service-health";
import { regionalProvider, usEast1Provider } from "./providers";
import { ACCESS_LOG_PREFIX as INTERNAL_ACCESS_LOG_PREFIX, InternalRouting } from "./services/internal-routing";
import { Microservices } from "./services/microservices";
import { SharedFiles } from "./storage/shared-files";
import { WebServers } from "./web/web-servers";
import {
    functionWorkload,
    ServiceName,
    serviceWorkload,
    SERVICES,
    VPC_FUNCTIONS,
    VpcFunctionName,
    WORKLOADS,
} from "./workloads";

/**
 * Builds every tier of the platform from the validated configuration and returns the stack
 * outputs that application pipelines consume (the README documents each).
 */
export function buildPlatform(config: PlatformConfig): Record<string, pulumi.Input<unknown>> {
    const { stack, observability } = config;
    const regional = { provider: regionalProvider(stack) };
    const edgeProvider = usEast1Provider(stack);

    const keys = new KeyRing(
        "keys",
        {
            accountId: stack.accountId,
            region: stack.region,
            purposes: KEY_PURPOSES,
            aliasPrefix: stack.namePrefix,
            deletionWindowInDays: stack.keyDeletionWindowDays,
            cloudTrailArn:
                observability.trail.source === "stack"
                    ? trailArn(stack.region, stack.accountId, observability.trail.name)
                    : undefined,
        },
        regional,
    );

    // Built early so that every tier can send alerts; the us-east-1 topic serves the edge's alarms.
    const alerting = new Alerting(
        "alerting",
        {
            accountId: stack.accountId,
            region: stack.region,
            namePrefix: stack.namePrefix,
            messagingKeyArn: keys.arn("messaging"),
            email: stack.alertEmail,
            webhookUrl: observability.webhookUrl,
            edgeProvider,
            keyDeletionWindowDays: stack.keyDeletionWindowDays,
        },
        regional,
    );

    // CloudFront and its WAF log in us-east-1, where keys of the stack's region cannot serve.
    const edgeKeys = new KeyRing(
        "edge-keys",
        {
            accountId: stack.accountId,
            region: "us-east-1",
            purposes: ["logs"],
            aliasPrefix: `${stack.namePrefix}-edge`,
            deletionWindowInDays: stack.keyDeletionWindowDays,
        },
        { provider: edgeProvider },
    );

    const network = new Network(
        "network",
        {
            vpcCidr: config.network.vpcCidr,
            subnets: config.network.subnets,
            natStrategy: config.network.natStrategy,
            interfaceEndpoints: config.network.interfaceEndpoints,
            region: stack.region,
            accountId: stack.accountId,
            flowLogGroupName: `/aws/vpc/flow-logs/${stack.namePrefix}`,
            flowLogRetentionInDays: stack.logRetentionDays,
            logsKeyArn: keys.arn("logs"),
        },
        regional,
    );

    const workloadGroups = new WorkloadSecurityGroups(
        "workloads",
        { vpcId: network.vpcId, workloads: WORKLOADS },
        regional,
    );
    const groupsOf = (workloads: readonly string[]) =>
        Object.fromEntries(workloads.map((w) => [w, workloadGroups.id(w)]));
    const services = SERVICES.map(serviceWorkload);
    const vpcFunctions = VPC_FUNCTIONS.map(functionWorkload);

    const domain = new Domain(
        "domain",
        {
            domainName: stack.domain.name,
            hostedZoneId: stack.domain.hostedZoneId,
            edgeProvider,
        },
        regional,
    );

    // Every service and every VPC function reaches Aurora; the web servers go through the API.
    const database = new Database(
        "database",
        {
            ...config.database,
            deletionProtection: stack.deletionProtection,
            vpcId: network.vpcId,
            subnetIds: network.isolatedSubnetIds,
            availabilityZones: network.zones,
            allowedSourceSecurityGroupIds: groupsOf([...services, ...vpcFunctions]),
            dataKeyArn: keys.arn("data"),
            logsKeyArn: keys.arn("logs"),
            logRetentionInDays: stack.logRetentionDays,
            accountId: stack.accountId,
            region: stack.region,
        },
        regional,
    );

    const cache = new Cache(
        "cache",
        {
            namePrefix: stack.namePrefix,
            vpcId: network.vpcId,
            subnetIds: network.isolatedSubnetIds,
            zones: network.zones,
            clientSecurityGroups: groupsOf(["web", ...services, ...vpcFunctions]),
            ...config.cache,
            finalSnapshot: stack.deletionProtection,
            dataKeyArn: keys.arn("data"),
            logsKeyArn: keys.arn("logs"),
            logRetentionDays: stack.logRetentionDays,
            secretRecoveryWindowDays: stack.keyDeletionWindowDays,
        },
        regional,
    );

    const files = new SharedFiles(
        "files",
        {
            vpcId: network.vpcId,
            subnetIds: network.isolatedSubnetIds,
            zones: network.zones,
            // Product media: the catalog service writes uploads and reads them back.
            clientSecurityGroups: groupsOf([serviceWorkload("catalog")]),
            accessPoints: config.storage.accessPoints,
            transitionToIaDays: config.storage.transitionToIaDays,
            dataKeyArn: keys.arn("data"),
            deletionProtection: stack.deletionProtection,
        },
        regional,
    );

    const web = new WebServers(
        "web",
        {
            namePrefix: stack.namePrefix,
            accountId: stack.accountId,
            region: stack.region,
            vpcId: network.vpcId,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            webSecurityGroupId: workloadGroups.id("web"),
            certificateArn: domain.originCertificateArn,
            originVerifySecret: domain.originVerifySecret,
            originDomainName: domain.originDomainName,
            hostedZoneId: domain.zoneId,
            deletionProtection: stack.deletionProtection,
            accessLogRetentionDays: stack.logRetentionDays,
            sharedAccessLogPrefixes: [INTERNAL_ACCESS_LOG_PREFIX],
            ...config.web,
            dataKeyArn: keys.arn("data"),
            cacheSecurityGroupId: cache.securityGroupId,
            cachePort: cache.port,
            cacheSecretArn: cache.authSecretArn,
            instanceTags: stack.tags,
        },
        regional,
    );

    // The pool mails as the notifier's verified sender, in dev too: dev has a sender configured
    // like prod's (its notifier needs it verified anyway), Cognito's own sender would stop dev's
    // sign-ups after 50 messages a day, and dev proves the SES path first (CreateUserPool refuses
    // an unverified identity, so a missing verification fails dev's deployment before prod's).
    const { senderIdentity, senderEmail, storeName, configurationSet } = config.async.notifications;
    const identity = new Identity(
        "identity",
        {
            ...config.identity,
            region: stack.region,
            accountId: stack.accountId,
            emailSenderIdentity: senderIdentity,
            emailSenderAddress: senderEmail,
            emailSenderName: storeName,
            emailConfigurationSet: configurationSet,
            poolName: `${stack.namePrefix}-users`,
            deletionProtection: stack.deletionProtection,
        },
        regional,
    );

    const assets = new Assets(
        "assets",
        {
            bucketName: `${stack.namePrefix}-assets-${stack.accountId}`,
            kmsKeyArn: keys.arn("assets"),
            noncurrentVersionRetentionDays: config.edge.assetVersionRetentionDays,
            forceDestroy: !stack.deletionProtection,
        },
        regional,
    );

    // The queues exist before the services, so that the orders service may send to the orders queue.
    const queues = new Queues(
        "queues",
        {
            namePrefix: stack.namePrefix,
            region: stack.region,
            accountId: stack.accountId,
            maxReceiveCount: config.async.maxReceiveCount,
            messageRetentionSeconds: config.async.messageRetentionSeconds,
            queues: config.async.queues,
            messagingKeyArn: keys.arn("messaging"),
        },
        regional,
    );
    // The services tier: the internal load balancer first (the services name its target groups and
    // wait for its rules), then the services, then the HTTP API that reaches them through it.
    const serviceGroups = Object.fromEntries(SERVICES.map((s) => [s, workloadGroups.id(serviceWorkload(s))])) as Record<
        ServiceName,
        pulumi.Output<string>
    >;
    const routing = new InternalRouting(
        "routing",
        {
            namePrefix: stack.namePrefix,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            serviceSecurityGroupIds: serviceGroups,
            tlsPolicy: config.services.tlsPolicy,
            serverName: domain.internalServicesDomainName,
            hostedZoneId: domain.zoneId,
            deletionProtection: stack.deletionProtection,
            accessLogBucketName: web.accessLogs.bucketName,
            accessLogsReady: web.accessLogs.ready,
        },
        regional,
    );

    const microservices = new Microservices(
        "services",
        {
            ...config.services,
            namePrefix: stack.namePrefix,
            accountId: stack.accountId,
            region: stack.region,
            vpcCidr: network.vpcCidr,
            privateSubnetIds: network.privateSubnetIds,
            serviceSecurityGroupIds: serviceGroups,
            endpointSecurityGroupId: network.endpointSecurityGroupId,
            s3PrefixListId: network.s3PrefixListId,
            loadBalancerSecurityGroupId: routing.securityGroupId,
            loadBalancerArnSuffix: routing.loadBalancerArnSuffix,
            targets: routing.targets,
            databaseSecurityGroupId: database.securityGroupId,
            databasePort: POSTGRES_PORT,
            databaseWriterEndpoint: database.writerEndpoint,
            databaseReaderEndpoint: database.readerEndpoint,
            databaseName: database.databaseName,
            databaseResourceId: database.clusterResourceId,
            cacheSecurityGroupId: cache.securityGroupId,
            cachePort: CACHE_PORT,
            cachePrimaryEndpoint: cache.primaryEndpoint,
            cacheReaderEndpoint: cache.readerEndpoint,
            cacheSecretArn: cache.authSecretArn,
            files,
            assetsBucketName: assets.bucketName,
            assetsBucketArn: assets.bucketArn,
            assetsKeyArn: assets.kmsKeyArn,
            dataKeyArn: keys.arn("data"),
            logsKeyArn: keys.arn("logs"),
            logRetentionDays: stack.logRetentionDays,
            forceDeleteRepositories: !stack.deletionProtection,
            ordersQueue: queues.orders,
            messagingKeyArn: keys.arn("messaging"),
            siteUrl: config.async.notifications.storeUrl,
            userPoolId: identity.userPoolId,
            userPoolArn: identity.userPoolArn,
            userPoolClientId: identity.clientId,
            thumbnails: config.async.thumbnails,
        },
        regional,
    );

    const api = new HttpApi(
        "api",
        {
            namePrefix: stack.namePrefix,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            listenerArn: routing.listenerArn,
            loadBalancerSecurityGroupId: routing.securityGroupId,
            loadBalancerServerName: routing.serverName,
            issuerUrl: identity.issuerUrl,
            audience: identity.clientId,
            domainName: domain.apiDomainName,
            hostedZoneId: domain.zoneId,
            apiRateLimit: config.services.apiRateLimit,
            apiBurstLimit: config.services.apiBurstLimit,
            logRetentionDays: stack.logRetentionDays,
            logsKeyArn: keys.arn("logs"),
        },
        regional,
    );

    // The functions come after the services: POST /orders is a route of their HTTP API.
    const functions = new Functions(
        "functions",
        {
            ...config.async,
            namePrefix: stack.namePrefix,
            accountId: stack.accountId,
            region: stack.region,
            deliveryQueues: queues.queues,
            messagingKeyArn: keys.arn("messaging"),
            dataKeyArn: keys.arn("data"),
            logsKeyArn: keys.arn("logs"),
            logRetentionDays: stack.logRetentionDays,
            secretRecoveryWindowDays: stack.keyDeletionWindowDays,
            privateSubnetIds: network.privateSubnetIds,
            functionSecurityGroupIds: Object.fromEntries(
                VPC_FUNCTIONS.map((fn) => [fn, workloadGroups.id(functionWorkload(fn))]),
            ) as Record<VpcFunctionName, pulumi.Output<string>>,
            endpointSecurityGroupId: network.endpointSecurityGroupId,
            databaseSecurityGroupId: database.securityGroupId,
            databasePort: POSTGRES_PORT,
            databaseHost: database.writerEndpoint,
            databaseName: database.databaseName,
            databaseSecretArn: database.masterSecretArn,
            databaseResourceId: database.clusterResourceId,
            // The migrator reaches Secrets Manager through the network's interface endpoints (or its NAT
            // gateways and private routes): the deploy-time invocation waits for all of it.
            migrationsAfter: [database, network],
            assetsBucketName: assets.bucketName,
            assetsBucketArn: assets.bucketArn,
            assetsKeyArn: assets.kmsKeyArn,
            uploadsPrefix: assets.uploadsPrefix,
            alertTopicArn: alerting.topicArn,
            httpApiId: api.apiId,
            httpApiExecutionArn: api.executionArn,
            httpApiAuthorizerId: api.authorizerId,
        },
        regional,
    );

    const edge = new Edge(
        "edge",
        {
            accountId: stack.accountId,
            region: stack.region,
            namePrefix: stack.namePrefix,
            edgeProvider,
            zoneId: domain.zoneId,
            siteDomainNames: domain.siteDomainNames,
            siteCertificateArn: domain.siteCertificateArn,
            assetsBucketName: assets.bucketName,
            assetsBucketArn: assets.bucketArn,
            assetsBucketRegionalDomainName: assets.bucketRegionalDomainName,
            webOriginDomainName: domain.originDomainName,
            originVerifySecret: domain.originVerifySecret,
            apiDomainName: api.hostName,
            publicLoadBalancerArn: web.loadBalancerArn,
            priceClass: config.edge.priceClass,
            contentSecurityPolicy: config.edge.contentSecurityPolicy,
            staticPathPatterns: config.edge.staticPathPatterns,
            errorPagePath: config.edge.errorPagePath,
            healthCheckPath: config.edge.healthCheckPath,
            rateLimitPer5Minutes: config.edge.rateLimitPer5Minutes,
            blockAnonymousIps: config.edge.blockAnonymousIps,
            logRetentionDays: stack.logRetentionDays,
            edgeLogsKeyArn: edgeKeys.arn("logs"),
            regionalLogsKeyArn: keys.arn("logs"),
        },
        regional,
    );

    // Observability comes last: it takes every tier's resources as typed inputs.
    new SecurityMonitoring(
        "security",
        {
            accountId: stack.accountId,
            region: stack.region,
            namePrefix: stack.namePrefix,
            guardDuty: observability.guardDuty,
            trail: observability.trail,
            auditKeyArn: keys.arn("audit"),
            logsKeyArn: keys.arn("logs"),
            logRetentionDays: stack.logRetentionDays,
            alertTopicArn: alerting.topicArn,
            assetsBucketArn: assets.bucketArn,
            protectAuditLogs: stack.deletionProtection,
        },
        regional,
    );

    const health = new ServiceHealth(
        "health",
        {
            namePrefix: stack.namePrefix,
            region: stack.region,
            thresholds: observability.alarms,
            alertTopicArn: alerting.topicArn,
            edgeAlertTopicArn: alerting.edgeTopicArn,
            edgeProvider,
            edge: { distributionId: edge.distributionId, webAcls: edge.webAcls, healthCheckId: edge.healthCheckId },
            web: {
                loadBalancerArnSuffix: web.loadBalancerArnSuffix,
                targetGroupArnSuffix: web.targetGroupArnSuffix,
                autoScalingGroupName: web.autoScalingGroupName,
                minInstances: config.web.minSize,
            },
            database: {
                clusterIdentifier: database.clusterIdentifier,
                instanceIdentifiers: database.instanceIdentifiers,
            },
            cache: { replicationGroupId: cache.replicationGroupId, cacheClusterIds: cache.memberClusterIds },
            services: {
                clusterName: microservices.clusterName,
                services: SERVICES.map((name) => ({
                    name,
                    serviceName: microservices.services[name].serviceName,
                    minTasks: microservices.services[name].minTasks,
                })),
            },
            api: { apiId: api.apiId, stage: api.stageName },
            queues: queues.alarmTargets,
            functions: functions.alarmTargets,
        },
        regional,
    );

    new CostBudget(
        "budget",
        {
            namePrefix: stack.namePrefix,
            stack: stack.stack,
            settings: observability.budget,
            alertTopicArn: alerting.topicArn,
        },
        regional,
    );

    return {
        region: stack.region,
        availabilityZones: network.zones,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        hostedZoneId: domain.zoneId,
        hostedZoneNameServers: domain.nameServers ?? [],
        databaseWriterEndpoint: database.writerEndpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databasePort: database.port,
        databaseName: database.databaseName,
        databaseMasterSecretArn: database.masterSecretArn,
        databaseSecurityGroupId: database.securityGroupId,
        dataKeyArn: keys.arn("data"),
        siteUrl: edge.siteUrl,
        distributionId: edge.distributionId,
        distributionDomainName: edge.distributionDomainName,
        assetsBucketName: assets.bucketName,
        userPoolId: identity.userPoolId,
        userPoolClientId: identity.clientId,
        userPoolIssuerUrl: identity.issuerUrl,
        hostedUiDomain: identity.hostedUiDomain,
        alertTopicArn: alerting.topicArn,
        dashboardUrl: health.dashboardUrl,
        webLoadBalancerDnsName: web.loadBalancerDnsName,
        webLoadBalancerZoneId: web.loadBalancerZoneId,
        webAutoScalingGroupName: web.autoScalingGroupName,
        cachePrimaryEndpoint: cache.primaryEndpoint,
        cacheReaderEndpoint: cache.readerEndpoint,
        cacheAuthSecretArn: cache.authSecretArn,
        fileSystemId: files.fileSystemId,
        fileSystemAccessPointIds: files.accessPointIds,
        ecrRepositoryUrls: Object.fromEntries(
            SERVICES.map((name) => [name, microservices.services[name].repositoryUrl]),
        ),
        clusterName: microservices.clusterName,
        serviceNames: Object.fromEntries(SERVICES.map((name) => [name, microservices.services[name].serviceName])),
        apiEndpoint: api.endpoint,
        internalLoadBalancerDnsName: routing.loadBalancerDnsName,
        queueUrls: Object.fromEntries(Object.entries(queues.queues).map(([queue, q]) => [queue, q.url])),
        deadLetterQueueUrls: Object.fromEntries(
            Object.entries(queues.queues).map(([queue, q]) => [queue, q.deadLetter.url]),
        ),
        functionNames: functions.functionNames,
        paymentSecretArn: functions.paymentSecretArn,
    };
}
