import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import { validateUntypedResourceOfType } from "../define";
import { Statement, statementsOf } from "./documents";
import { InputProps } from "./values";

/** Where a resource type holds policy documents: (label, document) pairs read from its inputs. */
export interface DocumentInput {
    type: new (...args: any[]) => Resource;
    documents(props: InputProps): [label: string, document: unknown][];
}

const input = (type: DocumentInput["type"], property: string): DocumentInput => ({
    type,
    documents: (props) => [[property, props[property]]],
});

/** Identity-based policies: managed and inline ones, the latter as resources or on the role. */
export const IDENTITY_DOCUMENTS: DocumentInput[] = [
    input(aws.iam.Policy, "policy"),
    input(aws.iam.RolePolicy, "policy"),
    input(aws.iam.UserPolicy, "policy"),
    input(aws.iam.GroupPolicy, "policy"),
    {
        type: aws.iam.Role,
        documents: (role) =>
            ((role.inlinePolicies ?? []) as InputProps[]).map((p): [string, unknown] => [
                `inline policy ${p.name ?? ""}`.trim(),
                p.policy,
            ]),
    },
];

/** Resource-based policies, inline on the resource or as a policy resource of their own, and role trust. */
export const RESOURCE_DOCUMENTS: DocumentInput[] = [
    input(aws.s3.BucketPolicy, "policy"),
    input(aws.s3.Bucket, "policy"),
    input(aws.s3.BucketV2, "policy"),
    input(aws.s3.AccessPoint, "policy"),
    input(aws.sqs.QueuePolicy, "policy"),
    input(aws.sqs.Queue, "policy"),
    input(aws.sns.TopicPolicy, "policy"),
    input(aws.sns.Topic, "policy"),
    input(aws.kms.Key, "policy"),
    input(aws.kms.KeyPolicy, "policy"),
    input(aws.secretsmanager.SecretPolicy, "policy"),
    input(aws.secretsmanager.Secret, "policy"),
    input(aws.efs.FileSystemPolicy, "policy"),
    input(aws.ecr.RepositoryPolicy, "policy"),
    input(aws.cloudwatch.LogResourcePolicy, "policyDocument"),
    input(aws.cloudwatch.EventBusPolicy, "policy"),
    input(aws.apigateway.RestApiPolicy, "policy"),
    input(aws.iam.Role, "assumeRolePolicy"),
];

/**
 * Validations that run `check` on the statements of every document the inputs hold (documents that
 * are not policy documents are reported as such; absent ones are skipped).
 */
export function documentValidations(
    inputs: DocumentInput[],
    check: (statements: Statement[], label: string, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation[] {
    return inputs.map(({ type, documents }) =>
        validateUntypedResourceOfType(type, (props, args, report) => {
            for (const [label, document] of documents(props)) {
                if (document === undefined || document === null || document === "") continue;
                const statements = statementsOf(document);
                if (typeof statements === "string") report(`${label} ${statements}.`);
                else check(statements, label, args, report);
            }
        }),
    );
}
