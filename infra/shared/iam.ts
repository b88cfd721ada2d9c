/** IAM and resource policy documents as typed values, serialised once where a resource takes them. */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/** What `rds-db:connect` names: one database user of one cluster (its resource id, `cluster-...`). */
export const databaseUserArn = (region: string, accountId: string, clusterResourceId: string, user: string): string =>
    `arn:aws:rds-db:${region}:${accountId}:dbuser:${clusterResourceId}/${user}`;

export function policyDocument(...statements: Statement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Trust policy letting one AWS service assume a role, only on behalf of this account (and, when
 * given, only for source ARNs matching `sourceArnLike`): the confused-deputy guard AWS documents.
 */
export function serviceTrustPolicy(service: string, accountId: string, sourceArnLike?: string): string {
    const condition: Statement["Condition"] = { StringEquals: { "aws:SourceAccount": accountId } };
    if (sourceArnLike) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
    return JSON.stringify(
        policyDocument({
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: condition,
        }),
    );
}
