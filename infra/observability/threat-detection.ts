import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GuardDutySettings } from "../config";
import { GuardDutyFeature } from "../config/guardduty-features";

export interface ThreatDetectionArgs {
    namePrefix: string;
    settings: GuardDutySettings;
    alertTopicArn: pulumi.Input<string>;
}

/**
 * Runtime Monitoring covers the Fargate tasks and the EC2 web servers with an agent GuardDuty
 * installs and updates itself; this platform runs no EKS cluster.
 */
const RUNTIME_AGENTS = [
    { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
    { name: "EC2_AGENT_MANAGEMENT", status: "ENABLED" },
    { name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" },
];

/**
 * GuardDuty: the account's detector in the region with the configured protection plans (unless
 * the account already has one: one detector per account and region), and an EventBridge rule that
 * sends findings at or above the configured severity to the alert topic. The rule matches the
 * `aws.guardduty` events of whichever detector the account has.
 */
export function createThreatDetection(name: string, args: ThreatDetectionArgs, parent: pulumi.Resource): void {
    const { settings } = args;
    if (settings.createDetector) {
        const detector = new aws.guardduty.Detector(
            `${name}-detector`,
            {
                enable: true,
                findingPublishingFrequency: settings.findingPublishingFrequency,
            },
            { parent },
        );
        for (const feature of settings.features) {
            new aws.guardduty.DetectorFeature(
                `${name}-${featureResourceName(feature)}`,
                {
                    detectorId: detector.id,
                    name: feature,
                    status: "ENABLED",
                    additionalConfigurations: feature === "RUNTIME_MONITORING" ? RUNTIME_AGENTS : undefined,
                },
                { parent },
            );
        }
    }

    const rule = new aws.cloudwatch.EventRule(
        `${name}-findings`,
        {
            name: `${args.namePrefix}-guardduty-findings`,
            description: `GuardDuty findings of severity ${settings.minimumSeverity} or more, to the alert topic`,
            eventPattern: JSON.stringify({
                source: ["aws.guardduty"],
                "detail-type": ["GuardDuty Finding"],
                detail: { severity: [{ numeric: [">=", settings.minimumSeverity] }] },
            }),
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(
        `${name}-findings`,
        {
            rule: rule.name,
            arn: args.alertTopicArn,
            // A readable e-mail instead of the raw event: what, how bad, where, and where to look.
            inputTransformer: {
                inputPaths: {
                    type: "$.detail.type",
                    severity: "$.detail.severity",
                    title: "$.detail.title",
                    account: "$.account",
                    region: "$.region",
                    id: "$.detail.id",
                },
                inputTemplate:
                    '"GuardDuty finding <type> (severity <severity>) in account <account>, <region>: <title>. ' +
                    'Investigate: https://<region>.console.aws.amazon.com/guardduty/home?region=<region>#/findings?fId=<id>"',
            },
        },
        { parent },
    );
}

/** "RUNTIME_MONITORING" -> "guardduty-runtime-monitoring". */
function featureResourceName(feature: GuardDutyFeature): string {
    return `guardduty-${feature.toLowerCase().replace(/_/g, "-")}`;
}
