import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TrailSettings } from "../config";
import { policyDocument } from "../shared/iam";
import { encryptedLogGroup } from "../shared/log-group";
import { createAuditBucket } from "./audit-bucket";

export interface AuditTrailArgs {
    accountId: string;
    region: string;
    namePrefix: string;
    settings: TrailSettings;
    auditKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** The assets bucket (edge tier): its object-level events are recorded as configured. */
    assetsBucketArn?: pulumi.Input<string>;
    protect: boolean;
}

/** A trail's ARN is known from its name, so key and bucket policies can name it before it exists. */
export function trailArn(region: string, accountId: string, name: string): string {
    return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/**
 * The account's CloudTrail trail: every region, global service events, log file validation,
 * encrypted with the audit key, to the audit bucket and to a CloudWatch log group (for the CIS
 * metric filters). Returns the log group's name.
 */
export function createAuditTrail(name: string, args: AuditTrailArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const { settings } = args;
    const arn = trailArn(args.region, args.accountId, settings.name);
    const { bucket, policy } = createAuditBucket(
        `${name}-trail-bucket`,
        {
            bucketName: `${args.namePrefix}-cloudtrail-${args.accountId}`,
            accountId: args.accountId,
            trailArn: arn,
            kmsKeyArn: args.auditKeyArn,
            infrequentAccessAfterDays: settings.infrequentAccessAfterDays,
            archiveAfterDays: settings.archiveAfterDays,
            expireAfterDays: settings.expireAfterDays,
            protect: args.protect,
        },
        parent,
    );

    const logGroup = encryptedLogGroup(
        `${name}-trail`,
        {
            logGroupName: `/aws/cloudtrail/${args.namePrefix}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyArn: args.logsKeyArn,
        },
        { parent },
    );

    // CloudTrail's documentation: this role's trust supports no aws:SourceArn/SourceAccount
    // condition (confused-deputy keys do not apply to it); a condition would stop delivery.
    const role = new aws.iam.Role(
        `${name}-trail-logs`,
        {
            description: "CloudTrail delivery to its CloudWatch log group",
            assumeRolePolicy: JSON.stringify(
                policyDocument({
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }),
            ),
        },
        { parent },
    );
    const delivery = new aws.iam.RolePolicy(
        `${name}-trail-logs`,
        {
            role: role.id,
            policy: logGroup.arn.apply((groupArn) =>
                JSON.stringify(
                    policyDocument({
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        // CloudTrail names its streams <account>_CloudTrail_<region>, one per region it records.
                        Resource: `${groupArn}:log-stream:${args.accountId}_CloudTrail_*`,
                    }),
                ),
            ),
        },
        { parent },
    );

    new aws.cloudtrail.Trail(
        `${name}-trail`,
        {
            name: settings.name,
            s3BucketName: bucket.bucket,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: args.auditKeyArn,
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: role.arn,
            advancedEventSelectors: eventSelectors(settings, args.assetsBucketArn),
            // CloudTrail verifies at creation that it may write to the bucket and the log group.
        },
        { parent, dependsOn: [policy, delivery] },
    );
    return logGroup.name;
}

/** All management events, and the assets bucket's object events when configured and given. */
function eventSelectors(
    settings: TrailSettings,
    assetsBucketArn?: pulumi.Input<string>,
): aws.types.input.cloudtrail.TrailAdvancedEventSelector[] {
    const selectors: aws.types.input.cloudtrail.TrailAdvancedEventSelector[] = [
        { name: "All management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    ];
    if (assetsBucketArn !== undefined && settings.assetsDataEvents !== "none") {
        selectors.push({
            name: `Assets bucket object ${settings.assetsDataEvents === "writes" ? "writes" : "reads and writes"}`,
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWiths: [pulumi.interpolate`${assetsBucketArn}/`] },
                // Reads are every CloudFront cache miss: costly and of little audit value.
                ...(settings.assetsDataEvents === "writes" ? [{ field: "readOnly", equals: ["false"] }] : []),
            ],
        });
    }
    return selectors;
}
