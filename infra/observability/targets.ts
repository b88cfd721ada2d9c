import * as pulumi from "@pulumi/pulumi";

/**
 * What each tier hands the observability tier: exactly the identifiers CloudWatch's dimensions
 * take, so that alarms and dashboard widgets can be built for whatever tiers exist. `name` fields
 * are short static labels (they become part of resource and alarm names).
 */

/** The public web tier (issue: application tier part 2). */
export interface WebTargets {
    /** The public ALB's `arnSuffix` ("app/<name>/<id>"), the LoadBalancer dimension. */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The web servers' target group `arnSuffix` ("targetgroup/<name>/<id>"). */
    targetGroupArnSuffix: pulumi.Input<string>;
    /** The Auto Scaling group's name; the group must collect GroupInServiceInstances (metricsCollection). */
    autoScalingGroupName: pulumi.Input<string>;
    /** The group's minimum size: fewer instances in service than this is an incident. */
    minInstances: number;
}

export interface ServiceTarget {
    /** Static label, e.g. "catalog". */
    name: string;
    serviceName: pulumi.Input<string>;
    /** The service's minimum task count (auto scaling minimum): fewer running tasks is an incident. */
    minTasks: number;
}

/** The ECS services (application tier part 1); the cluster has Container Insights on. */
export interface ServicesTargets {
    clusterName: pulumi.Input<string>;
    services: ServiceTarget[];
}

/** The HTTP API (API Gateway v2). */
export interface ApiTargets {
    apiId: pulumi.Input<string>;
    /** The stage name, "$default" for the default stage. */
    stage: pulumi.Input<string>;
}

/** Aurora: cluster-level metrics by role cover readers added by auto scaling too. */
export interface DatabaseTargets {
    clusterIdentifier: pulumi.Input<string>;
    /** The instances the program creates (writer first); more than one means there are readers. */
    instanceIdentifiers: pulumi.Input<string>[];
}

/** ElastiCache (Redis OSS / Valkey, cluster mode disabled). */
export interface CacheTargets {
    replicationGroupId: pulumi.Input<string>;
    /** The member cache clusters ("<group>-001", ...), the CacheClusterId dimension; at most 10. */
    cacheClusterIds: pulumi.Input<string>[];
}

export interface QueueTarget {
    /** Static label, e.g. "orders". */
    name: string;
    queueName: pulumi.Input<string>;
    deadLetterQueueName: pulumi.Input<string>;
    /** Overrides observability.alarms.queueOldestMessageSeconds for this queue. */
    maxMessageAgeSeconds?: number;
}

export interface FunctionTarget {
    /** Static label, e.g. "order-processor". */
    name: string;
    functionName: pulumi.Input<string>;
}

export interface WebAclTarget {
    /** Static label, e.g. "cloudfront" or "alb". */
    name: string;
    /** The web ACL's visibilityConfig.metricName: the WebACL dimension of its metrics. */
    metricName: pulumi.Input<string>;
    /** CLOUDFRONT-scope metrics are in us-east-1 (no Region dimension); REGIONAL ones in the stack's region. */
    scope: "CLOUDFRONT" | "REGIONAL";
}

/** The edge: CloudFront, its WAFs and the site's Route 53 health check (all us-east-1 metrics but the REGIONAL WAF's). */
export interface EdgeTargets {
    distributionId?: pulumi.Input<string>;
    webAcls?: WebAclTarget[];
    healthCheckId?: pulumi.Input<string>;
}

/** Every tier's targets; each is optional and alarms and widgets exist for what is given. */
export interface TierTargets {
    edge?: EdgeTargets;
    web?: WebTargets;
    api?: ApiTargets;
    services?: ServicesTargets;
    cache?: CacheTargets;
    database?: DatabaseTargets;
    queues?: QueueTarget[];
    functions?: FunctionTarget[];
}
