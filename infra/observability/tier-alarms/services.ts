import { AlarmThresholds } from "../../config";
import { AlarmSpec, WINDOWS } from "../alarm";
import { ServicesTargets } from "../targets";

/**
 * Each ECS service: CPU and memory that target tracking did not bring down within 15 minutes
 * (so the service is at its maximum or scaling is broken), and fewer running tasks than its minimum.
 */
export function servicesAlarms(ecs: ServicesTargets, th: AlarmThresholds): AlarmSpec[] {
    return ecs.services.flatMap((service): AlarmSpec[] => {
        const dimensions = { ClusterName: ecs.clusterName, ServiceName: service.serviceName };
        const saturated = (resource: "CPU" | "Memory", threshold: number): AlarmSpec => ({
            id: `svc-${service.name}-${resource.toLowerCase()}`,
            region: "stack",
            description:
                `The ${service.name} service has averaged more than ${threshold}% ${resource.toLowerCase()} for 15 minutes: auto scaling has not absorbed the load. ` +
                "Do: 1) check on the dashboard whether the service runs its maximum task count (raise the maximum, or the task size, in its config); " +
                "2) otherwise check its scaling policies and recent scaling activity; 3) look for a recent deployment (a leak or a hot loop) and roll back" +
                (resource === "Memory" ? "; tasks above 100% are killed (OOM) and restarted." : "."),
            condition: {
                namespace: "AWS/ECS",
                metricName: `${resource}Utilization`,
                dimensions,
                statistic: "Average",
                comparisonOperator: "GreaterThanThreshold",
                threshold,
                ...WINDOWS.saturation,
                treatMissingData: "notBreaching",
            },
        });
        return [
            saturated("CPU", th.serviceCpuPercent),
            saturated("Memory", th.serviceMemoryPercent),
            {
                id: `svc-${service.name}-running-tasks`,
                region: "stack",
                description:
                    `Fewer than ${service.minTasks} tasks of the ${service.name} service (its minimum) have run for 5 minutes. ` +
                    "Do: 1) read the service's events in the ECS console (failed health checks, image pull errors, insufficient capacity, secrets not readable); " +
                    "2) read the stopped tasks' reasons and the container logs; 3) a failed deployment is rolled back by the circuit breaker: check which task definition runs.",
                condition: {
                    namespace: "ECS/ContainerInsights",
                    metricName: "RunningTaskCount",
                    dimensions,
                    statistic: "Minimum",
                    comparisonOperator: "LessThanThreshold",
                    threshold: service.minTasks,
                    ...WINDOWS.sustained,
                    // Container Insights stops reporting a service with no tasks: no data is an outage.
                    treatMissingData: "breaching",
                },
            },
        ];
    });
}
