/**
 * A small order-export service from a team that follows the platform's guardrails, written its own
 * way: tags on the provider, a helper per concern, ARNs through `pulumi.interpolate` and
 * `pulumi.jsonStringify`, the bucket policy ordered after the public access block by taking the
 * block's `bucket`. Nothing here breaks a rule; the pack must say nothing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const region = "af-south-1";
const zones = ["af-south-1a", "af-south-1b"];

export function compliantService() {
    const account = aws.getCallerIdentityOutput().accountId;
    const provider = new aws.Provider("exports", {
        region,
        defaultTags: {
            tags: {
                Project: "exports",
                Environment: "dev",
                Owner: "orders-team",
                CostCenter: "CC-12",
                DataClassification: "confidential",
            },
        },
    });
    const opts = { provider };

    const key = new aws.kms.Key(
        "exports",
        {
            description: "exports",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "Account",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "Logs",
                        Effect: "Allow",
                        Principal: { Service: `logs.${region}.amazonaws.com` },
                        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        Resource: "*",
                        Condition: {
                            ArnLike: {
                                "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${account}:*`,
                            },
                        },
                    },
                ],
            }),
        },
        opts,
    );
    const logGroup = (name: string, logGroupName?: string) =>
        new aws.cloudwatch.LogGroup(name, { name: logGroupName, retentionInDays: 365, kmsKeyId: key.arn }, opts);
    const trust = (service: string) =>
        pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: service },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
            ],
        });
    const tlsOnly = (service: string, resources: pulumi.Input<string>[]) => ({
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });

    // Network: two zones of isolated subnets (the function reaches AWS through endpoints).
    const vpc = new aws.ec2.Vpc("exports", { cidrBlock: "10.50.0.0/16", enableDnsHostnames: true }, opts);
    new aws.ec2.DefaultSecurityGroup("exports-default", { vpcId: vpc.id }, opts);
    const flowLogs = logGroup("exports-flow");
    const flowRole = new aws.iam.Role("exports-flow", { assumeRolePolicy: trust("vpc-flow-logs.amazonaws.com") }, opts);
    const flowPolicy = new aws.iam.RolePolicy(
        "exports-flow",
        {
            role: flowRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [flowLogs.arn, pulumi.interpolate`${flowLogs.arn}:*`],
                    },
                    { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                ],
            }),
        },
        opts,
    );
    new aws.ec2.FlowLog(
        "exports",
        { vpcId: vpc.id, trafficType: "ALL", logDestination: flowLogs.arn, iamRoleArn: flowRole.arn },
        { provider, dependsOn: [flowPolicy] },
    );
    const routes = new aws.ec2.RouteTable("exports-isolated", { vpcId: vpc.id }, opts);
    const subnets = zones.map((zone, i) => {
        const subnet = new aws.ec2.Subnet(
            `exports-${zone}`,
            { vpcId: vpc.id, availabilityZone: zone, cidrBlock: `10.50.${i}.0/24` },
            opts,
        );
        new aws.ec2.RouteTableAssociation(`exports-${zone}`, { subnetId: subnet.id, routeTableId: routes.id }, opts);
        return subnet;
    });

    // Queue and its dead-letter queue, encrypted and TLS-only.
    const queue = (name: string, args: aws.sqs.QueueArgs) => {
        const q = new aws.sqs.Queue(name, { kmsMasterKeyId: key.arn, ...args }, opts);
        new aws.sqs.QueuePolicy(
            name,
            {
                queueUrl: q.url,
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [tlsOnly("sqs", [q.arn])] }),
            },
            opts,
        );
        return q;
    };
    const dlq = queue("exports-dlq", { messageRetentionSeconds: 1209600 });
    const jobs = queue("exports", {
        visibilityTimeoutSeconds: 120,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    });

    // The exports bucket.
    const bucket = new aws.s3.Bucket("exports", {}, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        "exports",
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                    bucketKeyEnabled: true,
                },
            ],
        },
        opts,
    );
    const block = new aws.s3.BucketPublicAccessBlock(
        "exports",
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    new aws.s3.BucketOwnershipControls(
        "exports",
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    new aws.s3.BucketVersioning("exports", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketPolicy(
        "exports",
        {
            bucket: block.bucket,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [tlsOnly("s3", [bucket.arn, pulumi.interpolate`${bucket.arn}/*`])],
            }),
        },
        opts,
    );

    // The worker: a VPC function over both zones, reading the queue and writing the bucket.
    const role = new aws.iam.Role("exporter", { assumeRolePolicy: trust("lambda.amazonaws.com") }, opts);
    const fnLogs = logGroup("exporter", "/aws/lambda/exporter");
    new aws.iam.RolePolicy(
        "exporter",
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                        Resource: jobs.arn,
                    },
                    {
                        Effect: "Allow",
                        Action: ["s3:PutObject"],
                        Resource: pulumi.interpolate`${bucket.arn}/exports/*`,
                    },
                    {
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: key.arn,
                        Condition: {
                            StringLike: {
                                "kms:ViaService": [`sqs.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`],
                            },
                        },
                    },
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${fnLogs.arn}:*`,
                    },
                    {
                        Effect: "Allow",
                        Action: [
                            "ec2:CreateNetworkInterface",
                            "ec2:DescribeNetworkInterfaces",
                            "ec2:DeleteNetworkInterface",
                        ],
                        Resource: "*",
                    },
                ],
            }),
        },
        opts,
    );
    const fnSg = new aws.ec2.SecurityGroup("exporter", { vpcId: vpc.id, description: "exporter" }, opts);
    const fn = new aws.lambda.Function(
        "exporter",
        {
            runtime: "nodejs22.x",
            handler: "index.handler",
            architectures: ["arm64"],
            role: role.arn,
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.StringAsset("exports.handler=async()=>{}"),
            }),
            environment: { variables: { BUCKET: bucket.id } },
            vpcConfig: { subnetIds: subnets.map((s) => s.id), securityGroupIds: [fnSg.id] },
            loggingConfig: { logFormat: "JSON", logGroup: fnLogs.name },
        },
        opts,
    );
    new aws.lambda.EventSourceMapping(
        "exporter",
        { eventSourceArn: jobs.arn, functionName: fn.arn, batchSize: 10 },
        opts,
    );
    return { queueUrl: jobs.url };
}
