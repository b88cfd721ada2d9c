import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { StackIndex } from "./support/stack-index";
import { checkEach } from "./support/unknowns";
import { containersOf, isSet } from "./support/values";

interface MetadataConfig {
    maximumHopLimit: number;
}

export const ec2Imdsv2Required = resourcePolicy(
    {
        name: "ec2-imdsv2-required",
        description:
            "EC2 launch templates, launch configurations and instances (spot requests included) require IMDSv2 session tokens, with a hop limit that keeps credentials away from containers; an instance launched from a template may leave them to it.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["EC2.8", "EC2.170", "AutoScaling.3"],
        remediation:
            'Set metadataOptions { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }.',
        configSchema: {
            properties: {
                maximumHopLimit: {
                    type: "integer",
                    minimum: 1,
                    maximum: 64,
                    default: 1,
                    description:
                        "Largest httpPutResponseHopLimit (2 for containers on the instance that need its role)",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.ec2.LaunchTemplate, checkMetadataOptions),
        validateResourceOfType(aws.ec2.LaunchConfiguration, checkMetadataOptions),
        validateResourceOfType(aws.ec2.Instance, checkInstanceMetadataOptions),
        validateResourceOfType(aws.ec2.SpotInstanceRequest, checkInstanceMetadataOptions),
    ],
);

/** An instance launched from a template without options of its own takes the template's (checked there). */
function checkInstanceMetadataOptions(
    instance: { launchTemplate?: unknown; metadataOptions?: MetadataOptions },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (instance.launchTemplate !== undefined && instance.metadataOptions === undefined) return;
    checkMetadataOptions(instance, args, report);
}

interface MetadataOptions {
    httpEndpoint?: string;
    httpTokens?: string;
    httpPutResponseHopLimit?: number;
}

function checkMetadataOptions(
    resource: { metadataOptions?: MetadataOptions },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    const options = resource.metadataOptions;
    if (options?.httpEndpoint === "disabled") return;
    if (options?.httpTokens !== "required")
        report('metadataOptions.httpTokens is not "required": IMDSv1 lets an SSRF read the instance\'s credentials.');
    const { maximumHopLimit } = args.getConfig<MetadataConfig>();
    if ((options?.httpPutResponseHopLimit ?? 1) > maximumHopLimit) {
        report(
            `metadataOptions.httpPutResponseHopLimit ${options?.httpPutResponseHopLimit} exceeds ${maximumHopLimit}.`,
        );
    }
}

interface TaskConfig {
    requireNonRootUser: boolean;
}

const ROOT_USERS = /^(root|0)(:.*)?$/;

export const ecsTaskDefinitionHardened = resourcePolicy(
    {
        name: "ecs-task-definition-hardened",
        description:
            "ECS task definitions use awsvpc networking, share no host namespace, run no privileged container, run as a non-root user and log every container.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["ECS.1", "ECS.3", "ECS.4", "ECS.9"],
        remediation:
            'Set networkMode "awsvpc", no pidMode/ipcMode "host", and on every container privileged false, a non-root user (e.g. "1000:1000") and a logConfiguration (awslogs to an encrypted log group).',
        configSchema: {
            properties: {
                requireNonRootUser: {
                    type: "boolean",
                    default: true,
                    description: "Require every container to name a non-root user",
                },
            },
        },
    },
    validateResourceOfType(aws.ecs.TaskDefinition, (task, args, report) => {
        if ((task.networkMode ?? "bridge") !== "awsvpc")
            report(`networkMode is ${task.networkMode ?? "bridge (the default)"}, not awsvpc.`);
        if (task.pidMode === "host") report("pidMode is host: containers see the host's processes.");
        if (task.ipcMode === "host") report("ipcMode is host: containers share the host's IPC namespace.");
        const containers = containersOf(task.containerDefinitions);
        if (!containers) {
            report("containerDefinitions is not a JSON array.");
            return;
        }
        const { requireNonRootUser } = args.getConfig<TaskConfig>();
        for (const c of containers) {
            if (c.privileged === true) report(`container ${c.name} is privileged.`);
            if (requireNonRootUser && (!isSet(c.user) || ROOT_USERS.test(c.user)))
                report(
                    `container ${c.name} runs as ${c.user ?? "the image's user (root unless the image says otherwise)"}.`,
                );
            if (!c.logConfiguration?.logDriver) report(`container ${c.name} has no logConfiguration.`);
        }
    }),
);

interface ReadOnlyConfig {
    writableContainers: string[];
}

export const ecsContainerReadOnlyRoot = resourcePolicy(
    {
        name: "ecs-container-read-only-root",
        description:
            "ECS containers mount their root file system read-only (writable scratch space comes from volumes); containers that cannot are listed in the pack's configuration.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["ECS.5"],
        remediation:
            "Set readonlyRootFilesystem: true and mount a volume where the process writes, or list the container's name in writableContainers.",
        configSchema: {
            properties: {
                writableContainers: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    uniqueItems: true,
                    default: [],
                    description: "Container names allowed a writable root file system",
                },
            },
        },
    },
    validateResourceOfType(aws.ecs.TaskDefinition, (task, args, report) => {
        const { writableContainers } = args.getConfig<ReadOnlyConfig>();
        for (const c of containersOf(task.containerDefinitions) ?? []) {
            if (c.readonlyRootFilesystem !== true && !writableContainers.includes(String(c.name)))
                report(`container ${c.name} has a writable root file system.`);
        }
    }),
);

export const ecsServiceLatestPlatform = resourcePolicy(
    {
        name: "ecs-service-latest-platform",
        description:
            "Fargate services run on the LATEST platform version (security patches of the underlying platform).",
        severity: "low",
        enforcementLevel: "advisory",
        mandate: "workload-hardening",
        fsbp: ["ECS.10"],
        remediation: "Leave platformVersion unset or set it to LATEST.",
    },
    validateResourceOfType(aws.ecs.Service, (service, args, report) => {
        if (
            service.launchType !== "FARGATE" &&
            !(service.capacityProviderStrategies ?? []).some((s) => String(s.capacityProvider).startsWith("FARGATE"))
        ) {
            args.notApplicable("not a Fargate service");
        }
        if (service.platformVersion !== undefined && service.platformVersion !== "LATEST")
            report(`platformVersion is pinned to ${service.platformVersion}.`);
    }),
);

export const ecsClusterContainerInsights = resourcePolicy(
    {
        name: "ecs-cluster-container-insights",
        description: "ECS clusters collect Container Insights metrics.",
        severity: "low",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["ECS.12"],
        remediation: 'Set settings: [{ name: "containerInsights", value: "enhanced" }] (or "enabled").',
    },
    validateResourceOfType(aws.ecs.Cluster, (cluster, _args, report) => {
        const setting = (cluster.settings ?? []).find((s) => s.name === "containerInsights");
        if (!setting || !["enabled", "enhanced"].includes(setting.value)) report("Container Insights is not enabled.");
    }),
);

export const ecrRepositoryHygiene = stackPolicy(
    {
        name: "ecr-repository-hygiene",
        description:
            "ECR repositories scan images on push, keep tags immutable (a deployed tag always means the same image) and expire old images with a lifecycle policy (linked by its `repository` input).",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["ECR.1", "ECR.2", "ECR.3"],
        remediation:
            'Set imageScanningConfiguration.scanOnPush: true and imageTagMutability "IMMUTABLE", and add an aws.ecr.LifecyclePolicy for the repository.',
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.ecr.Repository),
            (r) => r.urn,
            (repo) => {
                if (repo.props.imageScanningConfiguration?.scanOnPush !== true)
                    report("does not scan images on push.", repo.urn);
                if (!String(repo.props.imageTagMutability ?? "MUTABLE").startsWith("IMMUTABLE"))
                    report("image tags are mutable.", repo.urn);
                if (index.referrers(repo, [aws.ecr.LifecyclePolicy], "repository").length === 0)
                    report("has no lifecycle policy: images accumulate forever.", repo.urn);
            },
        );
    },
);

