import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ReaderScalingArgs {
    clusterIdentifier: pulumi.Input<string>;
    minReaders: number;
    maxReaders: number;
    targetCpuPercent: number;
}

/**
 * Aurora Auto Scaling: Application Auto Scaling keeps the readers' average CPU at the target by
 * adding replicas (same class as the writer, promotion tier 15, in zones AWS picks) and removing
 * only the replicas it added. The count it tracks includes the readers Pulumi manages, so those
 * are the floor; register only after they exist (opts.dependsOn) so that AWS does not race
 * Pulumi to fill the minimum.
 */
export function readerAutoScaling(name: string, args: ReaderScalingArgs, opts: pulumi.CustomResourceOptions): void {
    const target = new aws.appautoscaling.Target(
        name,
        {
            serviceNamespace: "rds",
            scalableDimension: "rds:cluster:ReadReplicaCount",
            resourceId: pulumi.interpolate`cluster:${args.clusterIdentifier}`,
            minCapacity: args.minReaders,
            maxCapacity: args.maxReaders,
        },
        opts,
    );
    new aws.appautoscaling.Policy(
        `${name}-cpu`,
        {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" },
                targetValue: args.targetCpuPercent,
                // A new replica takes several minutes to join; scale in slowly so that a burst does not flap.
                scaleOutCooldown: 300,
                scaleInCooldown: 600,
            },
        },
        { parent: opts.parent },
    );
}
