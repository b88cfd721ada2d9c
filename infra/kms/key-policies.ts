import { PolicyDocument, policyDocument, Statement } from "../shared/iam";

/**
 * What each customer-managed key protects:
 * - data: Aurora storage and Performance Insights, the RDS-managed master secret, ElastiCache,
 *   EFS, EBS volumes of the web servers, backups, application secrets and the services' images (ECR);
 * - logs: CloudWatch log groups (application, flow, access and audit logs);
 * - messaging: SQS queues and SNS topics;
 * - audit: CloudTrail log files;
 * - assets: the storefront's assets bucket (product images, CSS, JavaScript), which CloudFront
 *   reads through Origin Access Control.
 */
export const KEY_PURPOSES = ["data", "logs", "messaging", "audit", "assets"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export interface KeyPolicyContext {
    accountId: string;
    region: string;
    /**
     * The ARN of the trail that encrypts with the audit key. CloudTrail's documentation asks for
     * `aws:SourceArn` (the trail) on its statements; without a trail of this stack (an
     * existing trail records the account) they fall back to `aws:SourceAccount`.
     */
    cloudTrailArn?: string;
}

/**
 * Services that publish into encrypted SQS queues or SNS topics as themselves (not with a role
 * of ours): each needs GenerateDataKey and Decrypt on the messaging key, or its deliveries are
 * dropped silently at run time. These name the account they publish for (`aws:SourceAccount`).
 */
export const MESSAGING_SERVICE_PRINCIPALS = [
    "sns.amazonaws.com", // topic -> queue subscriptions
    "s3.amazonaws.com", // bucket notifications -> queue or topic
    "cloudwatch.amazonaws.com", // alarm actions -> topic
    "budgets.amazonaws.com", // budget notifications -> topic
] as const;

/**
 * EventBridge rules (GuardDuty findings) -> topic or queue. Its KMS requests carry no
 * `aws:SourceAccount`/`aws:SourceArn` (the SNS guide: those keys "are not supported" in a key
 * policy for EventBridge-to-encrypted-topic delivery), so a statement that requires them never
 * matches and every finding is dropped. It gets a statement of its own without them; the topic and
 * queue policies still admit only this account's rules.
 */
export const EVENTBRIDGE_PRINCIPAL = "events.amazonaws.com";

/** Services that encrypt data-tier storage (and container images) with grants made on behalf of a caller in this account. */
export function dataServices(region: string): string[] {
    return ["ec2", "rds", "elasticache", "elasticfilesystem", "secretsmanager", "backup", "ecr"].map(
        (service) => `${service}.${region}.amazonaws.com`,
    );
}

/**
 * The key policy of a purpose. The account root keeps administration (so IAM policies can grant
 * use and the key can never become unmanageable); beyond that, exactly the AWS services that use
 * the key are admitted, with the conditions AWS documents for each.
 */
export function keyPolicy(purpose: KeyPurpose, ctx: KeyPolicyContext): PolicyDocument {
    return policyDocument(accountAdministration(ctx), ...PURPOSE_STATEMENTS[purpose](ctx));
}

function accountAdministration({ accountId }: KeyPolicyContext): Statement {
    return {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    };
}

const PURPOSE_STATEMENTS: Record<KeyPurpose, (ctx: KeyPolicyContext) => Statement[]> = {
    // Data services work through grants created for the calling principal. EC2 is listed because
    // the Auto Scaling service-linked role launches the web servers' encrypted volumes: without
    // this the instances fail to start (Client.InternalError).
    data: ({ accountId, region }): Statement[] => [
        {
            Sid: "UseThroughDataServices",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": dataServices(region) } },
        },
        {
            Sid: "GrantsForDataServices",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: {
                StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": dataServices(region) },
                Bool: { "kms:GrantIsForAWSResource": true },
            },
        },
    ],
    logs: ({ accountId, region }) => [
        {
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` },
            },
        },
    ],
    messaging: ({ accountId }) => [
        {
            Sid: "PublishingServices",
            Effect: "Allow",
            Principal: { Service: [...MESSAGING_SERVICE_PRINCIPALS] },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
        {
            Sid: "EventBridgeRules",
            Effect: "Allow",
            Principal: { Service: EVENTBRIDGE_PRINCIPAL },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
        },
    ],
    // OAC requests are signed by CloudFront, so S3 decrypts as cloudfront.amazonaws.com. The
    // condition names the account's distributions, not ours: our distribution is built after the
    // bucket (and so after this key) and naming its ARN here would make the key wait for the
    // distribution that waits for the key. The exact ARN is enforced where it can be: the bucket
    // policy, created after the distribution, lets only ours read, and without reading an object
    // there is nothing to decrypt.
    assets: ({ accountId }) => [
        {
            Sid: "CloudFrontReadsThroughOriginAccessControl",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${accountId}:distribution/*` } },
        },
    ],
    audit: ({ accountId, cloudTrailArn }): Statement[] => {
        const trailsOfAccount = `arn:aws:cloudtrail:*:${accountId}:trail/*`;
        const source: Record<string, string> = cloudTrailArn
            ? { "aws:SourceArn": cloudTrailArn }
            : { "aws:SourceAccount": accountId };
        return [
            {
                Sid: "CloudTrailEncryptLogs",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: {
                    StringEquals: source,
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailsOfAccount },
                },
            },
            {
                Sid: "CloudTrailDescribeKey",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: { StringEquals: source },
            },
            {
                Sid: "AccountReadsLogFiles",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
                Resource: "*",
                Condition: {
                    StringEquals: { "kms:CallerAccount": accountId },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trailsOfAccount },
                },
            },
        ];
    },
};