interface RuntimeConfig {
    allowedRuntimes: string[];
}

export const lambdaSupportedRuntime = resourcePolicy(
    {
        name: "lambda-supported-runtime",
        description: "Lambda functions packaged as zip archives use a supported, current runtime.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["Lambda.2"],
        remediation: "Set runtime to a supported version from allowedRuntimes (e.g. nodejs22.x).",
        configSchema: {
            properties: {
                allowedRuntimes: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    minItems: 1,
                    uniqueItems: true,
                    default: [
                        "nodejs20.x",
                        "nodejs22.x",
                        "nodejs24.x",
                        "python3.12",
                        "python3.13",
                        "java21",
                        "dotnet8",
                        "provided.al2023",
                    ],
                    description: "Runtimes a function may use",
                },
            },
        },
    },
    validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
        if (fn.packageType === "Image") args.notApplicable("container image functions bring their own runtime");
        const { allowedRuntimes } = args.getConfig<RuntimeConfig>();
        if (!allowedRuntimes.includes(String(fn.runtime)))
            report(`runtime ${fn.runtime ?? "(unset)"} is not among ${allowedRuntimes.join(", ")}.`);
    }),
);

export const autoscalingGroupHealthChecks = resourcePolicy(
    {
        name: "autoscaling-group-health-checks",
        description:
            "Auto Scaling groups launch from launch templates and, behind a load balancer, replace instances that fail its health checks.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["AutoScaling.1", "AutoScaling.9"],
        remediation:
            'Use launchTemplate (not launchConfiguration) and set healthCheckType "ELB" with a healthCheckGracePeriod when targetGroupArns are set.',
    },
    validateResourceOfType(aws.autoscaling.Group, (group, _args, report) => {
        if (group.launchConfiguration !== undefined)
            report("uses a launch configuration, which AWS no longer extends; use a launch template.");
        const behindLoadBalancer =
            (group.targetGroupArns ?? []).length > 0 ||
            (group.trafficSources ?? []).length > 0 ||
            (group.loadBalancers ?? []).length > 0;
        if (behindLoadBalancer && group.healthCheckType !== "ELB")
            report(
                "serves behind a load balancer but healthCheckType is not ELB: instances that fail its checks stay in service.",
            );
    }),
);

