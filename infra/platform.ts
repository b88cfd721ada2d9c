import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config";
import { Database } from "./data/database";
import { KeyRing } from "./kms/key-ring";
import { KEY_PURPOSES } from "./kms/key-policies";
import { Domain } from "./edge/domain";
import { Network } from "./network/network";
import { WorkloadSecurityGroups } from "./network/workload-security-groups";
import { regionalProvider, usEast1Provider } from "./providers";
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

    const domain = new Domain("domain", {
        domainName: stack.domain.name,
        hostedZoneId: stack.domain.hostedZoneId,
        edgeProvider,
    }, regional);

    // Every service and every VPC function reaches Aurora; the web servers go through the API.
    const databaseClients = [...SERVICES.map(serviceWorkload), ...VPC_FUNCTIONS.map(functionWorkload)];
    const database = new Database("database", {
        ...config.database,
        deletionProtection: stack.deletionProtection,
        vpcId: network.vpcId,
        subnetIds: network.isolatedSubnetIds,
        availabilityZones: network.zones,
        allowedSourceSecurityGroupIds: Object.fromEntries(databaseClients.map((w) => [w, workloadGroups.id(w)])),
        dataKeyArn: keys.arn("data"),
        logsKeyArn: keys.arn("logs"),
        logRetentionInDays: stack.logRetentionDays,
        accountId: stack.accountId,
        region: stack.region,
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
        databaseWriterEndpoint: database.writerEndpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databasePort: database.port,
        databaseName: database.databaseName,
        databaseMasterSecretArn: database.masterSecretArn,
        databaseSecurityGroupId: database.securityGroupId,
        dataKeyArn: keys.arn("data"),
    };
}
