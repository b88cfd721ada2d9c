import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface LogGroupArgs {
    /** The physical name; AWS services that log by convention need an exact one. */
    logGroupName: pulumi.Input<string>;
    retentionInDays: number;
    /** A customer-managed key whose policy admits logs.<region>.amazonaws.com. */
    kmsKeyArn: pulumi.Input<string>;
}

/** A CloudWatch log group with retention and encryption, the only kind this program creates. */
export function encryptedLogGroup(
    name: string,
    args: LogGroupArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        name,
        {
            name: args.logGroupName,
            retentionInDays: args.retentionInDays,
            kmsKeyId: args.kmsKeyArn,
        },
        opts,
    );
}