export const lbApplicationHardened = resourcePolicy(
    {
        name: "lb-application-hardened",
        description:
            "Application load balancers drop invalid HTTP header fields; they and classic load balancers keep a defensive (or strictest) desync mitigation mode.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["ELB.4", "ELB.12", "ELB.14"],
        remediation: "Set dropInvalidHeaderFields: true and leave desyncMitigationMode defensive (or strictest).",
    },
    [
        validateResourceOfType(aws.lb.LoadBalancer, checkAlbHardening),
        validateResourceOfType(aws.alb.LoadBalancer, checkAlbHardening),
        validateResourceOfType(aws.elb.LoadBalancer, (elb, _args, report) => {
            if (!DESYNC_MODES.includes(elb.desyncMitigationMode ?? "defensive"))
                report(`desyncMitigationMode is ${elb.desyncMitigationMode}.`);
        }),
    ],
);

const DESYNC_MODES = ["defensive", "strictest"];

function checkAlbHardening(
    lb: { loadBalancerType?: string; dropInvalidHeaderFields?: boolean; desyncMitigationMode?: string },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if ((lb.loadBalancerType ?? "application") !== "application")
        args.notApplicable("not an application load balancer");
    if (lb.dropInvalidHeaderFields !== true)
        report("dropInvalidHeaderFields is not true: malformed headers reach the targets (request smuggling).");
    if (!DESYNC_MODES.includes(lb.desyncMitigationMode ?? "defensive"))
        report(`desyncMitigationMode is ${lb.desyncMitigationMode}.`);
}

const DEFAULT_MASTER_USERNAMES = ["admin", "administrator", "master", "postgres", "root", "sa"];
const ENGINE_LOGS: Record<string, string> = {
    "aurora-postgresql": "postgresql",
    postgres: "postgresql",
    "aurora-mysql": "audit",
    mysql: "audit",
};

