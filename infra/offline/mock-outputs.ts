/**
 * Attributes AWS computes for each resource type (ids, ARNs, endpoints, DNS names), as the
 * offline plan's mocks return them. Types not listed get their inputs back, a generic ARN and
 * their physical name as id. Add a type here when the program reads a computed attribute of it.
 */
export interface MockContext {
    type: string;
    name: string;
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
        publicIp: `203.0.113.${parseInt(ctx.hash.slice(0, 2), 16) % 254 + 1}`,
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
        dnsEntries: ctx.inputs.vpcEndpointType === "Interface"
            ? [{ dnsName: `${ec2Id("vpce", ctx)}.${ctx.inputs.serviceName}.vpce.amazonaws.com`, hostedZoneId: "Z0MOCKVPCE" }] : [],
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
    "aws:cloudwatch/logGroup:LogGroup": (ctx) => ({ arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${ctx.physicalName}` }),
    "random:index/randomPassword:RandomPassword": (ctx) => ({
        result: Buffer.from(ctx.hash + ctx.hash).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, ctx.inputs.length ?? 32),
    }),
    // --- edge: DNS and certificates
    "aws:route53/zone:Zone": (ctx) => {
        const id = `Z${ctx.hash.slice(0, 20).toUpperCase()}`;
        return {
            id, zoneId: id, arn: `arn:aws:route53:::hostedzone/${id}`,
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
            id, arn: `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/${id}`, status: "PENDING_VALIDATION",
            domainValidationOptions: names.map((domainName, i) => ({
                domainName,
                resourceRecordName: `_${ctx.hash.slice(i, i + 32)}.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${ctx.hash.slice(i + 1, i + 33)}.acm-validations.aws.`,
            })),
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": (ctx) => ({ id: String(ctx.inputs.certificateArn) }),
    // --- observability: alerting, security monitoring, alarms
    "aws:sns/topic:Topic": (ctx) => {
        const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${ctx.physicalName}`;
        return { id: arn, arn };
    },
    "aws:s3/bucket:Bucket": (ctx) => {
        const bucket = typeof ctx.inputs.bucket === "string" ? ctx.inputs.bucket : `${ctx.name}-${ctx.hash.slice(0, 7)}`;
        return { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com` };
    },
    "aws:cloudtrail/trail:Trail": (ctx) => ({ arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${ctx.physicalName}` }),
    "aws:guardduty/detector:Detector": (ctx) => {
        const id = ctx.hash.slice(0, 32);
        return { id, arn: `arn:aws:guardduty:${ctx.region}:${ctx.accountId}:detector/${id}` };
    },
    "aws:cloudwatch/eventRule:EventRule": (ctx) => ({ arn: `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${ctx.physicalName}` }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (ctx) => ({ arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${ctx.physicalName}` }),
    "aws:cloudwatch/dashboard:Dashboard": (ctx) => ({
        dashboardName: ctx.inputs.dashboardName,
        dashboardArn: `arn:aws:cloudwatch::${ctx.accountId}:dashboard/${ctx.inputs.dashboardName}`,
    }),
};
