import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config";
import { KeyRing } from "./kms/key-ring";
import { KEY_PURPOSES } from "./kms/key-policies";
import { Domain } from "./edge/domain";
import { Network } from "./network/network";
import { WorkloadSecurityGroups } from "./network/workload-security-groups";
import { Alerting } from "./observability/alerting";
import { trailArn } from "./observability/audit-trail";
import { CostBudget } from "./observability/cost-budget";
import { SecurityMonitoring } from "./observability/security-monitoring";
import { ServiceHealth } from "./observability/service-health";
import { regionalProvider, usEast1Provider } from "./providers";
import { WORKLOADS } from "./workloads";

/**
 * Builds every tier of the platform from the validated configuration and returns the stack
 * outputs that application pipelines consume (the README documents each).
 */
export function buildPlatform(config: PlatformConfig): Record<string, pulumi.Input<unknown>> {
    const { stack, observability } = config;
    const regional = { provider: regionalProvider(stack) };
    const edgeProvider = usEast1Provider(stack);

    const keys = new KeyRing("keys", {
        accountId: stack.accountId,
        region: stack.region,
        purposes: KEY_PURPOSES,
        aliasPrefix: stack.namePrefix,
        deletionWindowInDays: stack.keyDeletionWindowDays,
        cloudTrailArn: observability.trail.source === "stack" ? trailArn(stack.region, stack.accountId, observability.trail.name) : undefined,
    }, regional);

    // Built early so that every tier can send alerts; the us-east-1 topic serves the edge's alarms.
    const alerting = new Alerting("alerting", {
        accountId: stack.accountId,
        region: stack.region,
        namePrefix: stack.namePrefix,
        messagingKeyArn: keys.arn("messaging"),
        email: stack.alertEmail,
        webhookUrl: observability.webhookUrl,
        edgeProvider,
        keyDeletionWindowDays: stack.keyDeletionWindowDays,
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

    new WorkloadSecurityGroups("workloads", { vpcId: network.vpcId, workloads: WORKLOADS }, regional);

    const domain = new Domain("domain", {
        domainName: stack.domain.name,
        hostedZoneId: stack.domain.hostedZoneId,
        edgeProvider,
    }, regional);

    // Observability comes last: it takes every tier's resources as typed inputs.
    new SecurityMonitoring("security", {
        accountId: stack.accountId,
        region: stack.region,
        namePrefix: stack.namePrefix,
        guardDuty: observability.guardDuty,
        trail: observability.trail,
        auditKeyArn: keys.arn("audit"),
        logsKeyArn: keys.arn("logs"),
        logRetentionDays: stack.logRetentionDays,
        alertTopicArn: alerting.topicArn,
        // INTEGRATION: assetsBucketArn: <edge tier>.assetsBucketArn (object-level data events in prod).
        protectAuditLogs: stack.deletionProtection,
    }, regional);

    const health = new ServiceHealth("health", {
        namePrefix: stack.namePrefix,
        region: stack.region,
        thresholds: observability.alarms,
        alertTopicArn: alerting.topicArn,
        edgeAlertTopicArn: alerting.edgeTopicArn,
        edgeProvider,
        // INTEGRATION: each tier's alarm targets as it lands (infra/observability/targets.ts):
        // edge, web, api, services, cache, database, queues, functions.
    }, regional);

    new CostBudget("budget", {
        namePrefix: stack.namePrefix,
        stack: stack.stack,
        settings: observability.budget,
        alertTopicArn: alerting.topicArn,
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
        alertTopicArn: alerting.topicArn,
        dashboardUrl: health.dashboardUrl,
    };
}
