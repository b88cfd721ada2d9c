import { policyDocument, PolicyDocument, Statement } from "../shared/iam";

/**
 * What a function may do, as plain ARNs: each grant names exactly the queues, secrets, keys and
 * object prefixes it covers. `functionStatements` turns it into the role's policy.
 */
export interface FunctionGrants {
    region: string;
    /** The function's own log group (Lambda writes its logs with the function's role). */
    logGroupArn: string;
    /** Queues it receives from (its event source, or the DLQs an operator reads). */
    consumes?: string[];
    /** Queues it sends to (its producers' targets, its DLQ, its failure destination). */
    sendsTo?: string[];
    /** Topics it publishes to (a failure destination). */
    publishesTo?: string[];
    /** Encrypts every queue and topic above. */
    messagingKeyArn?: string;
    /** IAM database authentication as these database users (`databaseUserArn`). */
    connectsToDatabaseAs?: string[];
    /** Secrets it reads, and the key that encrypts them. */
    secrets?: { arns: string[]; keyArn: string };
    /** A bucket, the key prefixes it reads and writes there, and the bucket's key. */
    objects?: { bucketArn: string; readPrefixes: string[]; writePrefixes: string[]; keyArn: string };
    /** SES identity (and configuration set) ARNs it sends e-mail from. */
    sendsEmailAs?: string[];
    /** Sends SMS through SNS (to phone numbers, never to topics). */
    sendsSms?: boolean;
    /** Runs in a VPC: Lambda manages its network interfaces with the function's role. */
    inVpc?: boolean;
}

/** Actions AWS offers no resource-level permission for: the only statements on "*". */
export const UNSCOPED_ACTIONS = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "sns:Publish",
] as const;

/** The role policy of a function: its logs and traces, and exactly its grants. */
export function functionPolicy(g: FunctionGrants): PolicyDocument {
    const via = (service: string) => ({ StringEquals: { "kms:ViaService": `${service}.${g.region}.amazonaws.com` } });
    const statements: Statement[] = [
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${g.logGroupArn}:*`,
        },
        {
            Sid: "SendTraces",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resource: "*",
        },
    ];
    if (g.inVpc) {
        // Lambda checks these when the function is created and uses them for its interfaces; EC2
        // offers no resource-level scoping that Lambda's check accepts (AWSLambdaVPCAccessExecutionRole's actions).
        statements.push({
            Sid: "ManageVpcInterfaces",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
        });
    }
    if (g.consumes?.length) {
        statements.push({
            Sid: "ConsumeQueues",
            Effect: "Allow",
            Action: [
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
            ],
            Resource: g.consumes,
        });
    }
    if (g.sendsTo?.length)
        statements.push({ Sid: "SendToQueues", Effect: "Allow", Action: "sqs:SendMessage", Resource: g.sendsTo });
    if (g.publishesTo?.length)
        statements.push({ Sid: "PublishToTopics", Effect: "Allow", Action: "sns:Publish", Resource: g.publishesTo });
    const usesQueues = !!(g.consumes?.length || g.sendsTo?.length);
    const usesTopics = !!g.publishesTo?.length;
    if ((usesQueues || usesTopics) && !g.messagingKeyArn)
        throw new Error("functionPolicy: queues and topics are encrypted; messagingKeyArn is required with them");
    // SQS and SNS encrypt each message with a data key of the messaging key, and decrypt it for readers.
    const messagingKey = (service: string): Statement => ({
        Sid: `UseMessagingKeyVia${service.toUpperCase()}`,
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: g.messagingKeyArn!,
        Condition: via(service),
    });
    if (usesQueues) statements.push(messagingKey("sqs"));
    if (usesTopics) statements.push(messagingKey("sns"));
    if (g.connectsToDatabaseAs?.length) {
        statements.push({
            Sid: "ConnectToDatabaseWithIam",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: g.connectsToDatabaseAs,
        });
    }
    if (g.secrets) {
        statements.push(
            { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: g.secrets.arns },
            {
                Sid: "DecryptSecrets",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: g.secrets.keyArn,
                Condition: via("secretsmanager"),
            },
        );
    }
    if (g.objects) {
        const { bucketArn, readPrefixes, writePrefixes } = g.objects;
        const under = (prefixes: string[]) => prefixes.map((prefix) => `${prefix}*`);
        if (readPrefixes.length) {
            statements.push(
                {
                    Sid: "ReadObjects",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: under(readPrefixes).map((p) => `${bucketArn}/${p}`),
                },
                // Without ListBucket, S3 answers a read of a deleted object with 403 instead of
                // NoSuchKey, and the code cannot tell "gone" from "not allowed".
                {
                    Sid: "ListReadPrefixes",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: bucketArn,
                    Condition: { StringLike: { "s3:prefix": under(readPrefixes) } },
                },
            );
        }
        if (writePrefixes.length)
            statements.push({
                Sid: "WriteObjects",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: under(writePrefixes).map((p) => `${bucketArn}/${p}`),
            });
        statements.push({
            Sid: "UseBucketKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: g.objects.keyArn,
            Condition: via("s3"),
        });
    }
    if (g.sendsEmailAs?.length)
        statements.push({ Sid: "SendEmail", Effect: "Allow", Action: "ses:SendEmail", Resource: g.sendsEmailAs });
    if (g.sendsSms) {
        // An SMS has no ARN to scope to ("*"); topics do, and are refused.
        statements.push(
            { Sid: "SendSms", Effect: "Allow", Action: "sns:Publish", Resource: "*" },
            { Sid: "NoTopicsForSms", Effect: "Deny", Action: "sns:Publish", Resource: "arn:aws:sns:*:*:*" },
        );
        if (g.publishesTo?.length)
            throw new Error(
                "functionPolicy: a function sending SMS may not also publish to topics (the SMS grant denies topics)",
            );
    }
    return policyDocument(...statements);
}

/** An execution role trusts the Lambda service, as AWS documents it; iam:PassRole decides who may attach the role to a function. */
export function lambdaTrustPolicy(): string {
    return JSON.stringify(
        policyDocument({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
    );
}

/** The cart sweep schedule's role: invoke the function, and park undeliverable runs in the DLQ. */
export function schedulePolicy(
    functionArn: string,
    deadLetterQueueArn: string,
    messagingKeyArn: string,
    region: string,
): PolicyDocument {
    return policyDocument(
        {
            Sid: "InvokeTarget",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: [functionArn, `${functionArn}:*`],
        },
        { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
        {
            Sid: "EncryptDeadLetters",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: messagingKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } },
        },
    );
}
