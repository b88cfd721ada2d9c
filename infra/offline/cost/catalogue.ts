/**
 * Every price the cost estimate uses: its key, unit, what it is, and how the refresh script
 * (`refresh-prices.ts`, `npm run prices:refresh`) finds it in the AWS Price List API. Keys with a parameter
 * (`ec2.instance:<type>`) stand for one price per value; the data file lists the values priced.
 */
export interface PriceDefinition {
    unit: string;
    description: string;
    /** "global": one price everywhere (CloudFront, Route 53, WAF, Cognito); else per region. */
    scope: "regional" | "global";
    /** What the key's parameter is, for keys priced per value ("ec2.instance:<instance type>"). */
    parameter?: string;
    /** The Price List API query: service code and attribute filters (values are exact matches). */
    query: (param: string) => PriceQuery;
}

export interface PriceQuery {
    serviceCode: string;
    /** Attributes that must equal these values (`regionCode` is added for regional prices). */
    equals: Record<string, string>;
    /** Attributes that must contain these values (usage types carry a region prefix). */
    contains?: Record<string, string>;
    /** The Price List unit to take, when a product has several dimensions. */
    unit?: string;
    /** Multiply the listed price by this to get the catalogue's unit (e.g. per 10,000 requests). */
    scale?: number;
}

const ec2 = (equals: Record<string, string>, contains?: Record<string, string>): PriceQuery => ({
    serviceCode: "AmazonEC2",
    equals,
    contains,
});