export const rdsHardened = resourcePolicy(
    {
        name: "rds-hardened",
        description:
            "RDS clusters and standalone instances use IAM database authentication, export the engine's logs to CloudWatch, keep the master password out of state (managed by RDS in Secrets Manager) under a non-default user name, and take minor version upgrades.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["RDS.9", "RDS.10", "RDS.12", "RDS.13", "RDS.24", "RDS.25", "RDS.34", "RDS.35", "RDS.37"],
        remediation:
            'Set iamDatabaseAuthenticationEnabled: true, enabledCloudwatchLogsExports ["postgresql"] (audit for MySQL), manageMasterUserPassword: true with masterUserSecretKmsKeyId, a master user name of your own, and leave autoMinorVersionUpgrade on.',
    },
    [
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) =>
            checkRdsHardening(
                {
                    iamDatabaseAuthenticationEnabled: cluster.iamDatabaseAuthenticationEnabled,
                    engine: cluster.engine,
                    enabledCloudwatchLogsExports: cluster.enabledCloudwatchLogsExports,
                    manageMasterUserPassword: cluster.manageMasterUserPassword,
                    autoMinorVersionUpgrade: cluster.autoMinorVersionUpgrade,
                    password: cluster.masterPassword ?? cluster.masterPasswordWo,
                    // A restored or replicated cluster takes its credentials from the source.
                    fromSource: isSet(cluster.snapshotIdentifier) || isSet(cluster.replicationSourceIdentifier),
                    username: cluster.masterUsername,
                },
                report,
            ),
        ),
        validateResourceOfType(aws.rds.Instance, (instance, _args, report) =>
            checkRdsHardening(
                {
                    iamDatabaseAuthenticationEnabled: instance.iamDatabaseAuthenticationEnabled,
                    engine: instance.engine,
                    enabledCloudwatchLogsExports: instance.enabledCloudwatchLogsExports,
                    manageMasterUserPassword: instance.manageMasterUserPassword,
                    autoMinorVersionUpgrade: instance.autoMinorVersionUpgrade,
                    password: instance.password ?? instance.passwordWo,
                    username: instance.username,
                    fromSource: isSet(instance.snapshotIdentifier) || isSet(instance.replicateSourceDb),
                },
                report,
            ),
        ),
    ],
);

function checkRdsHardening(
    db: {
        iamDatabaseAuthenticationEnabled?: boolean;
        engine?: string;
        enabledCloudwatchLogsExports?: string[];
        password?: string;
        manageMasterUserPassword?: boolean;
        fromSource: boolean;
        username?: string;
        autoMinorVersionUpgrade?: boolean;
    },
    report: ReportViolation,
): void {
    if (db.iamDatabaseAuthenticationEnabled !== true) report("iamDatabaseAuthenticationEnabled is not true.");
    const log = ENGINE_LOGS[String(db.engine)];
    if (log && !(db.enabledCloudwatchLogsExports ?? []).includes(log))
        report(`enabledCloudwatchLogsExports does not include ${log}.`);
    if (isSet(db.password))
        report(
            "the master password is set in the program: it is stored in the Pulumi state; use manageMasterUserPassword.",
        );
    else if (db.manageMasterUserPassword !== true && !db.fromSource) report("manageMasterUserPassword is not true.");
    if (DEFAULT_MASTER_USERNAMES.includes(String(db.username).toLowerCase()))
        report(`the master user name is the well-known ${db.username}.`);
    if (db.autoMinorVersionUpgrade === false) report("autoMinorVersionUpgrade is false.");
}

interface MonitoringConfig {
    requirePerformanceInsights: boolean;
}

export const rdsInstanceMonitoring = resourcePolicy(
    {
        name: "rds-instance-monitoring",
        description:
            "RDS and Aurora instances have enhanced monitoring (with its role, which RDS requires) and Performance Insights.",
        severity: "low",
        enforcementLevel: "mandatory",
        mandate: "workload-hardening",
        fsbp: ["RDS.6"],
        remediation:
            "Set monitoringInterval (e.g. 60) with monitoringRoleArn (a role trusting monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole), and performanceInsightsEnabled: true with the data key.",
        configSchema: {
            properties: {
                requirePerformanceInsights: {
                    type: "boolean",
                    default: true,
                    description: "Require Performance Insights as well",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.rds.ClusterInstance, checkMonitoring),
        validateResourceOfType(aws.rds.Instance, checkMonitoring),
    ],
);

function checkMonitoring(
    db: { monitoringInterval?: number; monitoringRoleArn?: string; performanceInsightsEnabled?: boolean },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (!db.monitoringInterval) report("enhanced monitoring is off (monitoringInterval 0).");
    else if (!isSet(db.monitoringRoleArn))
        report("monitoringInterval is set without monitoringRoleArn: RDS rejects it.");
    if (args.getConfig<MonitoringConfig>().requirePerformanceInsights && db.performanceInsightsEnabled !== true)
        report("performanceInsightsEnabled is not true.");
}

export const workloadHardeningPolicies = [
    ec2Imdsv2Required,
    ecsTaskDefinitionHardened,
    ecsContainerReadOnlyRoot,
    ecsServiceLatestPlatform,
    ecsClusterContainerInsights,
    ecrRepositoryHygiene,
    lambdaSupportedRuntime,
    autoscalingGroupHealthChecks,
    lbApplicationHardened,
    rdsHardened,
    rdsInstanceMonitoring,
];
