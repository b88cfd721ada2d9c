import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServicesConfig } from "../config";
import { FARGATE_CPU_UNITS, fargateSizeProblem } from "../config/fargate";
import { Statement } from "../shared/iam";
import { ServiceName, SERVICES } from "../workloads";
import { createMicroservice } from "./microservice";
import { REPOSITORY_NAME } from "./repository";
import type { ServiceTarget } from "./internal-routing";

/** How a task mounts a shared-files purpose (infra/storage/shared-files.ts provides it). */
export interface FileMounts {
    securityGroupId: pulumi.Input<string>;
    volume(purpose: string): aws.types.input.ecs.TaskDefinitionVolume;
    clientStatement(purpose: string, access: "read-only" | "read-write"): pulumi.Output<Statement>;
}

/** The validated `services` settings plus what the other tiers provide. */
export interface MicroservicesArgs extends Pick<
    ServicesConfig,
    "cpuArchitecture" | "healthCheckGracePeriodSeconds" | "bootstrap" | "settings"
> {
    /** Physical names derive from it: the cluster, repositories, task families, log groups. */
    namePrefix: string;
    accountId: string;
    region: string;
    vpcCidr: string;
    /** The private application subnets, one per zone: tasks spread over all of them. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Each service's pre-created workload group. */
    serviceSecurityGroupIds: Record<ServiceName, pulumi.Input<string>>;
    /** The interface endpoints' group, when the VPC has them (AWS APIs then stay in the VPC). */
    endpointSecurityGroupId?: pulumi.Input<string>;
    s3PrefixListId: pulumi.Input<string>;
    /** The internal load balancer: its group is the only source the services admit. */
    loadBalancerSecurityGroupId: pulumi.Input<string>;
    loadBalancerArnSuffix: pulumi.Input<string>;
    targets: Record<ServiceName, ServiceTarget>;
    databaseSecurityGroupId: pulumi.Input<string>;
    databasePort: number;
    databaseWriterEndpoint: pulumi.Input<string>;
    databaseReaderEndpoint: pulumi.Input<string>;
    databaseName: string;
    /** For rds-db:connect (IAM database authentication). */
    databaseResourceId: pulumi.Input<string>;
    cacheSecurityGroupId: pulumi.Input<string>;
    cachePort: number;
    cachePrimaryEndpoint: pulumi.Input<string>;
    cacheReaderEndpoint: pulumi.Input<string>;
    /** JSON with `authToken`; encrypted with the data key. */
    cacheSecretArn: pulumi.Input<string>;
    files: FileMounts;
    assetsBucketName: pulumi.Input<string>;
    assetsBucketArn: pulumi.Input<string>;
    assetsKeyArn: pulumi.Input<string>;
    /** Encrypts the images and the secrets the services read. */
    dataKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** Let `pulumi destroy` delete repositories that still hold images (dev only). */
    forceDeleteRepositories: boolean;
    /** https://<domain>: the storefront, and the images and thumbnails the catalogue links to. */
    siteUrl: string;
    /** The Cognito user pool whose access tokens the services verify (and the users service deletes users from). */
    userPoolId: pulumi.Input<string>;
    userPoolArn: pulumi.Input<string>;
    /** The storefront's app client: the access tokens' client_id. */
    userPoolClientId: pulumi.Input<string>;
    /** The thumbnailer's widths and largest source: the catalogue's image URLs and upload limit follow them. */
    thumbnails: { widths: number[]; maxSourceBytes: number };
    /** The asynchronous tier's orders queue; the orders service may send to it when given. */
    ordersQueue?: { url: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** The key the orders queue is encrypted with (required with ordersQueue). */
    messagingKeyArn?: pulumi.Input<string>;
}

/** What the observability tier and the stack outputs need of one service. */
export interface DeployedService {
    serviceName: pulumi.Output<string>;
    repositoryUrl: pulumi.Output<string>;
    minTasks: number;
}

/**
 * The microservices on ECS Fargate: one cluster with Container Insights (enhanced) and the FARGATE
 * capacity provider; per service an image repository, a task definition, a task role and an
 * execution role of least privilege, a log group, its security group rules, an ECS service in every
 * zone's private subnet behind its target group (circuit breaker with rollback, zone rebalancing),
 * and target tracking on CPU and on requests per task.
 */
export class Microservices extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly services: Record<ServiceName, DeployedService>;

    constructor(name: string, args: MicroservicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:services:Microservices", name, {}, opts);
        validate(name, args);

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                name: `${args.namePrefix}-services`,
                // Enhanced observability: task- and container-level metrics (RunningTaskCount feeds the alarms).
                settings: [{ name: "containerInsights", value: "enhanced" }],
                tags: { Name: `${args.namePrefix}-services` },
            },
            { parent: this },
        );
        const capacity = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                // Fargate Spot runs no ARM64 task, so the regular FARGATE provider is the only one.
                capacityProviders: ["FARGATE"],
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            },
            { parent: this },
        );

        this.services = {} as Record<ServiceName, DeployedService>;
        for (const service of SERVICES) {
            this.services[service] = createMicroservice(
                `${name}-${service}`,
                service,
                { ...args, cluster, capacity },
                this,
            );
        }
        this.clusterName = cluster.name;
        this.registerOutputs({
            clusterName: this.clusterName,
            serviceNames: Object.fromEntries(SERVICES.map((s) => [s, this.services[s].serviceName])),
            repositoryUrls: Object.fromEntries(SERVICES.map((s) => [s, this.services[s].repositoryUrl])),
        });
    }
}

function validate(name: string, args: MicroservicesArgs): void {
    const fail = (problem: string) => {
        throw new Error(`Microservices ${name}: ${problem}`);
    };
    for (const service of SERVICES) {
        const s = args.settings[service];
        if (!s) fail(`settings for ${service} are missing`);
        const size = FARGATE_CPU_UNITS.includes(s.cpu)
            ? fargateSizeProblem(s.cpu, s.memory)
            : `${s.cpu} CPU units is not a Fargate task size`;
        if (size) fail(`${service}: ${size}`);
        if (s.minTasks < 1 || s.maxTasks < s.minTasks)
            fail(`${service}: needs 1 <= minTasks <= maxTasks, got ${s.minTasks}..${s.maxTasks}`);
        if (!REPOSITORY_NAME.test(`${args.namePrefix}/${service}`))
            fail(`repository name "${args.namePrefix}/${service}" is not a valid ECR name`);
    }
    if (args.privateSubnetIds.length < 2)
        fail(`tasks must spread over at least 2 zones, got ${args.privateSubnetIds.length} subnet(s)`);
    if (args.ordersQueue && !args.messagingKeyArn)
        fail("ordersQueue needs messagingKeyArn: the orders service must encrypt what it sends");
}
