import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, validateUntypedResourceOfType } from "./define";
import { documentValidations, IDENTITY_DOCUMENTS, RESOURCE_DOCUMENTS } from "./support/document-inputs";
import { checkStatementTakesEffect } from "./support/statement-effect";
import { actionsMatch, list, Statement } from "./support/documents";
import { containersOf } from "./support/values";

/** Runs `check` on every identity-based policy document the program can create. */
const iamDocumentValidations = (
    check: (statements: Statement[], label: string, args: ResourceValidationArgs, report: ReportViolation) => void,
) => documentValidations(IDENTITY_DOCUMENTS, check);

const allows = (s: Statement) => s.Effect === "Allow";
const onAllResources = (s: Statement) => list(s.Resource).includes("*") || s.NotResource !== undefined;

/** AWS managed policies that grant every action on every resource. */
const ADMIN_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

export const iamNoAdminPrivileges = resourcePolicy(
    {
        name: "iam-no-admin-privileges",
        description:
            'No IAM policy allows every action on every resource ("*" on "*", or NotAction on "*"), whether written in the program or attached as the AWS managed AdministratorAccess policy.',
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "identity",
        fsbp: ["IAM.1"],
        remediation: "Grant the specific actions the workload calls, on the ARNs it touches.",
    },
    [
        ...iamDocumentValidations((statements, label, _args, report) => {
            for (const s of statements.filter((st) => allows(st) && onAllResources(st))) {
                if (list(s.Action).some((a) => a === "*" || a === "*:*") || s.NotAction !== undefined) {
                    report(
                        `${label}${s.Sid ? ` statement ${s.Sid}` : ""} allows full administrative access (every action on every resource).`,
                    );
                }
            }
        }),
        ...[
            aws.iam.RolePolicyAttachment,
            aws.iam.UserPolicyAttachment,
            aws.iam.GroupPolicyAttachment,
            aws.iam.PolicyAttachment,
        ].map((type) =>
            validateUntypedResourceOfType(type, (attachment, _args, report) =>
                checkManagedPolicies([attachment.policyArn], report),
            ),
        ),
        validateResourceOfType(aws.iam.Role, (role, _args, report) =>
            checkManagedPolicies(role.managedPolicyArns ?? [], report),
        ),
    ],
);

function checkManagedPolicies(arns: unknown[], report: ReportViolation): void {
    for (const arn of arns.filter((a) => ADMIN_MANAGED_POLICY.test(String(a))))
        report(`attaches ${arn}: full administrative access (every action on every resource).`);
}

interface WildcardConfig {
    allowedServiceWildcards: string[];
}

export const iamNoServiceWildcards = resourcePolicy(
    {
        name: "iam-no-service-wildcards",
        description: 'IAM policies name actions rather than granting every action of a service ("s3:*").',
        severity: "low",
        enforcementLevel: "advisory",
        mandate: "identity",
        fsbp: ["IAM.21"],
        remediation:
            "Replace service:* with the actions used (e.g. s3:GetObject), or list the wildcard in allowedServiceWildcards with a reason.",
        configSchema: {
            properties: {
                allowedServiceWildcards: {
                    type: "array",
                    items: { type: "string", pattern: "^[a-z0-9-]+:\\*$" },
                    uniqueItems: true,
                    default: [],
                    description: "service:* grants that are accepted",
                },
            },
        },
    },
    iamDocumentValidations((statements, label, args, report) => {
        const { allowedServiceWildcards } = args.getConfig<WildcardConfig>();
        for (const s of statements.filter(allows)) {
            const wildcards = list(s.Action).filter(
                (a) => /^[a-z0-9-]+:\*$/i.test(a) && !allowedServiceWildcards.includes(a.toLowerCase()),
            );
            if (wildcards.length > 0) report(`${label} allows ${wildcards.join(", ")}.`);
        }
    }),
);

const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];

