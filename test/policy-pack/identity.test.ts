import { describePolicy } from "./check";
import { SyntheticGraph } from "./synthetic";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describePolicy("iam-no-admin-privileges", {}, [
    {
        rule: "* on *",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }),
            }),
        expect: /policy statement All allows full administrative access/,
    },
    {
        rule: "NotAction on *",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
            }),
        expect: /allows full administrative access/,
    },
    {
        rule: "a managed policy document given as an object",
        mutate: (g) =>
            g.add("aws:iam/policy:Policy", "admin", {
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*:*"], Resource: ["*"] }] },
            }),
        expect: /allows full administrative access/,
        at: "admin",
    },
    {
        rule: "an inline policy of a role",
        mutate: (g) =>
            g.set("services-orders-task", {
                inlinePolicies: [{ name: "everything", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }],
            }),
        expect: /inline policy everything allows full administrative access/,
    },
    {
        rule: "a deny of everything",
        mutate: (g) =>
            g.set("services-orders-task-policy", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }),
        expect: null,
    },
    {
        rule: "the AWS managed AdministratorAccess policy attached to a role",
        mutate: (g) =>
            g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "task-admin", {
                role: g.ref("services-orders-task"),
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            }),
        expect: /attaches arn:aws:iam::aws:policy\/AdministratorAccess: full administrative access/,
        at: "task-admin",
    },
    {
        rule: "AdministratorAccess among a role's managed policy ARNs",
        mutate: (g) =>
            g.set("services-orders-task", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
        expect: /attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
        at: "services-orders-task",
    },
    {
        rule: "AdministratorAccess attached to a user",
        mutate: (g) =>
            g.add("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ci-admin", {
                user: "ci",
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            }),
        expect: /full administrative access/,
    },
    {
        rule: "a read-only managed policy",
        mutate: (g) =>
            g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "task-read", {
                role: g.ref("services-orders-task"),
                policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
            }),
        expect: null,
    },
]);

