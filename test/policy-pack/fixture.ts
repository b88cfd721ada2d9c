import { PlanResource } from "../../infra/offline/graph";
import { SyntheticGraph } from "./synthetic";

/**
 * A compliant version of the whole target platform (every tier the issues describe, with the
 * resource types and links each tier creates), as a synthetic graph. Every policy's tests start
 * from it and break one rule; the benchmark replicates it. `p` prefixes every name, so copies can
 * share a graph.
 */
export function compliantPlatform(g: SyntheticGraph, p = ""): void {
    const zones = ["af-south-1a", "af-south-1b", "af-south-1c"];
    const n = (name: string) => `${p}${name}`;
    const denyInsecure = (action: string, resource: unknown) => ({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const trust = (service: string) =>
        g.json({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: service },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": g.account } },
                },
            ],
        });
    const logGroup = (name: string, physical: string, key: PlanResource, provider?: PlanResource) =>
        g.add(
            "aws:cloudwatch/logGroup:LogGroup",
            n(name),
            { name: physical, retentionInDays: 365, kmsKeyId: g.arn(key) },
            { provider },
        );

    // Keys (the stack region's ring, and a key for the edge's logs in us-east-1).
    const key = (purpose: string, provider?: PlanResource) =>
        g.add(
            "aws:kms/key:Key",
            n(`keys-${purpose}`),
            {
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: 30,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                policy: JSON.stringify({
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: `arn:aws:iam::${g.account}:root` },
                            Action: "kms:*",
                            Resource: "*",
                        },
                    ],
                }),
            },
            { provider },
        );
    const dataKey = key("data");
    const logsKey = key("logs");
    const messagingKey = key("messaging");
    const auditKey = key("audit");
    const edgeLogsKey = key("edge-logs", g.edge);

    // Network: three zones of public, private and isolated subnets; a NAT gateway per zone.
    const vpc = g.add("aws:ec2/vpc:Vpc", n("network-vpc"), {
        cidrBlock: "10.20.0.0/16",
        enableDnsHostnames: true,
        enableDnsSupport: true,
    });
    g.add("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", n("network-default-sg"), { vpcId: g.ref(vpc) });
    const igw = g.add("aws:ec2/internetGateway:InternetGateway", n("network-igw"), { vpcId: g.ref(vpc) });
    const subnet = (layer: string, zone: string, i: number) =>
        g.add("aws:ec2/subnet:Subnet", n(`network-${layer}-${zone}`), {
            vpcId: g.ref(vpc),
            availabilityZone: zone,
            cidrBlock: `10.20.${i}.0/24`,
            mapPublicIpOnLaunch: false,
            tags: { Name: `${layer}-${zone}` },
        });
    const publicSubnets = zones.map((z, i) => subnet("public", z, i));
    const privateSubnets = zones.map((z, i) => subnet("private", z, 10 + i));
    const isolatedSubnets = zones.map((z, i) => subnet("isolated", z, 20 + i));
    const associate = (s: PlanResource, table: PlanResource) =>
        g.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `${s.name}-rta`, {
            subnetId: g.ref(s),
            routeTableId: g.ref(table),
        });
    const publicTable = g.add("aws:ec2/routeTable:RouteTable", n("network-public"), {
        vpcId: g.ref(vpc),
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: g.ref(igw) }],
    });
    publicSubnets.forEach((s) => associate(s, publicTable));
    zones.forEach((zone, i) => {
        const eip = g.add("aws:ec2/eip:Eip", n(`network-nat-eip-${zone}`), { domain: "vpc" });
        const nat = g.add(
            "aws:ec2/natGateway:NatGateway",
            n(`network-nat-${zone}`),
            { allocationId: g.ref(eip), subnetId: g.ref(publicSubnets[i]), connectivityType: "public" },
            { dependsOn: [igw] },
        );
        const table = g.add("aws:ec2/routeTable:RouteTable", n(`network-private-routes-${zone}`), {
            vpcId: g.ref(vpc),
            routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: g.ref(nat) }],
        });
        associate(privateSubnets[i], table);
    });
    const isolatedTable = g.add("aws:ec2/routeTable:RouteTable", n("network-isolated"), { vpcId: g.ref(vpc) });
    isolatedSubnets.forEach((s) => associate(s, isolatedTable));
    const flowLogs = logGroup("network-flow-logs", `/aws/vpc/flow-logs/${p}shop`, logsKey);
    const flowRole = g.add("aws:iam/role:Role", n("network-flow-logs-role"), {
        assumeRolePolicy: trust("vpc-flow-logs.amazonaws.com"),
    });
    g.add("aws:iam/rolePolicy:RolePolicy", n("network-flow-logs-policy"), {
        role: g.ref(flowRole),
        policy: g.json({
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: g.computed([flowLogs], ([group]) => `${group.arn}:log-stream:*`),
                },
            ],
        }),
    });
    g.add("aws:ec2/flowLog:FlowLog", n("network-flow-log"), {
        vpcId: g.ref(vpc),
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: g.arn(flowLogs),
        iamRoleArn: g.arn(flowRole),
    });
    const ids = (subnets: PlanResource[]) => subnets.map((s) => g.ref(s));

    // Security groups: each destination admits its sources by group; the public ALB only CloudFront's prefix list.
    const sg = (name: string) =>
        g.add("aws:ec2/securityGroup:SecurityGroup", n(name), {
            vpcId: g.ref(vpc),
            description: name,
            revokeRulesOnDelete: true,
        });
    const albSg = sg("web-alb-sg");
    const webSg = sg("workloads-web");
    const svcSg = sg("workloads-svc-orders");
    const fnSg = sg("workloads-fn-order-processor");
    const dbSg = sg("data-db-sg");
    const cacheSg = sg("cache-sg");
    const efsSg = sg("files-sg");
    const internalAlbSg = sg("services-alb-sg");
    const ingress = (
        name: string,
        group: PlanResource,
        port: number,
        from: { group?: PlanResource; prefixList?: string },
    ) =>
        g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", n(name), {
            securityGroupId: g.ref(group),
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            ...(from.group ? { referencedSecurityGroupId: g.ref(from.group) } : { prefixListId: from.prefixList }),
        });
    ingress("web-alb-https", albSg, 443, { prefixList: "pl-1a2b3c4d" });
    ingress("web-alb-http", albSg, 80, { prefixList: "pl-1a2b3c4d" });
    ingress("web-from-alb", webSg, 8080, { group: albSg });
    ingress("svc-from-internal-alb", svcSg, 8080, { group: internalAlbSg });
    ingress("db-from-svc", dbSg, 5432, { group: svcSg });
    ingress("db-from-fn", dbSg, 5432, { group: fnSg });
    ingress("cache-from-web", cacheSg, 6379, { group: webSg });
    ingress("efs-from-svc", efsSg, 2049, { group: svcSg });

    // Data tier: Aurora PostgreSQL, writer and reader pinned to different zones.
    const dbSubnets = g.add("aws:rds/subnetGroup:SubnetGroup", n("data-subnets"), { subnetIds: ids(isolatedSubnets) });
    const dbParams = g.add("aws:rds/clusterParameterGroup:ClusterParameterGroup", n("data-params"), {
        family: "aurora-postgresql16",
        parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
    });
    const dbLogs = logGroup("data-postgresql-logs", `/aws/rds/cluster/${p}shop-prod/postgresql`, logsKey);
    const cluster = g.add(
        "aws:rds/cluster:Cluster",
        n("data-cluster"),
        {
            engine: "aurora-postgresql",
            engineVersion: "16.4",
            storageEncrypted: true,
            kmsKeyId: g.arn(dataKey),
            dbSubnetGroupName: g.ref(dbSubnets),
            dbClusterParameterGroupName: g.ref(dbParams),
            vpcSecurityGroupIds: [g.ref(dbSg)],
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: g.arn(dataKey),
            masterUsername: "shop_owner",
            iamDatabaseAuthenticationEnabled: true,
            enabledCloudwatchLogsExports: ["postgresql"],
            backupRetentionPeriod: 14,
            preferredBackupWindow: "01:00-02:00",
            copyTagsToSnapshot: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${p}shop-prod-final`,
        },
        { dependsOn: [dbLogs] },
    );
    const monitoringRole = g.add("aws:iam/role:Role", n("data-monitoring-role"), {
        assumeRolePolicy: trust("monitoring.rds.amazonaws.com"),
    });
    ["a", "b"].forEach((z, i) =>
        g.add("aws:rds/clusterInstance:ClusterInstance", n(`data-instance-${i}`), {
            clusterIdentifier: g.ref(cluster),
            engine: "aurora-postgresql",
            instanceClass: "db.r7g.large",
            availabilityZone: `af-south-1${z}`,
            publiclyAccessible: false,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: g.arn(dataKey),
            monitoringInterval: 60,
            monitoringRoleArn: g.arn(monitoringRole),
        }),
    );

    // Cache: Valkey replication group, Multi-AZ, TLS and AUTH.
    const cacheSubnets = g.add("aws:elasticache/subnetGroup:SubnetGroup", n("cache-subnets"), {
        subnetIds: ids(isolatedSubnets),
    });
    g.add("aws:elasticache/replicationGroup:ReplicationGroup", n("cache"), {
        description: "sessions",
        engine: "valkey",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        subnetGroupName: g.ref(cacheSubnets),
        securityGroupIds: [g.ref(cacheSg)],
        atRestEncryptionEnabled: true,
        kmsKeyId: g.arn(dataKey),
        transitEncryptionEnabled: true,
        authToken: "generated-token",
        multiAzEnabled: true,
        automaticFailoverEnabled: true,
        snapshotRetentionLimit: 7,
    });
    g.add("aws:secretsmanager/secret:Secret", n("cache-auth"), { kmsKeyId: g.arn(dataKey), recoveryWindowInDays: 30 });

    // Files: regional EFS, a mount target per zone, backups, TLS-only policy.
    const fs = g.add("aws:efs/fileSystem:FileSystem", n("files"), {
        encrypted: true,
        kmsKeyId: g.arn(dataKey),
        performanceMode: "generalPurpose",
    });
    isolatedSubnets.forEach((s, i) =>
        g.add("aws:efs/mountTarget:MountTarget", n(`files-mount-${i}`), {
            fileSystemId: g.ref(fs),
            subnetId: g.ref(s),
            securityGroups: [g.ref(efsSg)],
        }),
    );
    g.add("aws:efs/backupPolicy:BackupPolicy", n("files-backup"), {
        fileSystemId: g.ref(fs),
        backupPolicy: { status: "ENABLED" },
    });
    g.add("aws:efs/fileSystemPolicy:FileSystemPolicy", n("files-policy"), {
        fileSystemId: g.ref(fs),
        policy: g.json({ Statement: [denyInsecure("*", g.arn(fs))] }),
    });

    // Buckets: each with its encryption, public access block, ownership, versioning and policy resources.
    const bucket = (
        name: string,
        sse: { algorithm: string; key?: PlanResource },
        ownership = "BucketOwnerEnforced",
        extra: unknown[] = [],
    ) => {
        const b = g.add("aws:s3/bucket:Bucket", n(name), { forceDestroy: false });
        g.add(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${b.name}-sse`,
            {
                bucket: g.ref(b),
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: sse.algorithm,
                            ...(sse.key ? { kmsMasterKeyId: g.arn(sse.key) } : {}),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
        );
        g.add("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${b.name}-pab`, {
            bucket: g.ref(b),
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        g.add("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${b.name}-ownership`, {
            bucket: g.ref(b),
            rule: { objectOwnership: ownership },
        });
        g.add("aws:s3/bucketVersioning:BucketVersioning", `${b.name}-versioning`, {
            bucket: g.ref(b),
            versioningConfiguration: { status: "Enabled" },
        });
        g.add("aws:s3/bucketPolicy:BucketPolicy", `${b.name}-policy`, {
            bucket: g.ref(b),
            policy: g.json({
                Statement: [
                    denyInsecure("s3:*", [g.arn(b), g.ref(b, (id: string) => `arn:aws:s3:::${id}/*`)]),
                    ...extra,
                ],
            }),
        });
        return b;
    };
    const assets = bucket("assets", { algorithm: "aws:kms", key: dataKey });
    const albLogs = bucket("web-alb-logs", { algorithm: "AES256" }, "BucketOwnerEnforced", [
        {
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::logs/*",
        },
    ]);
    const edgeLogs = bucket("edge-logs", { algorithm: "aws:kms", key: logsKey }, "BucketOwnerPreferred");
    const trailBucket = bucket("audit-trail", { algorithm: "aws:kms", key: auditKey }, "BucketOwnerEnforced", [
        {
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::trail/*",
            Condition: { StringEquals: { "aws:SourceAccount": g.account } },
        },
    ]);

    // Certificates: the site's in us-east-1 (CloudFront), the origin's in the region (public ALB).
    const certificate = (name: string, provider?: PlanResource) => {
        const c = g.add(
            "aws:acm/certificate:Certificate",
            n(name),
            { domainName: "shop.example.co.za", validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
            { provider },
        );
        return g.add(
            "aws:acm/certificateValidation:CertificateValidation",
            `${c.name}-validation`,
            { certificateArn: g.arn(c) },
            { provider },
        );
    };
    const siteCertificate = certificate("domain-site", g.edge);
    const originCertificate = certificate("domain-origin");

    // Web tier: public ALB (HTTPS, HTTP redirect, WAF, logs) and the web servers' Auto Scaling group.
    const alb = g.add("aws:lb/loadBalancer:LoadBalancer", n("web-alb"), {
        internal: false,
        loadBalancerType: "application",
        subnets: ids(publicSubnets),
        securityGroups: [g.ref(albSg)],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        accessLogs: { bucket: g.ref(albLogs), enabled: true },
    });
    const targets = g.add("aws:lb/targetGroup:TargetGroup", n("web-targets"), {
        port: 8080,
        protocol: "HTTP",
        vpcId: g.ref(vpc),
    });
    const https = g.add("aws:lb/listener:Listener", n("web-https"), {
        loadBalancerArn: g.arn(alb),
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        certificateArn: g.ref(originCertificate),
        defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403" } }],
    });
    g.add("aws:lb/listenerRule:ListenerRule", n("web-from-cloudfront"), {
        listenerArn: g.arn(https),
        actions: [{ type: "forward", targetGroupArn: g.arn(targets) }],
        conditions: [{ httpHeader: { httpHeaderName: "X-Origin-Verify", values: ["secret"] } }],
    });
    const http = g.add("aws:lb/listener:Listener", n("web-http"), {
        loadBalancerArn: g.arn(alb),
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    void http;
    const template = g.add("aws:ec2/launchTemplate:LaunchTemplate", n("web-template"), {
        imageId: "ami-0123456789abcdef0",
        instanceType: "t4g.medium",
        vpcSecurityGroupIds: [g.ref(webSg)],
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 20, kmsKeyId: g.arn(dataKey) },
            },
        ],
    });
    g.add("aws:autoscaling/group:Group", n("web-servers"), {
        vpcZoneIdentifiers: ids(privateSubnets),
        minSize: 2,
        maxSize: 6,
        desiredCapacity: 2,
        launchTemplate: { id: g.ref(template), version: "$Latest" },
        targetGroupArns: [g.arn(targets)],
        healthCheckType: "ELB",
        healthCheckGracePeriod: 300,
    });

    // WAF: CLOUDFRONT scope in us-east-1 and REGIONAL for the ALB, each logging to aws-waf-logs-*.
    const webAcl = (name: string, scope: string, provider?: PlanResource) =>
        g.add(
            "aws:wafv2/webAcl:WebAcl",
            n(name),
            {
                scope,
                defaultAction: { allow: {} },
                rules: [
                    {
                        name: "common",
                        priority: 1,
                        overrideAction: { none: {} },
                        statement: {
                            managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" },
                        },
                        visibilityConfig: {
                            cloudwatchMetricsEnabled: true,
                            metricName: "common",
                            sampledRequestsEnabled: true,
                        },
                    },
                ],
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
            },
            { provider },
        );
    const edgeAcl = webAcl("edge-acl", "CLOUDFRONT", g.edge);
    const edgeAclLogs = logGroup("edge-waf-logs", `aws-waf-logs-${p}shop-edge`, edgeLogsKey, g.edge);
    g.add(
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
        n("edge-acl-logging"),
        { resourceArn: g.arn(edgeAcl), logDestinationConfigs: [g.arn(edgeAclLogs)] },
        { provider: g.edge },
    );
    const albAcl = webAcl("web-acl", "REGIONAL");
    const albAclLogs = logGroup("web-waf-logs", `aws-waf-logs-${p}shop-web`, logsKey);
    g.add("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", n("web-acl-logging"), {
        resourceArn: g.arn(albAcl),
        logDestinationConfigs: [g.arn(albAclLogs)],
    });
    g.add("aws:wafv2/webAclAssociation:WebAclAssociation", n("web-acl-association"), {
        resourceArn: g.arn(alb),
        webAclArn: g.arn(albAcl),
    });

    // Edge: CloudFront with the assets bucket (OAC), the ALB and the API as origins.
    const oac = g.add("aws:cloudfront/originAccessControl:OriginAccessControl", n("edge-oac"), {
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    });
    const httpsOrigin = (originId: string, domainName: string) => ({
        originId,
        domainName,
        customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
        },
    });
    g.add(
        "aws:cloudfront/distribution:Distribution",
        n("edge-distribution"),
        {
            enabled: true,
            aliases: ["shop.example.co.za", "www.shop.example.co.za"],
            httpVersion: "http2and3",
            isIpv6Enabled: true,
            priceClass: "PriceClass_All",
            origins: [
                {
                    originId: "assets",
                    domainName: g.ref(assets, (id: string) => `${id}.s3.af-south-1.amazonaws.com`),
                    originAccessControlId: g.ref(oac),
                },
                httpsOrigin("web", "origin.shop.example.co.za"),
                httpsOrigin("api", "abc123.execute-api.af-south-1.amazonaws.com"),
            ],
            defaultCacheBehavior: {
                targetOriginId: "web",
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD"],
                cachedMethods: ["GET", "HEAD"],
            },
            orderedCacheBehaviors: [
                {
                    pathPattern: "/static/*",
                    targetOriginId: "assets",
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                },
                {
                    pathPattern: "/api/*",
                    targetOriginId: "api",
                    viewerProtocolPolicy: "https-only",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                },
            ],
            viewerCertificate: {
                acmCertificateArn: g.ref(siteCertificate),
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            },
            webAclId: g.arn(edgeAcl),
            loggingConfig: {
                bucket: g.ref(edgeLogs, (id: string) => `${id}.s3.amazonaws.com`),
                prefix: "cloudfront/",
                includeCookies: false,
            },
            restrictions: { geoRestriction: { restrictionType: "none" } },
        },
        { provider: g.edge },
    );

    // Identity: Cognito with strong sign-in and threat protection.
    g.add("aws:cognito/userPool:UserPool", n("identity-users"), {
        passwordPolicy: {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
            temporaryPasswordValidityDays: 3,
        },
        mfaConfiguration: "OPTIONAL",
        softwareTokenMfaConfiguration: { enabled: true },
        userPoolTier: "PLUS",
        userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
        deletionProtection: "ACTIVE",
    });

    // Queues: the orders queue and its dead-letter queue, encrypted, TLS-only.
    const queue = (name: string, extra: Record<string, unknown>) => {
        const q = g.add("aws:sqs/queue:Queue", n(name), { kmsMasterKeyId: g.arn(messagingKey), ...extra });
        g.add("aws:sqs/queuePolicy:QueuePolicy", `${q.name}-policy`, {
            queueUrl: g.ref(q),
            policy: g.json({ Statement: [denyInsecure("sqs:*", g.arn(q))] }),
        });
        return q;
    };
    const dlq = queue("queues-orders-dlq", { messageRetentionSeconds: 1209600 });
    const orders = queue("queues-orders", {
        messageRetentionSeconds: 345600,
        visibilityTimeoutSeconds: 180,
        redrivePolicy: g.json({ deadLetterTargetArn: g.arn(dlq), maxReceiveCount: 5 }),
    });
    g.add("aws:sns/topic:Topic", n("observability-alerts"), { kmsMasterKeyId: g.arn(messagingKey) });

    // Services: ECS on Fargate behind an internal ALB (HTTPS), images in ECR, the HTTP API stage.
    const repo = g.add("aws:ecr/repository:Repository", n("services-orders-repo"), {
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: g.arn(dataKey) }],
    });
    g.add("aws:ecr/lifecyclePolicy:LifecyclePolicy", n("services-orders-lifecycle"), {
        repository: g.ref(repo),
        policy: JSON.stringify({ rules: [] }),
    });
    const ecsCluster = g.add("aws:ecs/cluster:Cluster", n("services-cluster"), {
        settings: [{ name: "containerInsights", value: "enhanced" }],
    });
    const taskRole = g.add("aws:iam/role:Role", n("services-orders-task"), {
        assumeRolePolicy: trust("ecs-tasks.amazonaws.com"),
    });
    g.add("aws:iam/rolePolicy:RolePolicy", n("services-orders-task-policy"), {
        role: g.ref(taskRole),
        policy: g.json({
            Statement: [
                { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: g.arn(orders) },
                { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: g.arn(messagingKey) },
            ],
        }),
    });
    const serviceLogs = logGroup("services-orders-logs", `/ecs/${p}shop-prod/orders`, logsKey);
    const task = g.add("aws:ecs/taskDefinition:TaskDefinition", n("services-orders-task-def"), {
        family: `${p}orders`,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "512",
        memory: "1024",
        taskRoleArn: g.arn(taskRole),
        containerDefinitions: g.json([
            {
                name: "orders",
                image: "orders:1.0.0",
                user: "1000:1000",
                readonlyRootFilesystem: true,
                essential: true,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": g.ref(serviceLogs) },
                },
                environment: [
                    { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:af-south-1:222222222222:secret:db" },
                ],
                secrets: [
                    {
                        name: "REDIS_AUTH_TOKEN",
                        valueFrom: "arn:aws:secretsmanager:af-south-1:222222222222:secret:redis",
                    },
                ],
                mountPoints: [{ sourceVolume: "media", containerPath: "/media" }],
            },
        ]),
        volumes: [
            {
                name: "media",
                efsVolumeConfiguration: {
                    fileSystemId: g.ref(fs),
                    transitEncryption: "ENABLED",
                    authorizationConfig: { iam: "ENABLED", accessPointId: "fsap-0123" },
                },
            },
        ],
    });
    const internalAlb = g.add("aws:lb/loadBalancer:LoadBalancer", n("services-alb"), {
        internal: true,
        loadBalancerType: "application",
        subnets: ids(privateSubnets),
        securityGroups: [g.ref(internalAlbSg)],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        accessLogs: { bucket: g.ref(albLogs), enabled: true },
    });
    g.add("aws:lb/listener:Listener", n("services-https"), {
        loadBalancerArn: g.arn(internalAlb),
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        certificateArn: "arn:aws:acm:af-south-1:222222222222:certificate/internal",
        defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    });
    g.add("aws:ecs/service:Service", n("services-orders"), {
        cluster: g.arn(ecsCluster),
        taskDefinition: g.arn(task),
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: { subnets: ids(privateSubnets), securityGroups: [g.ref(svcSg)], assignPublicIp: false },
    });
    const apiLogs = logGroup("services-api-logs", `/aws/apigateway/${p}shop-prod`, logsKey);
    g.add("aws:apigatewayv2/stage:Stage", n("services-api-stage"), {
        apiId: "abc123",
        name: "$default",
        autoDeploy: true,
        accessLogSettings: {
            destinationArn: g.arn(apiLogs),
            format: JSON.stringify({ requestId: "$context.requestId", status: "$context.status" }),
        },
    });

    // Async: a VPC function on the private subnets and its S3 invoke permission.
    const fnRole = g.add("aws:iam/role:Role", n("async-order-processor-role"), {
        assumeRolePolicy: trust("lambda.amazonaws.com"),
    });
    const fn = g.add("aws:lambda/function:Function", n("async-order-processor"), {
        runtime: "nodejs22.x",
        handler: "index.handler",
        role: g.arn(fnRole),
        architectures: ["arm64"],
        timeout: 30,
        kmsKeyArn: g.arn(dataKey),
        vpcConfig: { subnetIds: ids(privateSubnets), securityGroupIds: [g.ref(fnSg)] },
        environment: {
            variables: {
                QUEUE_URL: "https://sqs.af-south-1.amazonaws.com/222222222222/orders",
                DB_SECRET_ARN: "arn:aws:secretsmanager:af-south-1:222222222222:secret:db",
            },
        },
    });
    g.add("aws:lambda/permission:Permission", n("async-thumbnailer-from-s3"), {
        action: "lambda:InvokeFunction",
        function: g.ref(fn),
        principal: "s3.amazonaws.com",
        sourceArn: g.arn(assets),
        sourceAccount: g.account,
    });

    // Observability: the multi-region trail with validation, KMS and CloudWatch Logs.
    const trailLogs = logGroup("observability-trail-logs", `/aws/cloudtrail/${p}shop-prod`, logsKey);
    g.add("aws:cloudtrail/trail:Trail", n("observability-trail"), {
        s3BucketName: g.ref(trailBucket),
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        kmsKeyId: g.arn(auditKey),
        cloudWatchLogsGroupArn: g.arn(trailLogs),
        cloudWatchLogsRoleArn: g.arn(flowRole),
    });
}
