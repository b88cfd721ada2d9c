import { describePolicy } from "./check";

const container = (overrides: Record<string, unknown>) =>
    JSON.stringify([
        {
            name: "orders",
            image: "orders:1",
            user: "1000:1000",
            readonlyRootFilesystem: true,
            logConfiguration: { logDriver: "awslogs" },
            ...overrides,
        },
    ]);

describePolicy("ec2-imdsv2-required", {}, [
    {
        rule: "IMDSv1 allowed",
        mutate: (g) => g.set("web-template", { metadataOptions: { httpTokens: "optional" } }),
        expect: /httpTokens is not "required"/,
    },
    {
        rule: "no metadata options at all",
        mutate: (g) => g.set("web-template", { metadataOptions: undefined }),
        expect: /httpTokens is not "required"/,
    },
    {
        rule: "a hop limit that lets containers reach the instance role",
        mutate: (g) =>
            g.set("web-template", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }),
        expect: /httpPutResponseHopLimit 2 exceeds 1/,
    },
    {
        rule: "the metadata service turned off",
        mutate: (g) => g.set("web-template", { metadataOptions: { httpEndpoint: "disabled" } }),
        expect: null,
    },
    {
        rule: "an instance with IMDSv1",
        mutate: (g) => g.add("aws:ec2/instance:Instance", "bastion", { metadataOptions: { httpTokens: "optional" } }),
        expect: /httpTokens/,
        at: "bastion",
    },
    {
        rule: "a launch configuration without IMDSv2",
        mutate: (g) => g.add("aws:ec2/launchConfiguration:LaunchConfiguration", "legacy-launch", { imageId: "ami-1" }),
        expect: /metadataOptions.httpTokens is not "required"/,
        at: "legacy-launch",
    },
    {
        rule: "a spot instance request without IMDSv2",
        mutate: (g) => g.add("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "batch", { ami: "ami-1" }),
        expect: /metadataOptions.httpTokens is not "required"/,
        at: "batch",
    },
    {
        rule: "an instance launched from the template, which sets the options",
        mutate: (g) =>
            g.add("aws:ec2/instance:Instance", "bastion", {
                launchTemplate: { id: g.ref("web-template"), version: "$Latest" },
            }),
        expect: null,
    },
    {
        rule: "an instance launched from the template that turns IMDSv1 back on",
        mutate: (g) =>
            g.add("aws:ec2/instance:Instance", "bastion", {
                launchTemplate: { id: g.ref("web-template"), version: "$Latest" },
                metadataOptions: { httpTokens: "optional" },
            }),
        expect: /metadataOptions.httpTokens is not "required"/,
    },
]);

describePolicy("ecs-task-definition-hardened", {}, [
    {
        rule: "bridge networking",
        mutate: (g) => g.set("services-orders-task-def", { networkMode: "bridge" }),
        expect: /networkMode is bridge, not awsvpc/,
    },
    {
        rule: "the host's process namespace",
        mutate: (g) => g.set("services-orders-task-def", { pidMode: "host" }),
        expect: /pidMode is host/,
    },
    {
        rule: "the host's IPC namespace",
        mutate: (g) => g.set("services-orders-task-def", { ipcMode: "host" }),
        expect: /ipcMode is host/,
    },
    {
        rule: "a privileged container",
        mutate: (g) => g.set("services-orders-task-def", { containerDefinitions: container({ privileged: true }) }),
        expect: /container orders is privileged/,
    },
    {
        rule: "root",
        mutate: (g) => g.set("services-orders-task-def", { containerDefinitions: container({ user: "0:0" }) }),
        expect: /container orders runs as 0:0/,
    },
    {
        rule: "the image's user",
        mutate: (g) => g.set("services-orders-task-def", { containerDefinitions: container({ user: undefined }) }),
        expect: /runs as the image's user/,
    },
    {
        rule: "no log configuration",
        mutate: (g) =>
            g.set("services-orders-task-def", { containerDefinitions: container({ logConfiguration: undefined }) }),
        expect: /has no logConfiguration/,
    },
    {
        rule: "definitions that are not a JSON array",
        mutate: (g) => g.set("services-orders-task-def", { containerDefinitions: "{" }),
        expect: /not a JSON array/,
    },
]);

describePolicy("ecs-container-read-only-root", {}, [
    {
        rule: "a writable root file system",
        mutate: (g) =>
            g.set("services-orders-task-def", { containerDefinitions: container({ readonlyRootFilesystem: false }) }),
        expect: /container orders has a writable root file system/,
    },
    {
        rule: "a listed writable container",
        mutate: (g) =>
            g.set("services-orders-task-def", { containerDefinitions: container({ readonlyRootFilesystem: false }) }),
        config: { writableContainers: ["orders"] },
        expect: null,
    },
]);

describePolicy("ecs-service-latest-platform", {}, [
    {
        rule: "a pinned platform version",
        mutate: (g) => g.set("services-orders", { platformVersion: "1.3.0" }),
        expect: /pinned to 1.3.0/,
    },
]);

describePolicy("ecs-cluster-container-insights", {}, [
    {
        rule: "Container Insights off",
        mutate: (g) => g.set("services-cluster", { settings: [{ name: "containerInsights", value: "disabled" }] }),
        expect: /Container Insights is not enabled/,
    },
]);

