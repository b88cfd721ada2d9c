import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { StackIndex } from "./support/stack-index";
import { VPCS } from "./support/type-groups";
import { checkEach } from "./support/unknowns";
import { isSet } from "./support/values";

export const cloudtrailMultiRegionValidated = resourcePolicy(
    {
        name: "cloudtrail-multi-region-validated",
        description:
            "CloudTrail trails record every region's management events (global services included), validate their log files and deliver to CloudWatch Logs for alarms.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "logging",
        fsbp: ["CloudTrail.1", "CloudTrail.4", "CloudTrail.5"],
        remediation:
            "Set isMultiRegionTrail, includeGlobalServiceEvents and enableLogFileValidation to true, keep management events (read and write) selected, and set cloudWatchLogsGroupArn with its delivery role.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (trail.isMultiRegionTrail !== true)
            report("isMultiRegionTrail is not true: activity in other regions goes unrecorded.");
        if (trail.includeGlobalServiceEvents === false)
            report("includeGlobalServiceEvents is false: IAM and STS activity goes unrecorded.");
        if (trail.enableLogFileValidation !== true)
            report("enableLogFileValidation is not true: tampering with log files cannot be detected.");
        if (trail.enableLogging === false) report("enableLogging is false.");
        if (!isSet(trail.cloudWatchLogsGroupArn))
            report("cloudWatchLogsGroupArn is not set: no metric filter or alarm can watch the trail.");
        for (const selector of trail.eventSelectors ?? []) {
            if (selector.includeManagementEvents === false || (selector.readWriteType ?? "All") !== "All") {
                report(
                    "an event selector drops management events (includeManagementEvents false or readWriteType not All).",
                );
            }
        }
    }),
);

interface FlowLogConfig {
    allowedTrafficTypes: string[];
}

export const vpcFlowLogsEnabled = stackPolicy(
    {
        name: "vpc-flow-logs-enabled",
        description:
            "Every VPC (the adopted default VPC included) has a flow log (whose `vpcId` names it) that records the configured traffic.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "logging",
        fsbp: ["EC2.6"],
        remediation:
            "Add an aws.ec2.FlowLog with vpcId the VPC's id and trafficType ALL, to an encrypted log group with retention.",
        configSchema: {
            properties: {
                allowedTrafficTypes: {
                    type: "array",
                    items: { type: "string", enum: ["ALL", "ACCEPT", "REJECT"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["ALL"],
                    description: "Traffic types a VPC's flow log may record",
                },
            },
        },
    },
    (args, report) => {
        const { allowedTrafficTypes } = args.getConfig<FlowLogConfig>();
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...VPCS),
            (v) => v.urn,
            (vpc) => {
                const logs = index.referrers(vpc, [aws.ec2.FlowLog], "vpcId");
                if (logs.length === 0) report("has no flow log.", vpc.urn);
                else if (!logs.some((l) => allowedTrafficTypes.includes(l.props.trafficType))) {
                    report(
                        `flow logs record ${logs.map((l) => l.props.trafficType).join(", ")}; allowed: ${allowedTrafficTypes.join(", ")}.`,
                        vpc.urn,
                    );
                }
            },
        );
    },
);

export const lbAccessLogsEnabled = resourcePolicy(
    {
        name: "lb-access-logs-enabled",
        description: "Application and classic load balancers deliver access logs to S3.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "logging",
        fsbp: ["ELB.5"],
        remediation:
            "Set accessLogs { enabled: true, bucket } to a bucket with SSE-S3 whose policy admits this region's ELB log delivery.",
    },
    [
        validateResourceOfType(aws.lb.LoadBalancer, checkAccessLogs),
        validateResourceOfType(aws.alb.LoadBalancer, checkAccessLogs),
        // A classic load balancer's access logs are on once it names a bucket (enabled defaults to true).
        validateResourceOfType(aws.elb.LoadBalancer, (elb, _args, report) => {
            if (elb.accessLogs?.enabled === false || !isSet(elb.accessLogs?.bucket))
                report("accessLogs does not name a bucket, or is disabled: requests cannot be traced.");
        }),
    ],
);

function checkAccessLogs(
    lb: { loadBalancerType?: string; accessLogs?: { enabled?: boolean; bucket: string } },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if ((lb.loadBalancerType ?? "application") !== "application")
        args.notApplicable("access logs are checked on application load balancers");
    if (lb.accessLogs?.enabled !== true || !isSet(lb.accessLogs.bucket))
        report("accessLogs is not enabled with a bucket: requests cannot be traced.");
}