export const iamNoKmsDecryptOnAllKeys = resourcePolicy(
    {
        name: "iam-no-kms-decrypt-on-all-keys",
        description:
            "IAM policies do not allow kms:Decrypt or kms:ReEncryptFrom on every key: a role reads only what its own keys protect.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "identity",
        fsbp: ["KMS.1", "KMS.2"],
        remediation:
            "Scope kms:Decrypt to the ARNs of the keys the role needs (e.g. the messaging key for a queue consumer).",
    },
    iamDocumentValidations((statements, label, _args, report) => {
        for (const s of statements.filter((st) => allows(st) && onAllResources(st))) {
            const actions = list(s.Action);
            if (DECRYPT_ACTIONS.some((a) => actionsMatch(actions, a)))
                report(`${label} allows decryption with every KMS key (${actions.join(", ")} on "*").`);
        }
    }),
);

export const iamDocumentsTakeEffect = resourcePolicy(
    {
        name: "iam-documents-take-effect",
        description:
            'Every statement of an identity-based, resource-based or trust policy can take effect, judged by AWS\'s Service Authorization Reference: its actions exist, its condition keys exist (global, or of the service they name), each resource can match a resource type of one of its actions and each action can apply to one of its resources, and actions that work only on "*" are granted on "*". A misspelt action or key, or an ARN of the wrong type, silently grants (or denies) nothing.',
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "identity",
        remediation:
            'Spell actions and condition keys as the reference does; grant each action on ARNs of its resource types (s3:GetObject on <bucket ARN>/*, logs:PutLogEvents on <log group ARN>:*), and actions without resource types, such as logs:DescribeLogGroups, on "*" in a statement of their own.',
    },
    documentValidations([...IDENTITY_DOCUMENTS, ...RESOURCE_DOCUMENTS], (statements, label, _args, report) =>
        statements.forEach((statement, i) =>
            checkStatementTakesEffect(statement, `${label} statement ${statement.Sid ?? i + 1}`, report),
        ),
    ),
);

interface EnvironmentConfig {
    secretNamePattern: string;
}

export const noSecretsInEnvironment = resourcePolicy(
    {
        name: "no-secrets-in-environment",
        description:
            "Secrets never sit in plaintext environment variables of ECS containers or Lambda functions (they are readable by anyone who can describe the task or function); they come from Secrets Manager.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "identity",
        fsbp: ["ECS.8"],
        remediation:
            "Inject the value through the container's secrets (valueFrom a Secrets Manager ARN) or fetch it at run time; pass only the secret's ARN in the environment.",
        configSchema: {
            properties: {
                secretNamePattern: {
                    type: "string",
                    minLength: 1,
                    default:
                        "(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_DATA)$|^AWS_ACCESS_KEY_ID$",
                    description: "Case-insensitive regular expression for environment variable names that hold secrets",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.ecs.TaskDefinition, (task, args, report) => {
            const pattern = new RegExp(args.getConfig<EnvironmentConfig>().secretNamePattern, "i");
            for (const c of containersOf(task.containerDefinitions) ?? []) {
                const names = (c.environment ?? []).map((e) => String(e.name)).filter((n) => pattern.test(n));
                if (names.length > 0)
                    report(`container ${c.name} passes ${names.join(", ")} in plaintext environment variables.`);
            }
        }),
        validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
            const pattern = new RegExp(args.getConfig<EnvironmentConfig>().secretNamePattern, "i");
            const names = Object.keys(fn.environment?.variables ?? {}).filter((n) => pattern.test(n));
            if (names.length > 0) report(`passes ${names.join(", ")} in plaintext environment variables.`);
        }),
    ],
);

interface SignInConfig {
    minimumPasswordLength: number;
    maximumTemporaryPasswordDays: number;
    allowedMfaConfigurations: string[];
}

