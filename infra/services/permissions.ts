import { databaseUserArn, Statement } from "../shared/iam";
import { UPLOADS_PREFIX } from "../edge/assets";

/** GuardDuty hosts its Fargate runtime agent in this repository of a GuardDuty account per region. */
export const GUARDDUTY_AGENT_REPOSITORY = "aws-guardduty-agent-fargate";

/** What a task's own code may do (the task role), as plain values. */
export interface TaskGrants {
    region: string;
    accountId: string;
    /** IAM database authentication as this PostgreSQL role. */
    databaseResourceId: string;
    databaseUser: string;
    /** Read access to the assets bucket, whose objects are encrypted with `kmsKeyArn`. */
    assets?: { bucketArn: string; kmsKeyArn: string };
    /** Signs presigned uploads under uploads/ of the assets bucket (with `assets`). */
    signsUploads?: boolean;
    /** The Cognito user pool it deletes users from (a customer's erasure). */
    deletesUsersFrom?: string;
    /** The shared-files statement (SharedFiles.clientStatement) of the purpose it mounts. */
    files?: Statement;
    /** Send access to the orders queue, encrypted with the messaging key. */
    ordersQueue?: { arn: string; kmsKeyArn: string };
}

/**
 * The task role's statements: connect to Aurora as the service's own database user, and what
 * its needs add. Keys are usable only through the service that owns the data (kms:ViaService).
 */
export function taskStatements(g: TaskGrants): Statement[] {
    const via = (service: string) => ({ StringEquals: { "kms:ViaService": `${service}.${g.region}.amazonaws.com` } });
    const statements: Statement[] = [
        {
            Sid: "ConnectToDatabaseWithIam",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: databaseUserArn(g.region, g.accountId, g.databaseResourceId, g.databaseUser),
        },
    ];
    if (g.assets) {
        statements.push(
            { Sid: "ReadAssets", Effect: "Allow", Action: "s3:GetObject", Resource: `${g.assets.bucketArn}/*` },
            // Without ListBucket a missing object answers 403 instead of 404.
            { Sid: "ListAssets", Effect: "Allow", Action: "s3:ListBucket", Resource: g.assets.bucketArn },
            {
                Sid: "DecryptAssets",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: g.assets.kmsKeyArn,
                Condition: via("s3"),
            },
        );
    }
    if (g.assets && g.signsUploads) {
        statements.push(
            // A presigned POST is the caller's upload signed with this role: S3 checks that the
            // role may put the object there, and SSE-KMS that it may make a data key of the bucket's key.
            {
                Sid: "SignUploads",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: `${g.assets.bucketArn}/${UPLOADS_PREFIX}*`,
            },
            {
                Sid: "EncryptUploads",
                Effect: "Allow",
                Action: "kms:GenerateDataKey",
                Resource: g.assets.kmsKeyArn,
                Condition: via("s3"),
            },
        );
    }
    if (g.deletesUsersFrom) {
        statements.push({
            Sid: "DeleteErasedCustomers",
            Effect: "Allow",
            Action: "cognito-idp:AdminDeleteUser",
            Resource: g.deletesUsersFrom,
        });
    }
    if (g.files) statements.push({ ...g.files, Sid: "MountSharedFiles" });
    if (g.ordersQueue) {
        statements.push(
            { Sid: "SendOrders", Effect: "Allow", Action: "sqs:SendMessage", Resource: g.ordersQueue.arn },
            // SQS encrypts each message with a data key and checks the caller may decrypt it.
            {
                Sid: "EncryptOrders",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: g.ordersQueue.kmsKeyArn,
                Condition: via("sqs"),
            },
        );
    }
    return statements;
}

/** What ECS and Fargate do on the task's behalf before it runs (the execution role), as plain values. */
export interface ExecutionGrants {
    region: string;
    repositoryArn: string;
    logGroupArn: string;
    /** Exactly the secrets the container definition references. */
    secretArns: string[];
    /** The key those secrets are encrypted with. */
    secretsKeyArn: string;
}

/**
 * Pull the service's image (and GuardDuty's runtime agent, which Runtime Monitoring adds to every
 * task), write the service's log streams, and read exactly its secrets.
 */
export function executionStatements(g: ExecutionGrants): Statement[] {
    const statements: Statement[] = [
        // GetAuthorizationToken has no resource: it is the registry login.
        { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
            Sid: "PullImages",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: [g.repositoryArn, `arn:aws:ecr:${g.region}:*:repository/${GUARDDUTY_AGENT_REPOSITORY}`],
        },
        {
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            // Both act on log streams: a statement naming the group's own ARN would grant nothing.
            Resource: `${g.logGroupArn}:log-stream:*`,
        },
    ];
    if (g.secretArns.length > 0) {
        statements.push(
            { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: g.secretArns },
            {
                Sid: "DecryptSecrets",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: g.secretsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${g.region}.amazonaws.com` } },
            },
        );
    }
    return statements;
}
