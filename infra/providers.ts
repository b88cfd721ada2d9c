import * as aws from "@pulumi/aws";
import { StackConfig } from "./config";

/**
 * The explicit AWS provider of the stack's region. Every AWS resource uses it (default providers
 * are disabled in the stack files), so the region, the account guard and the default tags are
 * set in one place: tags reach every taggable resource without each tier repeating them.
 */
export function regionalProvider(stack: StackConfig): aws.Provider {
    return awsProvider(`aws-${stack.region}`, stack.region, stack);
}

/**
 * A provider for us-east-1, where CloudFront certificates, CLOUDFRONT-scope WAF resources and
 * their logs must live whatever the stack's region.
 */
export function usEast1Provider(stack: StackConfig): aws.Provider {
    return awsProvider("aws-us-east-1", "us-east-1", stack);
}

function awsProvider(name: string, region: string, stack: StackConfig): aws.Provider {
    return new aws.Provider(name, {
        region,
        // Refuse to touch any other account, whatever credentials the caller has.
        allowedAccountIds: [stack.accountId],
        defaultTags: { tags: stack.tags },
    });
}