describePolicy("iam-no-service-wildcards", {}, [
    {
        rule: "s3:*",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::assets/*" }),
            }),
        expect: /policy allows s3:\*/,
    },
    {
        rule: "a listed wildcard",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::assets/*" }),
            }),
        config: { allowedServiceWildcards: ["s3:*"] },
        expect: null,
    },
]);

describePolicy("iam-no-kms-decrypt-on-all-keys", {}, [
    {
        rule: "kms:Decrypt on every key",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*" }),
            }),
        expect: /allows decryption with every KMS key/,
    },
    {
        rule: "kms:* on every key",
        mutate: (g) =>
            g.set("services-orders-task-policy", { policy: doc({ Effect: "Allow", Action: "kms:*", Resource: "*" }) }),
        expect: /allows decryption with every KMS key/,
    },
    {
        rule: "kms:Decrypt on one key",
        mutate: (g) =>
            g.set("services-orders-task-policy", {
                policy: doc({
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: "arn:aws:kms:af-south-1:222222222222:key/k",
                }),
            }),
        expect: null,
    },
]);

describePolicy("no-secrets-in-environment", {}, [
    {
        rule: "a container with a password in its environment",
        mutate: (g) =>
            g.set("services-orders-task-def", {
                containerDefinitions: JSON.stringify([
                    {
                        name: "orders",
                        environment: [
                            { name: "DB_PASSWORD", value: "hunter2" },
                            { name: "DB_SECRET_ARN", value: "arn" },
                        ],
                    },
                ]),
            }),
        expect: /container orders passes DB_PASSWORD in plaintext/,
    },
    {
        rule: "a function with an API key in its environment",
        mutate: (g) =>
            g.set("async-order-processor", {
                environment: { variables: { PAYMENT_API_KEY: "sk_live_1", QUEUE_URL: "https://q" } },
            }),
        expect: /passes PAYMENT_API_KEY in plaintext/,
        at: "async-order-processor",
    },
    {
        rule: "AWS access keys",
        mutate: (g) =>
            g.set("async-order-processor", {
                environment: { variables: { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "x" } },
            }),
        expect: /AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY/,
    },
]);

describePolicy("cognito-user-pool-sign-in", {}, [
    {
        rule: "a short password",
        mutate: (g) => g.set("identity-users", { passwordPolicy: { minimumLength: 6 } }),
        expect: /minimumLength is 6; at least 8/,
    },
    {
        rule: "a character class turned off",
        mutate: (g) => g.set("identity-users", { passwordPolicy: { minimumLength: 12, requireSymbols: false } }),
        expect: /turns off requireSymbols/,
    },
    {
        rule: "long-lived temporary passwords",
        mutate: (g) =>
            g.set("identity-users", { passwordPolicy: { minimumLength: 12, temporaryPasswordValidityDays: 30 } }),
        expect: /stay valid 30 days/,
    },
    {
        rule: "MFA off",
        mutate: (g) => g.set("identity-users", { mfaConfiguration: "OFF" }),
        expect: /mfaConfiguration is OFF/,
    },
    {
        rule: "optional MFA where production requires it",
        mutate: () => undefined,
        config: { allowedMfaConfigurations: ["ON"] },
        expect: /mfaConfiguration is OPTIONAL; allowed: ON/,
    },
]);

describePolicy("cognito-threat-protection", {}, [
    {
        rule: "threat protection off",
        mutate: (g) => g.set("identity-users", { userPoolAddOns: undefined }),
        expect: /advancedSecurityMode is OFF/,
    },
    {
        rule: "audit mode where enforcement is required",
        mutate: (g) => g.set("identity-users", { userPoolAddOns: { advancedSecurityMode: "AUDIT" } }),
        expect: /advancedSecurityMode is AUDIT; allowed: ENFORCED/,
    },
    {
        rule: "threat protection outside the Plus plan (Cognito rejects it)",
        mutate: (g) => g.set("identity-users", { userPoolTier: undefined }),
        expect: /needs userPoolTier PLUS, not ESSENTIALS/,
    },
]);

/** The orders service's task role policy with one statement. */
const taskPolicy = (statement: object) => (g: SyntheticGraph) =>
    g.set("services-orders-task-policy", { policy: doc({ Sid: "Under", Effect: "Allow", ...statement }) });
const bucketArn = "arn:aws:s3:::shop-media";
const logGroupArn = "arn:aws:logs:af-south-1:222222222222:log-group:/aws/vpc/flow-logs/shop";

describePolicy("iam-documents-take-effect", {}, [
    {
        rule: "a misspelt action",
        mutate: taskPolicy({ Action: "s3:GetObjects", Resource: `${bucketArn}/*` }),
        expect: /policy statement Under: action s3:GetObjects does not exist\./,
        at: "services-orders-task-policy",
    },
    {
        rule: "an action of a service that does not exist",
        mutate: taskPolicy({ Action: "s4:GetObject", Resource: "*" }),
        expect: /s4:GetObject names no AWS service \(s4\)/,
    },
    {
        rule: "a wildcard that matches no action",
        mutate: taskPolicy({ Action: "s3:Gett*", Resource: "*" }),
        expect: /action s3:Gett\* does not exist/,
    },
    {
        rule: "a misspelt action in NotAction",
        mutate: taskPolicy({ NotAction: "iam:CreateUsr", Resource: "*", Effect: "Deny" }),
        expect: /action iam:CreateUsr does not exist/,
    },
    {
        rule: "a misspelt service condition key",
        mutate: taskPolicy({
            Action: "kms:Decrypt",
            Resource: "arn:aws:kms:af-south-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            Condition: { StringEquals: { "kms:ViaServic": "sqs.af-south-1.amazonaws.com" } },
        }),
        expect: /condition key kms:ViaServic does not exist/,
    },
    {
        rule: "a misspelt global condition key",
        mutate: taskPolicy({
            Action: "sqs:SendMessage",
            Resource: "arn:aws:sqs:af-south-1:222222222222:orders",
            Condition: { StringEquals: { "aws:SourceAcount": "222222222222" } },
        }),
        expect: /condition key aws:SourceAcount does not exist/,
    },
    {
        rule: "condition keys with variables (encryption context, tags) and differently cased global keys",
        mutate: taskPolicy({
            Action: ["kms:Decrypt", "s3:GetObject"],
            Resource: [
                "arn:aws:kms:af-south-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                `${bucketArn}/*`,
            ],
            Condition: {
                StringEquals: {
                    "kms:EncryptionContext:aws:logs:arn": logGroupArn,
                    "aws:PrincipalTag/team": "orders",
                    "s3:ExistingObjectTag/classification": "internal",
                    "AWS:SourceOwner": "222222222222",
                },
            },
        }),
        expect: null,
    },
    {
        rule: "an action without resource types granted on a log group (not on *)",
        mutate: taskPolicy({
            Action: ["logs:DescribeLogGroups", "logs:DescribeLogStreams"],
            Resource: [logGroupArn, `${logGroupArn}:*`],
        }),
        expect: /logs:DescribeLogGroups works only on "\*" \(it has no resource types\), so granting it on .* grants nothing/,
    },
    {
        rule: "an action without resource types granted on *",
        mutate: taskPolicy({ Action: ["logs:DescribeLogGroups", "ecr:GetAuthorizationToken"], Resource: "*" }),
        expect: null,
    },
    {
        rule: "object reads granted on the bucket's ARN only",
        mutate: taskPolicy({ Action: "s3:GetObject", Resource: bucketArn }),
        expect: /s3:GetObject can apply to none of the statement's resources \(arn:aws:s3:::shop-media\)/,
    },
    {
        rule: "object reads granted beside listing, on the bucket only",
        mutate: taskPolicy({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: bucketArn }),
        expect: /s3:GetObject can apply to none of the statement's resources/,
    },
    {
        rule: "object reads and listing on the bucket and its objects",
        mutate: taskPolicy({ Action: ["s3:GetObject", "s3:ListBucket"], Resource: [bucketArn, `${bucketArn}/*`] }),
        expect: null,
    },
    {
        rule: "a resource of another service than the statement's actions",
        mutate: taskPolicy({
            Action: "sqs:SendMessage",
            Resource: ["arn:aws:sqs:af-south-1:222222222222:orders", "arn:aws:sns:af-south-1:222222222222:alerts"],
        }),
        expect: /resource arn:aws:sns:af-south-1:222222222222:alerts matches the resource types of none of the statement's actions/,
    },
    {
        rule: "log events written to the log group's ARN (no stream can match it)",
        mutate: taskPolicy({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: logGroupArn }),
        expect: /logs:PutLogEvents can apply to none of the statement's resources/,
    },
    {
        rule: "wildcards in actions and resources, and policy variables",
        mutate: taskPolicy({
            Action: ["s3:Get*", "s3:List*"],
            Resource: ["arn:aws:s3:::shop-*", "arn:aws:s3:::shop-*/${aws:username}/*"],
        }),
        expect: null,
    },
    {
        rule: "a misspelt condition key in a bucket policy's TLS-only deny",
        mutate: (g) => {
            const statement = {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [g.get("assets").arn, `${g.get("assets").arn}/*`],
                Condition: { Bool: { "aws:SecureTransports": "false" } },
            };
            g.set("assets-policy", { policy: doc(statement) });
        },
        expect: /policy statement DenyInsecureTransport: condition key aws:SecureTransports does not exist/,
        at: "assets-policy",
    },
    {
        rule: "a trust policy naming an action that does not exist",
        mutate: (g) =>
            g.set("services-orders-task", {
                assumeRolePolicy: doc({
                    Effect: "Allow",
                    Principal: { Service: "ecs-tasks.amazonaws.com" },
                    Action: "sts:AssumeRoles",
                }),
            }),
        expect: /assumeRolePolicy statement 1: action sts:AssumeRoles does not exist/,
        at: "services-orders-task",
    },
    {
        rule: "trust policies of OIDC providers: a listed one (GitHub) and one of the account's own (an EKS cluster)",
        mutate: (g) =>
            g.set("services-orders-task", {
                assumeRolePolicy: doc(
                    {
                        Effect: "Allow",
                        Principal: {
                            Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
                        },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            StringLike: { "token.actions.githubusercontent.com:sub": "repo:shop/platform:*" },
                        },
                    },
                    {
                        Effect: "Allow",
                        Principal: {
                            Federated:
                                "arn:aws:iam::222222222222:oidc-provider/oidc.eks.af-south-1.amazonaws.com/id/0A1B2C",
                        },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                "oidc.eks.af-south-1.amazonaws.com/id/0A1B2C:sub": "system:serviceaccount:shop:orders",
                            },
                        },
                    },
                ),
            }),
        expect: null,
    },
    {
        rule: "a claim IAM does not offer for an OIDC provider",
        mutate: (g) =>
            g.set("services-orders-task", {
                assumeRolePolicy: doc({
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/oidc.example.com" },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "oidc.example.com:subject": "x" } },
                }),
            }),
        expect: /condition key oidc.example.com:subject does not exist/,
    },
]);
