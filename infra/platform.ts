import * as pulumi from "@pulumi/pulumi";
import { Cache } from "./cache/cache";
import { PlatformConfig } from "./config";
import { KeyRing } from "./kms/key-ring";
import { KEY_PURPOSES } from "./kms/key-policies";
import { Domain } from "./edge/domain";
import { Network } from "./network/network";
import { WorkloadSecurityGroups } from "./network/workload-security-groups";
import { regionalProvider, usEast1Provider } from "./providers";
import { SharedFiles } from "./storage/shared-files";
import { WebServers } from "./web/web-servers";
import { functionWorkload, serviceWorkload, SERVICES, VPC_FUNCTIONS, WORKLOADS } from "./workloads";

/**
 * Builds every tier of the platform from the validated configuration and returns the stack
 * outputs that application pipelines consume (the README documents each).
 */
export function buildPlatform(config: PlatformConfig): Record<string, pulumi.Input<unknown>> {
    const { stack } = config;
    const regional = { provider: regionalProvider(stack) };
    const edgeProvider = usEast1Provider(stack);

    const keys = new KeyRing("keys", {
        accountId: stack.accountId,
        region: stack.region,
        purposes: KEY_PURPOSES,
        aliasPrefix: stack.namePrefix,
        deletionWindowInDays: stack.keyDeletionWindowDays,
    }, regional);

    const network = new Network("network", {
        vpcCidr: config.network.vpcCidr,
        subnets: config.network.subnets,
        natStrategy: config.network.natStrategy,
        interfaceEndpoints: config.network.interfaceEndpoints,
        region: stack.region,
        accountId: stack.accountId,
        flowLogGroupName: `/aws/vpc/flow-logs/${stack.namePrefix}`,
        flowLogRetentionInDays: stack.logRetentionDays,
        logsKeyArn: keys.arn("logs"),
    }, regional);

    const workloadGroups = new WorkloadSecurityGroups("workloads", { vpcId: network.vpcId, workloads: WORKLOADS }, regional);
    const groupsOf = (workloads: readonly string[]) => Object.fromEntries(workloads.map((w) => [w, workloadGroups.id(w)]));

    const domain = new Domain("domain", {
        domainName: stack.domain.name,
        hostedZoneId: stack.domain.hostedZoneId,
        edgeProvider,
    }, regional);

    // INTEGRATION: the data tier (Aurora) is built here, before the cache, by its own branch.

    const cache = new Cache("cache", {
        namePrefix: stack.namePrefix,
        vpcId: network.vpcId,
        subnetIds: network.isolatedSubnetIds,
        zones: network.zones,
        clientSecurityGroups: groupsOf(["web", ...SERVICES.map(serviceWorkload), ...VPC_FUNCTIONS.map(functionWorkload)]),
        ...config.cache,
        finalSnapshot: stack.deletionProtection,
        dataKeyArn: keys.arn("data"),
        logsKeyArn: keys.arn("logs"),
        logRetentionDays: stack.logRetentionDays,
        secretRecoveryWindowDays: stack.keyDeletionWindowDays,
    }, regional);

    const files = new SharedFiles("files", {
        vpcId: network.vpcId,
        subnetIds: network.isolatedSubnetIds,
        zones: network.zones,
        // Product media: the catalog service writes uploads and reads them back.
        clientSecurityGroups: groupsOf([serviceWorkload("catalog")]),
        accessPoints: config.storage.accessPoints,
        transitionToIaDays: config.storage.transitionToIaDays,
        dataKeyArn: keys.arn("data"),
        deletionProtection: stack.deletionProtection,
    }, regional);

    const web = new WebServers("web", {
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
        ...config.web,
        dataKeyArn: keys.arn("data"),
        cacheSecurityGroupId: cache.securityGroupId,
        cachePort: cache.port,
        cacheSecretArn: cache.authSecretArn,
        instanceTags: stack.tags,
    }, regional);

    return {
        region: stack.region,
        availabilityZones: network.zones,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        hostedZoneId: domain.zoneId,
        webLoadBalancerDnsName: web.loadBalancerDnsName,
        webLoadBalancerZoneId: web.loadBalancerZoneId,
        webAutoScalingGroupName: web.autoScalingGroupName,
        cachePrimaryEndpoint: cache.primaryEndpoint,
        cacheReaderEndpoint: cache.readerEndpoint,
        cacheAuthSecretArn: cache.authSecretArn,
        fileSystemId: files.fileSystemId,
        fileSystemAccessPointIds: files.accessPointIds,
    };
}