export const cognitoUserPoolSignIn = resourcePolicy(
    {
        name: "cognito-user-pool-sign-in",
        description:
            "Cognito user pools require strong passwords (length and every character class, short-lived temporary passwords) and offer or require MFA.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "identity",
        fsbp: ["Cognito.3"],
        remediation:
            "Set passwordPolicy { minimumLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols: true, temporaryPasswordValidityDays } and mfaConfiguration with softwareTokenMfaConfiguration enabled.",
        configSchema: {
            properties: {
                minimumPasswordLength: {
                    type: "integer",
                    minimum: 8,
                    maximum: 99,
                    default: 8,
                    description: "Shortest password",
                },
                maximumTemporaryPasswordDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 365,
                    default: 7,
                    description: "Longest validity of a temporary password",
                },
                allowedMfaConfigurations: {
                    type: "array",
                    items: { type: "string", enum: ["ON", "OPTIONAL", "OFF"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["ON", "OPTIONAL"],
                    description: "Accepted mfaConfiguration values",
                },
            },
        },
    },
    validateResourceOfType(aws.cognito.UserPool, (pool, args, report) => {
        const config = args.getConfig<SignInConfig>();
        const policy = pool.passwordPolicy;
        if ((policy?.minimumLength ?? 8) < config.minimumPasswordLength)
            report(
                `passwordPolicy.minimumLength is ${policy?.minimumLength ?? 8}; at least ${config.minimumPasswordLength} is required.`,
            );
        const classes = ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const;
        const missing = classes.filter((c) => policy?.[c] === false);
        if (missing.length > 0) report(`passwordPolicy turns off ${missing.join(", ")}.`);
        if ((policy?.temporaryPasswordValidityDays ?? 7) > config.maximumTemporaryPasswordDays) {
            report(
                `temporary passwords stay valid ${policy?.temporaryPasswordValidityDays} days; at most ${config.maximumTemporaryPasswordDays} are allowed.`,
            );
        }
        const mfa = pool.mfaConfiguration ?? "OFF";
        if (!config.allowedMfaConfigurations.includes(mfa))
            report(`mfaConfiguration is ${mfa}; allowed: ${config.allowedMfaConfigurations.join(", ")}.`);
    }),
);

interface ThreatConfig {
    allowedModes: string[];
}

export const cognitoThreatProtection = resourcePolicy(
    {
        name: "cognito-threat-protection",
        description:
            "Cognito user pools run threat protection (compromised credentials, adaptive authentication) in an allowed mode, on the Plus feature plan that it requires.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "identity",
        securityHub: ["Cognito.1"],
        remediation: 'Set userPoolTier "PLUS" and userPoolAddOns.advancedSecurityMode "ENFORCED" (AUDIT while tuning).',
        configSchema: {
            properties: {
                allowedModes: {
                    type: "array",
                    items: { type: "string", enum: ["ENFORCED", "AUDIT"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["ENFORCED"],
                    description: "Accepted advancedSecurityMode values",
                },
            },
        },
    },
    validateResourceOfType(aws.cognito.UserPool, (pool, args, report) => {
        const mode = pool.userPoolAddOns?.advancedSecurityMode ?? "OFF";
        const { allowedModes } = args.getConfig<ThreatConfig>();
        if (!allowedModes.includes(mode))
            report(`advancedSecurityMode is ${mode}; allowed: ${allowedModes.join(", ")}.`);
        // Cognito rejects threat protection outside the Plus plan; new pools default to Essentials.
        if (mode !== "OFF" && pool.userPoolTier !== "PLUS")
            report(
                `threat protection needs userPoolTier PLUS, not ${pool.userPoolTier ?? "ESSENTIALS (the default)"}: Cognito rejects it.`,
            );
    }),
);

export const identityPolicies = [
    iamNoAdminPrivileges,
    iamNoServiceWildcards,
    iamNoKmsDecryptOnAllKeys,
    iamDocumentsTakeEffect,
    noSecretsInEnvironment,
    cognitoUserPoolSignIn,
    cognitoThreatProtection,
];