describePolicy("ecr-repository-hygiene", {}, [
    {
        rule: "no scan on push",
        mutate: (g) => g.set("services-orders-repo", { imageScanningConfiguration: undefined }),
        expect: /does not scan images on push/,
    },
    {
        rule: "mutable tags",
        mutate: (g) => g.set("services-orders-repo", { imageTagMutability: "MUTABLE" }),
        expect: /image tags are mutable/,
    },
    {
        rule: "no lifecycle policy",
        mutate: (g) => g.remove("services-orders-lifecycle"),
        expect: /has no lifecycle policy/,
        at: "services-orders-repo",
    },
]);

describePolicy("lambda-supported-runtime", {}, [
    {
        rule: "a deprecated runtime",
        mutate: (g) => g.set("async-order-processor", { runtime: "nodejs16.x" }),
        expect: /runtime nodejs16.x is not among/,
    },
    {
        rule: "a container image function",
        mutate: (g) => g.set("async-order-processor", { runtime: undefined, packageType: "Image" }),
        expect: null,
    },
]);

describePolicy("autoscaling-group-health-checks", {}, [
    {
        rule: "EC2 health checks behind a load balancer",
        mutate: (g) => g.set("web-servers", { healthCheckType: "EC2" }),
        expect: /healthCheckType is not ELB/,
    },
    {
        rule: "a launch configuration",
        mutate: (g) => g.set("web-servers", { launchTemplate: undefined, launchConfiguration: "lc-1" }),
        expect: /uses a launch configuration/,
    },
]);

describePolicy("lb-application-hardened", {}, [
    {
        rule: "invalid headers passed on",
        mutate: (g) => g.set("web-alb", { dropInvalidHeaderFields: false }),
        expect: /dropInvalidHeaderFields is not true/,
    },
    {
        rule: "desync mitigation monitor-only",
        mutate: (g) => g.set("web-alb", { desyncMitigationMode: "monitor" }),
        expect: /desyncMitigationMode is monitor/,
    },
    {
        rule: "a classic load balancer in monitor desync mode",
        mutate: (g) => g.add("aws:elb/loadBalancer:LoadBalancer", "legacy-elb", { desyncMitigationMode: "monitor" }),
        expect: /desyncMitigationMode is monitor/,
        at: "legacy-elb",
    },
]);

describePolicy("rds-hardened", {}, [
    {
        rule: "no IAM authentication",
        mutate: (g) => g.set("data-cluster", { iamDatabaseAuthenticationEnabled: false }),
        expect: /iamDatabaseAuthenticationEnabled is not true/,
    },
    {
        rule: "no log export",
        mutate: (g) => g.set("data-cluster", { enabledCloudwatchLogsExports: [] }),
        expect: /does not include postgresql/,
    },
    {
        rule: "a password in state",
        mutate: (g) => g.set("data-cluster", { manageMasterUserPassword: undefined, masterPassword: "p4ssw0rd" }),
        expect: /the master password is set in the program/,
    },
    {
        rule: "no managed password",
        mutate: (g) => g.set("data-cluster", { manageMasterUserPassword: false }),
        expect: /manageMasterUserPassword is not true/,
    },
    {
        rule: "the well-known user name",
        mutate: (g) => g.set("data-cluster", { masterUsername: "postgres" }),
        expect: /well-known postgres/,
    },
    {
        rule: "minor upgrades off",
        mutate: (g) => g.set("data-cluster", { autoMinorVersionUpgrade: false }),
        expect: /autoMinorVersionUpgrade is false/,
    },
    {
        rule: "a standalone instance with a password in the program and the default user name",
        mutate: (g) =>
            g.add("aws:rds/instance:Instance", "legacy-db", {
                engine: "postgres",
                username: "postgres",
                password: "p4ssw0rd",
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql"],
            }),
        expect: /the master password is set in the program/,
        at: "legacy-db",
    },
    {
        rule: "a standalone instance without IAM authentication or log exports",
        mutate: (g) =>
            g.add("aws:rds/instance:Instance", "legacy-db", {
                engine: "mysql",
                username: "shop",
                manageMasterUserPassword: true,
            }),
        expect: /enabledCloudwatchLogsExports does not include audit/,
    },
    {
        rule: "a hardened standalone instance",
        mutate: (g) =>
            g.add("aws:rds/instance:Instance", "legacy-db", {
                engine: "postgres",
                username: "shop_owner",
                manageMasterUserPassword: true,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            }),
        expect: null,
    },
    {
        rule: "a read replica, whose credentials come from its source",
        mutate: (g) =>
            g.add("aws:rds/instance:Instance", "legacy-db-replica", {
                engine: "postgres",
                replicateSourceDb: "legacy-db",
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql"],
            }),
        expect: null,
    },
]);

describePolicy("rds-instance-monitoring", {}, [
    {
        rule: "no enhanced monitoring",
        mutate: (g) => g.set("data-instance-0", { monitoringInterval: 0 }),
        expect: /enhanced monitoring is off/,
        at: "data-instance-0",
    },
    {
        rule: "an interval without a role (RDS rejects it)",
        mutate: (g) => g.set("data-instance-0", { monitoringRoleArn: undefined }),
        expect: /without monitoringRoleArn: RDS rejects it/,
    },
    {
        rule: "no Performance Insights",
        mutate: (g) => g.set("data-instance-0", { performanceInsightsEnabled: false }),
        expect: /performanceInsightsEnabled is not true/,
    },
]);
