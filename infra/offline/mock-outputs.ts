/**
 * Attributes AWS computes for each resource type (ids, ARNs, endpoints, DNS names), as the
 * offline plan's mocks return them. Types not listed get their inputs back, a generic ARN and
 * their physical name as id. Add a type here when the program reads a computed attribute of it.
 */
export interface MockContext {
    type: string;
    name: string;
    /** The inputs as the program passed them; the functions below read them as the provider would. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- inputs of every resource type
    inputs: Record<string, any>;
    /** 40 hex digits, stable for the resource across runs. */
    hash: string;
    region: string;
    accountId: string;
    /** The `name` input, or the name Pulumi's autonaming would give. */
    physicalName: string;
}

export type ComputedOutputs = (ctx: MockContext) => Record<string, unknown>;

/** An EC2-style id: prefix plus 17 hex digits. */
export function ec2Id(prefix: string, ctx: MockContext): string {
    return `${prefix}-${ctx.hash.slice(0, 17)}`;
}

/** A UUID-shaped id derived from the hash. */
export function uuid(ctx: MockContext): string {
    const h = ctx.hash;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `length` letters and digits (mixed case) derived from the hash. */
function alphanumeric(ctx: MockContext, length: number): string {
    return Buffer.from(ctx.hash, "hex")
        .toString("base64")
        .replace(/[^A-Za-z0-9]/g, "")
        .slice(0, length);
}

function ec2Resource(prefix: string, kind: string): ComputedOutputs {
    return (ctx) => {
        const id = ec2Id(prefix, ctx);
        return { id, arn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:${kind}/${id}`, ownerId: ctx.accountId };
    };
}

export const COMPUTED_OUTPUTS: Record<string, ComputedOutputs> = {
    // --- network
    "aws:ec2/vpc:Vpc": (ctx) => ({
        ...ec2Resource("vpc", "vpc")(ctx),
        defaultSecurityGroupId: ec2Id("sg", { ...ctx, hash: ctx.hash.slice(3) }),
        mainRouteTableId: ec2Id("rtb", { ...ctx, hash: ctx.hash.slice(5) }),
        defaultNetworkAclId: ec2Id("acl", ctx),
    }),
    "aws:ec2/subnet:Subnet": ec2Resource("subnet", "subnet"),
    "aws:ec2/internetGateway:InternetGateway": ec2Resource("igw", "internet-gateway"),
    "aws:ec2/eip:Eip": (ctx) => ({
        ...ec2Resource("eipalloc", "elastic-ip")(ctx),
        allocationId: ec2Id("eipalloc", ctx),
        publicIp: `203.0.113.${(parseInt(ctx.hash.slice(0, 2), 16) % 254) + 1}`,
    }),
    "aws:ec2/natGateway:NatGateway": ec2Resource("nat", "natgateway"),
    "aws:ec2/routeTable:RouteTable": ec2Resource("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (ctx) => ({ id: ec2Id("rtbassoc", ctx) }),
    "aws:ec2/securityGroup:SecurityGroup": ec2Resource("sg", "security-group"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2Resource("sg", "security-group"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2Resource("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2Resource("sgr", "security-group-rule"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (ctx) => ({
        ...ec2Resource("vpce", "vpc-endpoint")(ctx),
        prefixListId: ctx.inputs.vpcEndpointType === "Gateway" ? ec2Id("pl", ctx).slice(0, 11) : undefined,
        dnsEntries:
            ctx.inputs.vpcEndpointType === "Interface"
                ? [
                      {
                          dnsName: `${ec2Id("vpce", ctx)}.${ctx.inputs.serviceName}.vpce.amazonaws.com`,
                          hostedZoneId: "Z0MOCKVPCE",
                      },
                  ]
                : [],
    }),
    "aws:ec2/flowLog:FlowLog": (ctx) => {
        const id = ec2Id("fl", ctx);
        return { id, arn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/${id}` };
    },
    // --- security and logs
    "aws:kms/key:Key": (ctx) => {
        const id = uuid(ctx);
        return { id, keyId: id, arn: `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${id}` };
    },
    "aws:kms/alias:Alias": (ctx) => ({ arn: `arn:aws:kms:${ctx.region}:${ctx.accountId}:${ctx.physicalName}` }),
    "aws:iam/role:Role": (ctx) => ({
        arn: `arn:aws:iam::${ctx.accountId}:role${ctx.inputs.path ?? "/"}${ctx.physicalName}`,
        uniqueId: `AROA${ctx.hash.slice(0, 17).toUpperCase()}`,
    }),
    "aws:iam/policy:Policy": (ctx) => ({ arn: `arn:aws:iam::${ctx.accountId}:policy/${ctx.physicalName}` }),
    "aws:iam/rolePolicy:RolePolicy": (ctx) => ({ id: `${ctx.inputs.role}:${ctx.physicalName}` }),
    "aws:cloudwatch/logGroup:LogGroup": (ctx) => ({
        arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${ctx.physicalName}`,
    }),
    "random:index/randomPassword:RandomPassword": (ctx) => ({
        result: Buffer.from(ctx.hash + ctx.hash)
            .toString("base64")
            .replace(/[^A-Za-z0-9]/g, "")
            .slice(0, ctx.inputs.length ?? 32),
    }),
    // --- edge: DNS and certificates
    "aws:route53/zone:Zone": (ctx) => {
        const id = `Z${ctx.hash.slice(0, 20).toUpperCase()}`;
        return {
            id,
            zoneId: id,
            arn: `arn:aws:route53:::hostedzone/${id}`,
            nameServers: [1, 2, 3, 4].map((n) => `ns-${n}${ctx.hash.slice(n, n + 2)}.awsdns-${n}.example`),
        };
    },
    "aws:route53/record:Record": (ctx) => ({
        id: `${ctx.inputs.zoneId}_${ctx.inputs.name}_${ctx.inputs.type}`,
        fqdn: String(ctx.inputs.name).replace(/\.$/, ""),
    }),
    "aws:acm/certificate:Certificate": (ctx) => {
        const id = uuid(ctx);
        const names: string[] = [ctx.inputs.domainName, ...(ctx.inputs.subjectAlternativeNames ?? [])];
        return {
            id,
            arn: `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/${id}`,
            status: "PENDING_VALIDATION",
            domainValidationOptions: names.map((domainName, i) => ({
                domainName,
                resourceRecordName: `_${ctx.hash.slice(i, i + 32)}.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${ctx.hash.slice(i + 1, i + 33)}.acm-validations.aws.`,
            })),
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": (ctx) => ({ id: String(ctx.inputs.certificateArn) }),
    // --- data tier: Aurora PostgreSQL
    "aws:rds/cluster:Cluster": (ctx) => {
        const id = String(ctx.inputs.clusterIdentifier ?? ctx.physicalName);
        const dnsSuffix = `${ctx.hash.slice(0, 12)}.${ctx.region}.rds.amazonaws.com`;
        return {
            id,
            clusterIdentifier: id,
            arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:cluster:${id}`,
            clusterResourceId: `cluster-${ctx.hash.slice(0, 26).toUpperCase()}`,
            endpoint: `${id}.cluster-${dnsSuffix}`,
            readerEndpoint: `${id}.cluster-ro-${dnsSuffix}`,
            port: ctx.inputs.port ?? 5432,
            hostedZoneId: "Z0MOCKRDSZONE",
            engineVersionActual: ctx.inputs.engineVersion,
            masterUserSecrets: ctx.inputs.manageMasterUserPassword
                ? [
                      {
                          secretArn: `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:rds!cluster-${uuid(ctx)}-${ctx.hash.slice(0, 6)}`,
                          kmsKeyId: ctx.inputs.masterUserSecretKmsKeyId,
                          secretStatus: "active",
                      },
                  ]
                : [],
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (ctx) => {
        const id = String(ctx.inputs.identifier ?? ctx.physicalName);
        return {
            id,
            identifier: id,
            arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${id}`,
            dbiResourceId: `db-${ctx.hash.slice(0, 26).toUpperCase()}`,
            endpoint: `${id}.${ctx.hash.slice(0, 12)}.${ctx.region}.rds.amazonaws.com`,
            port: 5432,
        };
    },
    "aws:rds/subnetGroup:SubnetGroup": (ctx) => ({
        id: ctx.physicalName,
        arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:subgrp:${ctx.physicalName}`,
    }),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": (ctx) => ({
        id: ctx.physicalName,
        arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:cluster-pg:${ctx.physicalName}`,
    }),
    "aws:appautoscaling/target:Target": (ctx) => ({
        id: String(ctx.inputs.resourceId),
        arn: `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${ctx.hash.slice(0, 28)}`,
    }),
    "aws:appautoscaling/policy:Policy": (ctx) => ({
        arn: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${uuid(ctx)}:resource/${ctx.inputs.serviceNamespace}/${ctx.inputs.resourceId}:policyName/${ctx.physicalName}`,
        alarmArns: [],
    }),
    "random:index/randomId:RandomId": (ctx) => {
        const bytes = Buffer.from(ctx.hash.slice(0, 2 * (ctx.inputs.byteLength ?? 8)), "hex");
        return {
            hex: bytes.toString("hex"),
            b64Url: bytes.toString("base64url"),
            b64Std: bytes.toString("base64"),
            dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
        };
    },
    // --- edge: assets bucket, Cognito, CloudFront, WAF, health check, log delivery
    "aws:s3/bucket:Bucket": (ctx) => {
        // A bucket's physical name is its `bucket` input.
        const bucket = typeof ctx.inputs.bucket === "string" ? ctx.inputs.bucket : ctx.physicalName;
        return {
            id: bucket,
            bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
        };
    },
    "aws:cognito/userPool:UserPool": (ctx) => {
        const id = `${ctx.region}_${alphanumeric(ctx, 9)}`;
        return {
            id,
            arn: `arn:aws:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${id}`,
            endpoint: `cognito-idp.${ctx.region}.amazonaws.com/${id}`,
        };
    },
    "aws:cognito/userPoolClient:UserPoolClient": (ctx) => ({ id: `${ctx.hash}${ctx.hash}`.slice(0, 26) }),
    "aws:cloudfront/distribution:Distribution": (ctx) => {
        const id = `E${ctx.hash.slice(0, 13).toUpperCase()}`;
        return {
            id,
            arn: `arn:aws:cloudfront::${ctx.accountId}:distribution/${id}`,
            domainName: `d${ctx.hash.slice(0, 13)}.cloudfront.net`,
            // CloudFront's own zone, the same for every distribution.
            hostedZoneId: "Z2FDTNDATAQYW2",
            status: "Deployed",
        };
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": (ctx) => ({
        id: `E${ctx.hash.slice(0, 13).toUpperCase()}`,
    }),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (ctx) => ({ id: uuid(ctx) }),
    "aws:cloudfront/function:Function": (ctx) => ({
        arn: `arn:aws:cloudfront::${ctx.accountId}:function/${ctx.physicalName}`,
    }),
    "aws:wafv2/webAcl:WebAcl": (ctx) => {
        const id = uuid(ctx);
        const scope = ctx.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
        return { id, arn: `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:${scope}/webacl/${ctx.physicalName}/${id}` };
    },
    "aws:route53/healthCheck:HealthCheck": (ctx) => ({
        id: uuid(ctx),
        arn: `arn:aws:route53:::healthcheck/${uuid(ctx)}`,
    }),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": (ctx) => ({
        arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:delivery-source:${ctx.physicalName}`,
    }),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": (ctx) => ({
        arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:delivery-destination:${ctx.physicalName}`,
    }),
    // --- web tier part 2: public load balancer and web servers, cache, shared files
    // Load balancers, target groups, listeners and their rules have their ARN as id.
    "aws:lb/loadBalancer:LoadBalancer": (ctx) => {
        const suffix = `app/${ctx.physicalName}/${ctx.hash.slice(0, 16)}`;
        const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${suffix}`;
        return {
            id: arn,
            arn,
            arnSuffix: suffix,
            dnsName: `${ctx.physicalName}-${parseInt(ctx.hash.slice(0, 8), 16)}.${ctx.region}.elb.amazonaws.com`,
            // ELB's hosted zone for af-south-1 (each region has its own); a mock one elsewhere.
            zoneId: ctx.region === "af-south-1" ? "Z268VQBMOI5EKX" : "Z0MOCKELBZONE",
        };
    },
    "aws:lb/targetGroup:TargetGroup": (ctx) => {
        const suffix = `targetgroup/${ctx.physicalName.slice(0, 32)}/${ctx.hash.slice(0, 16)}`;
        const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:${suffix}`;
        return { id: arn, arn, arnSuffix: suffix };
    },
    "aws:lb/listener:Listener": (ctx) => {
        const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener/app/${ctx.hash.slice(0, 10)}/${ctx.hash.slice(10, 26)}/${ctx.hash.slice(26, 40)}`;
        return { id: arn, arn };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (ctx) => ({
        ...ec2Resource("lt", "launch-template")(ctx),
        latestVersion: 1,
        defaultVersion: 1,
    }),
    "aws:iam/instanceProfile:InstanceProfile": (ctx) => ({
        arn: `arn:aws:iam::${ctx.accountId}:instance-profile/${ctx.physicalName}`,
    }),
    "aws:autoscaling/group:Group": (ctx) => ({
        id: ctx.physicalName,
        arn: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:${uuid(ctx)}:autoScalingGroupName/${ctx.physicalName}`,
    }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (ctx) => {
        const id = String(ctx.inputs.replicationGroupId);
        const host = `${id}.${ctx.hash.slice(0, 6)}.${ctx.region.replace(/-/g, "")}.cache.amazonaws.com`;
        return {
            id,
            arn: `arn:aws:elasticache:${ctx.region}:${ctx.accountId}:replicationgroup:${id}`,
            primaryEndpointAddress: `master.${host}`,
            readerEndpointAddress: `replica.${host}`,
        };
    },
    "aws:secretsmanager/secret:Secret": (ctx) => {
        const arn = `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${ctx.physicalName}-${ctx.hash.slice(0, 6)}`;
        return { id: arn, arn };
    },
    "aws:efs/fileSystem:FileSystem": (ctx) => {
        const id = `fs-${ctx.hash.slice(0, 17)}`;
        return {
            id,
            arn: `arn:aws:elasticfilesystem:${ctx.region}:${ctx.accountId}:file-system/${id}`,
            dnsName: `${id}.efs.${ctx.region}.amazonaws.com`,
        };
    },
    "aws:efs/accessPoint:AccessPoint": (ctx) => {
        const id = `fsap-${ctx.hash.slice(0, 17)}`;
        return { id, arn: `arn:aws:elasticfilesystem:${ctx.region}:${ctx.accountId}:access-point/${id}` };
    },
    "aws:efs/mountTarget:MountTarget": (ctx) => ({ id: `fsmt-${ctx.hash.slice(0, 17)}` }),
    // --- observability: alerting, security monitoring, alarms
    "aws:sns/topic:Topic": (ctx) => {
        const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${ctx.physicalName}`;
        return { id: arn, arn };
    },
    "aws:cloudtrail/trail:Trail": (ctx) => ({
        arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${ctx.physicalName}`,
    }),
    "aws:guardduty/detector:Detector": (ctx) => {
        const id = ctx.hash.slice(0, 32);
        return { id, arn: `arn:aws:guardduty:${ctx.region}:${ctx.accountId}:detector/${id}` };
    },
    "aws:cloudwatch/eventRule:EventRule": (ctx) => ({
        arn: `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${ctx.physicalName}`,
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (ctx) => ({
        arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${ctx.physicalName}`,
    }),
    "aws:cloudwatch/dashboard:Dashboard": (ctx) => ({
        dashboardName: ctx.inputs.dashboardName,
        dashboardArn: `arn:aws:cloudwatch::${ctx.accountId}:dashboard/${ctx.inputs.dashboardName}`,
    }),
    // --- services tier: ECR, ECS, internal routing, the HTTP API
    "aws:ecr/repository:Repository": (ctx) => ({
        arn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${ctx.physicalName}`,
        registryId: ctx.accountId,
        repositoryUrl: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${ctx.physicalName}`,
    }),
    "aws:ecs/cluster:Cluster": (ctx) => ({
        id: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${ctx.physicalName}`,
        arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${ctx.physicalName}`,
    }),
    "aws:ecs/taskDefinition:TaskDefinition": (ctx) => {
        const family = String(ctx.inputs.family);
        return {
            id: family,
            revision: 1,
            arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:1`,
            arnWithoutRevision: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}`,
        };
    },
    "aws:ecs/service:Service": (ctx) => {
        const cluster = String(ctx.inputs.cluster).split("/").pop();
        const arn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster}/${ctx.physicalName}`;
        return { id: arn, arn };
    },
    "aws:lb/listenerRule:ListenerRule": (ctx) => {
        const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener-rule/app/${ctx.hash.slice(0, 10)}/${ctx.hash.slice(10, 26)}/${ctx.hash.slice(26, 40)}/${ctx.hash.slice(0, 16)}`;
        return { id: arn, arn };
    },
    "aws:apigatewayv2/api:Api": (ctx) => {
        const id = ctx.hash.slice(0, 10);
        return {
            id,
            arn: `arn:aws:apigateway:${ctx.region}::/apis/${id}`,
            apiEndpoint: `https://${id}.execute-api.${ctx.region}.amazonaws.com`,
            executionArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${id}`,
        };
    },
    "aws:apigatewayv2/vpcLink:VpcLink": (ctx) => {
        const id = ctx.hash.slice(0, 6);
        return { id, arn: `arn:aws:apigateway:${ctx.region}::/vpclinks/${id}` };
    },
    "aws:apigatewayv2/integration:Integration": (ctx) => ({ id: ctx.hash.slice(0, 7) }),
    "aws:apigatewayv2/authorizer:Authorizer": (ctx) => ({ id: ctx.hash.slice(0, 6) }),
    "aws:apigatewayv2/route:Route": (ctx) => ({ id: ctx.hash.slice(0, 7) }),
    "aws:apigatewayv2/stage:Stage": (ctx) => ({
        id: String(ctx.inputs.name),
        arn: `arn:aws:apigateway:${ctx.region}::/apis/${ctx.inputs.apiId}/stages/${ctx.inputs.name}`,
        invokeUrl: `https://${ctx.inputs.apiId}.execute-api.${ctx.region}.amazonaws.com/`,
    }),
    "aws:apigatewayv2/domainName:DomainName": (ctx) => {
        const domainName = String(ctx.inputs.domainName);
        return {
            id: domainName,
            arn: `arn:aws:apigateway:${ctx.region}::/domainnames/${domainName}`,
            apiMappingSelectionExpression: "$request.basepath",
            domainNameConfiguration: {
                ...ctx.inputs.domainNameConfiguration,
                targetDomainName: `d-${ctx.hash.slice(0, 10)}.execute-api.${ctx.region}.amazonaws.com`,
                // API Gateway's regional hosted zone (AWS returns the region's; the program never hard-codes it).
                hostedZoneId: "Z0MOCKAPIGWZONE",
            },
        };
    },
    "aws:apigatewayv2/apiMapping:ApiMapping": (ctx) => ({ id: ctx.hash.slice(0, 6) }),
    // --- asynchronous processing: queues, functions, their triggers
    "aws:sqs/queue:Queue": (ctx) => {
        // A queue's id is its URL.
        const url = `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${ctx.physicalName}`;
        return { id: url, url, arn: `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${ctx.physicalName}` };
    },
    "aws:lambda/function:Function": (ctx) => {
        const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${ctx.physicalName}`;
        return {
            id: ctx.physicalName,
            arn,
            qualifiedArn: `${arn}:$LATEST`,
            version: "$LATEST",
            invokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            qualifiedInvokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arn}:$LATEST/invocations`,
        };
    },
    "aws:lambda/layerVersion:LayerVersion": (ctx) => {
        const layerArn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:layer:${ctx.inputs.layerName}`;
        return { id: `${layerArn}:1`, arn: `${layerArn}:1`, layerArn, version: "1" };
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": (ctx) => {
        const id = uuid(ctx);
        return {
            id,
            uuid: id,
            arn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${id}`,
            state: "Enabled",
        };
    },
    "aws:lambda/invocation:Invocation": (ctx) => ({
        id: `${ctx.inputs.functionName}_$LATEST_${ctx.hash.slice(0, 32)}`,
        result: '{"applied":[]}',
    }),
    "aws:scheduler/schedule:Schedule": (ctx) => ({
        id: `${ctx.inputs.groupName ?? "default"}/${ctx.physicalName}`,
        arn: `arn:aws:scheduler:${ctx.region}:${ctx.accountId}:schedule/${ctx.inputs.groupName ?? "default"}/${ctx.physicalName}`,
    }),
};
