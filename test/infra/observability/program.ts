import * as pulumi from "@pulumi/pulumi";
import { loadConfig, RawConfig, runtimeConfig } from "../../../infra/config";
import { KEY_PURPOSES } from "../../../infra/kms/key-policies";
import { KeyRing } from "../../../infra/kms/key-ring";
import { Alerting } from "../../../infra/observability/alerting";
import { trailArn } from "../../../infra/observability/audit-trail";
import { SecurityMonitoring } from "../../../infra/observability/security-monitoring";
import { ServiceHealth } from "../../../infra/observability/service-health";
import { TierTargets } from "../../../infra/observability/targets";
import { Program } from "../../../infra/offline/evaluate";
import { regionalProvider, usEast1Provider } from "../../../infra/providers";
import { Graph, planWith } from "../harness";

/**
 * Synthetic tier outputs, as the tiers that do not exist yet will hand them over: the identifiers
 * CloudWatch's dimensions take. Prod has readers and replicas, dev a single instance and node.
 */
export function syntheticTargets(stack: "dev" | "prod"): TierTargets {
    const prod = stack === "prod";
    return {
        edge: {
            distributionId: "E2SHOPDISTRIBUTION",
            webAcls: [
                { name: "cloudfront", metricName: `shop-${stack}-edge`, scope: "CLOUDFRONT" },
                { name: "alb", metricName: `shop-${stack}-alb`, scope: "REGIONAL" },
            ],
            healthCheckId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
        },
        web: {
            loadBalancerArnSuffix: `app/shop-${stack}-web/50dc6c495c0c9188`,
            targetGroupArnSuffix: `targetgroup/shop-${stack}-web/73e2d6bc24d8a067`,
            autoScalingGroupName: `shop-${stack}-web`,
            minInstances: prod ? 3 : 1,
        },
        api: { apiId: "a1b2c3d4e5", stage: "$default" },
        services: {
            clusterName: `shop-${stack}`,
            services: ["catalog", "orders", "users", "payments"].map((name) => ({
                name,
                serviceName: `shop-${stack}-${name}`,
                minTasks: prod ? 2 : 1,
            })),
        },
        cache: {
            replicationGroupId: `shop-${stack}-cache`,
            cacheClusterIds: (prod ? ["001", "002", "003"] : ["001"]).map((n) => `shop-${stack}-cache-${n}`),
        },
        database: {
            clusterIdentifier: `shop-${stack}-db`,
            instanceIdentifiers: (prod ? ["1", "2", "3"] : ["1"]).map((n) => `shop-${stack}-db-${n}`),
        },
        queues: ["orders", "notifications", "images", "carts"].map((name) => ({
            name,
            queueName: `shop-${stack}-${name}`,
            deadLetterQueueName: `shop-${stack}-${name}-dlq`,
            ...(name === "orders" ? { maxMessageAgeSeconds: 300 } : {}),
        })),
        functions: ["order-processor", "notifier", "thumbnailer", "dlq-redrive", "cart-abandonment"].map((name) => ({
            name,
            functionName: `shop-${stack}-${name}`,
        })),
    };
}

export interface ObservabilityInputs {
    targets?: TierTargets;
    assetsBucketArn?: string;
    /** Build Alerting without the us-east-1 provider (no edge topic). */
    withoutEdgeTopic?: boolean;
}

/**
 * The observability tier as the platform wires it, with tier inputs the platform does not have yet:
 * providers, the key ring, alerting, security monitoring and service health.
 */
export function observabilityProgram(inputs: ObservabilityInputs): Program {
    return () => {
        const { stack, observability } = loadConfig(runtimeConfig());
        const opts = { provider: regionalProvider(stack) };
        const edgeProvider = usEast1Provider(stack);
        const keys = new KeyRing(
            "keys",
            {
                accountId: stack.accountId,
                region: stack.region,
                purposes: KEY_PURPOSES,
                aliasPrefix: stack.namePrefix,
                deletionWindowInDays: stack.keyDeletionWindowDays,
                cloudTrailArn: trailArn(stack.region, stack.accountId, observability.trail.name),
            },
            opts,
        );
        const alerting = new Alerting(
            "alerting",
            {
                accountId: stack.accountId,
                region: stack.region,
                namePrefix: stack.namePrefix,
                messagingKeyArn: keys.arn("messaging"),
                email: stack.alertEmail,
                webhookUrl: observability.webhookUrl,
                keyDeletionWindowDays: stack.keyDeletionWindowDays,
                ...(inputs.withoutEdgeTopic ? {} : { edgeProvider }),
            },
            opts,
        );
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
                assetsBucketArn: inputs.assetsBucketArn,
                protectAuditLogs: stack.deletionProtection,
            },
            opts,
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
                ...inputs.targets,
            },
            opts,
        );
        return { dashboardUrl: health.dashboardUrl } as Record<string, pulumi.Input<unknown>>;
    };
}

/** The observability program's graph for a configuration. */
export async function observabilityGraph(raw: RawConfig, inputs: ObservabilityInputs): Promise<Graph> {
    return new Graph(await planWith(raw, observabilityProgram(inputs)));
}