export const cloudfrontAccessLogging = stackPolicy(
    {
        name: "cloudfront-access-logging",
        description:
            "CloudFront distributions log requests: standard logging to S3 (loggingConfig) or a CloudWatch log delivery whose source is the distribution (linked by its `resourceArn` input).",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "logging",
        fsbp: ["CloudFront.5"],
        remediation:
            "Set loggingConfig { bucket: <bucketDomainName>, prefix }, or create an aws.cloudwatch.LogDeliverySource for the distribution (in us-east-1) with an aws.cloudwatch.LogDelivery.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.cloudfront.Distribution),
            (d) => d.urn,
            (distribution) => {
                if (isSet(distribution.props.loggingConfig?.bucket)) return;
                const delivered = index
                    .referrers(distribution, [aws.cloudwatch.LogDeliverySource], "resourceArn")
                    .some(
                        (source) =>
                            index.referrers(source, [aws.cloudwatch.LogDelivery], "deliverySourceName").length > 0,
                    );
                if (!delivered)
                    report(
                        "has neither loggingConfig nor a log delivery: requests at the edge go unrecorded.",
                        distribution.urn,
                    );
            },
        );
    },
);

export const wafv2WebAclLogging = stackPolicy(
    {
        name: "wafv2-web-acl-logging",
        description: "Every WAFv2 web ACL has a logging configuration (linked by its `resourceArn` input).",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "logging",
        securityHub: ["WAF.11"],
        remediation:
            "Add an aws.wafv2.WebAclLoggingConfiguration for the web ACL to a log group named aws-waf-logs-* in the web ACL's region.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.wafv2.WebAcl),
            (w) => w.urn,
            (acl) => {
                if (index.referrers(acl, [aws.wafv2.WebAclLoggingConfiguration], "resourceArn").length === 0) {
                    report("has no logging configuration: blocked and allowed requests go unrecorded.", acl.urn);
                }
            },
        );
    },
);

export const apigatewayv2StageAccessLogging = resourcePolicy(
    {
        name: "apigatewayv2-stage-access-logging",
        description:
            "API Gateway stages, of HTTP and WebSocket APIs (v2) and of REST APIs (v1), write access logs with a format.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "logging",
        fsbp: ["APIGateway.9"],
        remediation:
            "Set accessLogSettings { destinationArn: <log group ARN>, format: <JSON with requestId, ip, routeKey, status, ...> }.",
    },
    [
        validateResourceOfType(aws.apigatewayv2.Stage, checkStageAccessLogs),
        validateResourceOfType(aws.apigateway.Stage, checkStageAccessLogs),
    ],
);

function checkStageAccessLogs(
    stage: { accessLogSettings?: { destinationArn?: string; format?: string } },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (!isSet(stage.accessLogSettings?.destinationArn) || !isSet(stage.accessLogSettings?.format))
        report("accessLogSettings lacks a destinationArn or a format.");
}

interface RetentionConfig {
    minimumRetentionDays: number;
}

export const cloudwatchLogGroupRetention = resourcePolicy(
    {
        name: "cloudwatch-log-group-retention",
        description:
            "CloudWatch log groups keep logs for a set period, at least the minimum (never-expiring groups grow without bound).",
        severity: "low",
        enforcementLevel: "mandatory",
        mandate: "logging",
        securityHub: ["CloudWatch.16"],
        remediation: "Set retentionInDays to a CloudWatch retention of at least the minimum (365 in production).",
        configSchema: {
            properties: {
                minimumRetentionDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 3653,
                    default: 365,
                    description: "Shortest retention",
                },
            },
        },
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
        const { minimumRetentionDays } = args.getConfig<RetentionConfig>();
        if (!group.retentionInDays) report("retentionInDays is not set: the logs never expire.");
        else if (group.retentionInDays < minimumRetentionDays)
            report(`retentionInDays is ${group.retentionInDays}; at least ${minimumRetentionDays} are required.`);
    }),
);

export const loggingPolicies = [
    cloudtrailMultiRegionValidated,
    vpcFlowLogsEnabled,
    lbAccessLogsEnabled,
    cloudfrontAccessLogging,
    wafv2WebAclLogging,
    apigatewayv2StageAccessLogging,
    cloudwatchLogGroupRetention,
];
