/**
 * A careful platform team's network and workers: three zones of public and private subnets, a NAT
 * gateway per zone, flow logs, an adopted default security group, IMDSv2 and encrypted volumes.
 * Cost cutting crept in through values rather than resources: the workers and the function get
 * `privateSubnetIds.apply(ids => ids.slice(0, 1))`, linked to every private subnet but holding
 * one; and the function's policy was typed from memory.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export function slicedSubnets() {
    const provider = new aws.Provider("platform", {
        region: "af-south-1",
        defaultTags: {
            tags: {
                Project: "ledger",
                Environment: "prod",
                Owner: "platform",
                CostCenter: "CC-9",
                DataClassification: "internal",
            },
        },
    });
    const opts = { provider };
    const key = new aws.kms.Key(
        "logs",
        { enableKeyRotation: true, deletionWindowInDays: 30, description: "logs" },
        opts,
    );

    const vpc = new aws.ec2.Vpc("ledger", { cidrBlock: "10.40.0.0/16", enableDnsHostnames: true }, opts);
    new aws.ec2.DefaultSecurityGroup("ledger-default", { vpcId: vpc.id }, opts);
    const flowLogGroup = new aws.cloudwatch.LogGroup("ledger-flow", { retentionInDays: 365, kmsKeyId: key.arn }, opts);
    const flowRole = new aws.iam.Role(
        "ledger-flow",
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
        },
        opts,
    );
    new aws.iam.RolePolicy(
        "ledger-flow",
        {
            role: flowRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${flowLogGroup.arn}:*`,
                    },
                ],
            }),
        },
        opts,
    );
    new aws.ec2.FlowLog(
        "ledger",
        { vpcId: vpc.id, trafficType: "ALL", logDestination: flowLogGroup.arn, iamRoleArn: flowRole.arn },
        opts,
    );

    const zones = ["af-south-1a", "af-south-1b", "af-south-1c"];
    const igw = new aws.ec2.InternetGateway("ledger", { vpcId: vpc.id }, opts);
    const publicRoutes = new aws.ec2.RouteTable(
        "public",
        { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] },
        opts,
    );
    const privateSubnets = zones.map((zone, i) => {
        const publicSubnet = new aws.ec2.Subnet(
            `public-${zone}`,
            { vpcId: vpc.id, cidrBlock: `10.40.${i}.0/24`, availabilityZone: zone },
            opts,
        );
        new aws.ec2.RouteTableAssociation(
            `public-${zone}`,
            { subnetId: publicSubnet.id, routeTableId: publicRoutes.id },
            opts,
        );
        const eip = new aws.ec2.Eip(`nat-${zone}`, { domain: "vpc" }, opts);
        const nat = new aws.ec2.NatGateway(
            `nat-${zone}`,
            { allocationId: eip.id, subnetId: publicSubnet.id },
            { provider, dependsOn: [igw] },
        );
        const routes = new aws.ec2.RouteTable(
            `private-${zone}`,
            { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] },
            opts,
        );
        const subnet = new aws.ec2.Subnet(
            `private-${zone}`,
            { vpcId: vpc.id, cidrBlock: `10.40.${10 + i}.0/24`, availabilityZone: zone },
            opts,
        );
        new aws.ec2.RouteTableAssociation(`private-${zone}`, { subnetId: subnet.id, routeTableId: routes.id }, opts);
        return subnet;
    });
    const privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    // "One zone is enough for now": linked to all three subnets, holding the first.
    const firstPrivateSubnet = privateSubnetIds.apply((ids) => ids.slice(0, 1));

    const workersSg = new aws.ec2.SecurityGroup("workers", { vpcId: vpc.id, description: "workers" }, opts);
    const template = new aws.ec2.LaunchTemplate(
        "workers",
        {
            imageId: "ami-0a1b2c3d4e5f67890",
            instanceType: "m7g.large",
            vpcSecurityGroupIds: [workersSg.id],
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 30 } }],
        },
        opts,
    );
    new aws.autoscaling.Group(
        "workers",
        {
            vpcZoneIdentifiers: firstPrivateSubnet,
            minSize: 2,
            maxSize: 4,
            launchTemplate: { id: template.id, version: "$Latest" },
        },
        opts,
    );

    const fnRole = new aws.iam.Role(
        "statements",
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
                ],
            }),
        },
        opts,
    );
    const fnLogs = new aws.cloudwatch.LogGroup(
        "statements",
        { name: "/aws/lambda/statements", retentionInDays: 365, kmsKeyId: key.arn },
        opts,
    );
    new aws.iam.RolePolicy(
        "statements",
        {
            role: fnRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadStatements",
                        Effect: "Allow",
                        Action: ["s3:GetObjects"],
                        Resource: "arn:aws:s3:::ledger-statements/*",
                    },
                    {
                        Sid: "Decrypt",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: key.arn,
                        Condition: { StringEquals: { "kms:ViaServic": "s3.af-south-1.amazonaws.com" } },
                    },
                    {
                        Sid: "Logs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups"],
                        Resource: pulumi.interpolate`${fnLogs.arn}:*`,
                    },
                ],
            }),
        },
        opts,
    );
    const fnSg = new aws.ec2.SecurityGroup("statements", { vpcId: vpc.id, description: "statements" }, opts);
    new aws.lambda.Function(
        "statements",
        {
            runtime: "nodejs22.x",
            handler: "index.handler",
            role: fnRole.arn,
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler=()=>1") }),
            vpcConfig: { subnetIds: firstPrivateSubnet, securityGroupIds: [fnSg.id] },
        },
        { provider, dependsOn: [fnLogs] },
    );
    return { vpcId: vpc.id };
}