export const CATALOGUE: Readonly<Record<string, PriceDefinition>> = {
    "ec2.instance": {
        unit: "hour",
        description: "EC2 On-Demand instance, Linux, shared tenancy",
        scope: "regional",
        parameter: "instance type",
        query: (type) =>
            ec2({
                instanceType: type,
                operatingSystem: "Linux",
                tenancy: "Shared",
                preInstalledSw: "NA",
                capacitystatus: "Used",
                licenseModel: "No License required",
            }),
    },
    "ebs.gp3": {
        unit: "GB-month",
        description: "EBS gp3 volume storage",
        scope: "regional",
        query: () => ec2({ productFamily: "Storage", volumeApiName: "gp3" }),
    },
    "vpc.natGateway": {
        unit: "hour",
        description: "NAT gateway",
        scope: "regional",
        query: () => ec2({ productFamily: "NAT Gateway" }, { usagetype: "NatGateway-Hours" }),
    },
    "vpc.natGatewayData": {
        unit: "GB",
        description: "data processed by a NAT gateway",
        scope: "regional",
        query: () => ec2({ productFamily: "NAT Gateway" }, { usagetype: "NatGateway-Bytes" }),
    },
    "vpc.publicIpv4": {
        unit: "hour",
        description: "public IPv4 address (Elastic IP or a public load balancer's address in a zone)",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonVPC", equals: {}, contains: { usagetype: "PublicIPv4:InUseAddress" } }),
    },
    "vpc.interfaceEndpoint": {
        unit: "zone-hour",
        description: "interface VPC endpoint, per zone",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonVPC",
            equals: { productFamily: "VpcEndpoint" },
            contains: { usagetype: "VpcEndpoint-Hours" },
        }),
    },
    "vpc.interfaceEndpointData": {
        unit: "GB",
        description: "data processed by an interface VPC endpoint",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonVPC",
            equals: { productFamily: "VpcEndpoint" },
            contains: { usagetype: "VpcEndpoint-Bytes" },
        }),
    },
    "elb.application": {
        unit: "hour",
        description: "Application Load Balancer",
        scope: "regional",
        query: () => ({
            serviceCode: "AWSELB",
            equals: { productFamily: "Load Balancer-Application" },
            contains: { usagetype: "LoadBalancerUsage" },
        }),
    },
    "elb.applicationLcu": {
        unit: "LCU-hour",
        description: "Application Load Balancer capacity unit",
        scope: "regional",
        query: () => ({
            serviceCode: "AWSELB",
            equals: { productFamily: "Load Balancer-Application" },
            contains: { usagetype: "LCUUsage" },
        }),
    },
    "rds.auroraPostgresql": {
        unit: "hour",
        description: "Aurora PostgreSQL provisioned instance (Aurora Standard)",
        scope: "regional",
        parameter: "instance class",
        query: (instanceClass) => ({
            serviceCode: "AmazonRDS",
            equals: {
                databaseEngine: "Aurora PostgreSQL",
                instanceType: instanceClass,
                productFamily: "Database Instance",
            },
            contains: { usagetype: "InstanceUsage:" },
        }),
    },
    "rds.auroraServerlessV2": {
        unit: "ACU-hour",
        description: "Aurora Serverless v2 capacity (Aurora Standard)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonRDS",
            equals: { databaseEngine: "Aurora PostgreSQL" },
            contains: { usagetype: "Aurora:ServerlessV2Usage" },
        }),
    },
    "rds.auroraStorage": {
        unit: "GB-month",
        description: "Aurora storage (Aurora Standard)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonRDS",
            equals: { databaseEngine: "Any" },
            contains: { usagetype: "Aurora:StorageUsage" },
        }),
    },
    "rds.auroraIo": {
        unit: "million requests",
        description: "Aurora I/O requests (Aurora Standard)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonRDS",
            equals: { databaseEngine: "Any" },
            contains: { usagetype: "Aurora:StorageIOUsage" },
            scale: 1e6,
        }),
    },
    "elasticache.valkey": {
        unit: "hour",
        description: "ElastiCache for Valkey node",
        scope: "regional",
        parameter: "node type",
        query: (nodeType) => ({
            serviceCode: "AmazonElastiCache",
            equals: { instanceType: nodeType, cacheEngine: "Valkey", productFamily: "Cache Instance" },
        }),
    },
    "fargate.vcpu": {
        unit: "vCPU-hour",
        description: "Fargate task vCPU, Linux",
        scope: "regional",
        parameter: "CPU architecture",
        query: (arch) => ({
            serviceCode: "AmazonECS",
            equals: {},
            contains: { usagetype: arch === "ARM64" ? "Fargate-ARM-vCPU-Hours:perCPU" : "Fargate-vCPU-Hours:perCPU" },
        }),
    },
    "fargate.memory": {
        unit: "GB-hour",
        description: "Fargate task memory, Linux",
        scope: "regional",
        parameter: "CPU architecture",
        query: (arch) => ({
            serviceCode: "AmazonECS",
            equals: {},
            contains: { usagetype: arch === "ARM64" ? "Fargate-ARM-GB-Hours" : "Fargate-GB-Hours" },
        }),
    },
    "lambda.requests": {
        unit: "million requests",
        description: "Lambda requests",
        scope: "regional",
        query: () => ({
            serviceCode: "AWSLambda",
            equals: { group: "AWS-Lambda-Requests" },
            scale: 1e6,
        }),
    },
    "lambda.duration": {
        unit: "GB-second",
        description: "Lambda duration",
        scope: "regional",
        parameter: "architecture",
        query: (arch) => ({
            serviceCode: "AWSLambda",
            equals: { group: arch === "arm64" ? "AWS-Lambda-Duration-ARM" : "AWS-Lambda-Duration" },
        }),
    },
    "xray.traces": {
        unit: "million traces",
        description: "X-Ray traces recorded",
        scope: "regional",
        query: () => ({ serviceCode: "AWSXRay", equals: {}, contains: { usagetype: "XRay-TracesStored" }, scale: 1e6 }),
    },
    "kms.key": {
        unit: "key-month",
        description: "KMS customer managed key",
        scope: "regional",
        query: () => ({ serviceCode: "awskms", equals: {}, contains: { usagetype: "KMS-Keys" } }),
    },
    "secretsmanager.secret": {
        unit: "secret-month",
        description: "Secrets Manager secret",
        scope: "regional",
        query: () => ({
            serviceCode: "AWSSecretsManager",
            equals: {},
            contains: { usagetype: "AWSSecretsManager-Secrets" },
        }),
    },
    "cloudwatch.alarmMetric": {
        unit: "metric-month",
        description: "CloudWatch alarm, standard resolution, per metric",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonCloudWatch", equals: {}, contains: { usagetype: "CW:AlarmMonitorUsage" } }),
    },
    "cloudwatch.alarmMetricHighResolution": {
        unit: "metric-month",
        description: "CloudWatch alarm, high resolution, per metric",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonCloudWatch",
            equals: {},
            contains: { usagetype: "CW:HighResAlarmMonitorUsage" },
        }),
    },
    "cloudwatch.customMetric": {
        unit: "metric-month",
        description: "CloudWatch custom metric (a metric filter publishes one)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonCloudWatch",
            equals: {},
            contains: { usagetype: "CW:MetricMonitorUsage" },
        }),
    },
    "cloudwatch.dashboard": {
        unit: "dashboard-month",
        description: "CloudWatch dashboard",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonCloudWatch", equals: {}, contains: { usagetype: "DashboardsUsageHour" } }),
    },
    "cloudwatch.logsIngestion": {
        unit: "GB",
        description: "CloudWatch Logs ingestion (standard class)",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonCloudWatch", equals: {}, contains: { usagetype: "DataProcessing-Bytes" } }),
    },
    "cloudwatch.logsStorage": {
        unit: "GB-month",
        description: "CloudWatch Logs storage",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonCloudWatch", equals: {}, contains: { usagetype: "TimedStorage-ByteHrs" } }),
    },
    "apigateway.httpRequests": {
        unit: "million requests",
        description: "API Gateway HTTP API requests (first tier)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonApiGateway",
            equals: {},
            contains: { usagetype: "ApiGatewayHttpRequest" },
            scale: 1e6,
        }),
    },
    "sqs.requests": {
        unit: "million requests",
        description: "SQS standard queue requests",
        scope: "regional",
        query: () => ({ serviceCode: "AWSQueueService", equals: { queueType: "Standard" }, scale: 1e6 }),
    },
    "s3.standardStorage": {
        unit: "GB-month",
        description: "S3 Standard storage (first tier)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonS3",
            equals: { volumeType: "Standard" },
            contains: { usagetype: "TimedStorage-ByteHrs" },
        }),
    },
    "efs.standardStorage": {
        unit: "GB-month",
        description: "EFS Standard storage",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonEFS",
            equals: { storageClass: "General Purpose" },
            contains: { usagetype: "TimedStorage-ByteHrs" },
        }),
    },
    "backup.efsWarmStorage": {
        unit: "GB-month",
        description: "AWS Backup warm storage for EFS",
        scope: "regional",
        query: () => ({ serviceCode: "AWSBackup", equals: {}, contains: { usagetype: "WarmStorage-ByteHrs-EFS" } }),
    },
    "ecr.storage": {
        unit: "GB-month",
        description: "ECR image storage",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonECR", equals: {}, contains: { usagetype: "TimedStorage-ByteHrs" } }),
    },
    "guardduty.managementEvents": {
        unit: "million events",
        description: "GuardDuty CloudTrail management event analysis (first tier)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonGuardDuty",
            equals: {},
            contains: { usagetype: "PaidEventsAnalyzed" },
            scale: 1e6,
        }),
    },
    "guardduty.flowAndDnsLogs": {
        unit: "GB",
        description: "GuardDuty VPC flow and DNS log analysis (first tier)",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonGuardDuty", equals: {}, contains: { usagetype: "PaidLogsAnalyzed" } }),
    },
    "guardduty.s3DataEvents": {
        unit: "million events",
        description: "GuardDuty S3 data event analysis (first tier)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonGuardDuty",
            equals: {},
            contains: { usagetype: "PaidS3DataEventsAnalyzed" },
            scale: 1e6,
        }),
    },
    "guardduty.runtimeVcpu": {
        unit: "vCPU-month",
        description: "GuardDuty Runtime Monitoring of ECS Fargate tasks and EC2 instances (first tier)",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonGuardDuty",
            equals: {},
            contains: { usagetype: "ECSFargateRuntimeMonitoring" },
        }),
    },
    "guardduty.rdsVcpu": {
        unit: "vCPU-month",
        description: "GuardDuty RDS Protection of provisioned Aurora instances (first tier)",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonGuardDuty", equals: {}, contains: { usagetype: "RDSProtection" } }),
    },
    "cloudtrail.dataEvents": {
        unit: "100,000 events",
        description: "CloudTrail data events delivered",
        scope: "regional",
        query: () => ({
            serviceCode: "AWSCloudTrail",
            equals: {},
            contains: { usagetype: "DataEventsRecorded" },
            scale: 1e5,
        }),
    },
    "ses.outboundEmail": {
        unit: "1,000 e-mails",
        description: "SES outbound e-mail",
        scope: "regional",
        query: () => ({ serviceCode: "AmazonSES", equals: {}, contains: { usagetype: "Message" }, scale: 1e3 }),
    },
    "scheduler.invocations": {
        unit: "million invocations",
        description: "EventBridge Scheduler invocations",
        scope: "regional",
        query: () => ({
            serviceCode: "AmazonEventBridge",
            equals: {},
            contains: { usagetype: "Scheduler-Invocation" },
            scale: 1e6,
        }),
    },
    "waf.webAcl": {
        unit: "web ACL-month",
        description: "WAF web ACL",
        scope: "global",
        query: () => ({ serviceCode: "awswaf", equals: {}, contains: { usagetype: "WebACL" } }),
    },
    "waf.rule": {
        unit: "rule-month",
        description: "WAF rule or managed rule group in a web ACL",
        scope: "global",
        query: () => ({ serviceCode: "awswaf", equals: {}, contains: { usagetype: "Rule" } }),
    },
    "waf.requests": {
        unit: "million requests",
        description: "WAF requests inspected",
        scope: "global",
        query: () => ({ serviceCode: "awswaf", equals: {}, contains: { usagetype: "Request" }, scale: 1e6 }),
    },
    "route53.hostedZone": {
        unit: "zone-month",
        description: "Route 53 hosted zone (first 25)",
        scope: "global",
        query: () => ({ serviceCode: "AmazonRoute53", equals: {}, contains: { usagetype: "HostedZone" } }),
    },
    "route53.healthCheck": {
        unit: "health check-month",
        description: "Route 53 health check of an endpoint outside AWS (a CloudFront name counts as one)",
        scope: "global",
        query: () => ({ serviceCode: "AmazonRoute53", equals: {}, contains: { usagetype: "Health-Check-NonAWS" } }),
    },
    "route53.healthCheckFeature": {
        unit: "feature-month",
        description: "Route 53 health check optional feature (HTTPS, string matching, fast interval, latency)",
        scope: "global",
        query: () => ({
            serviceCode: "AmazonRoute53",
            equals: {},
            contains: { usagetype: "Health-Check-Option-NonAWS" },
        }),
    },
    "cloudfront.dataOutSouthAfrica": {
        unit: "GB",
        description:
            "CloudFront data transfer out to viewers in South Africa, Kenya, Nigeria and the Middle East (first 10 TB)",
        scope: "global",
        query: () => ({
            serviceCode: "AmazonCloudFront",
            equals: { fromLocation: "South Africa" },
            contains: { usagetype: "DataTransfer-Out-Bytes" },
        }),
    },
    "cloudfront.httpsRequestsSouthAfrica": {
        unit: "10,000 requests",
        description: "CloudFront HTTPS requests from viewers in South Africa, Kenya, Nigeria and the Middle East",
        scope: "global",
        query: () => ({
            serviceCode: "AmazonCloudFront",
            equals: { location: "South Africa" },
            contains: { usagetype: "Requests-Tier2-HTTPS" },
            scale: 1e4,
        }),
    },
    "cloudfront.functionInvocations": {
        unit: "million invocations",
        description: "CloudFront Functions invocations",
        scope: "global",
        query: () => ({
            serviceCode: "AmazonCloudFront",
            equals: {},
            contains: { usagetype: "Executions-CloudFrontFunctions" },
            scale: 1e6,
        }),
    },
    "cognito.essentialsMau": {
        unit: "monthly active user",
        description: "Cognito user pool, Essentials feature plan (above the 10,000 MAUs it includes)",
        scope: "global",
        query: () => ({ serviceCode: "AmazonCognito", equals: {}, contains: { usagetype: "CognitoEssentialsMAU" } }),
    },
    "cognito.plusMau": {
        unit: "monthly active user",
        description: "Cognito user pool, Plus feature plan (threat protection)",
        scope: "global",
        query: () => ({ serviceCode: "AmazonCognito", equals: {}, contains: { usagetype: "CognitoPlusMAU" } }),
    },
};

/** Splits "ec2.instance:m5.large" into the catalogue key and its parameter. */
export function parsePriceKey(key: string): { name: string; param: string } {
    const at = key.indexOf(":");
    return at < 0 ? { name: key, param: "" } : { name: key.slice(0, at), param: key.slice(at + 1) };
}
