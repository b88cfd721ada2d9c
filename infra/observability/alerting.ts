import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KeyRing } from "../kms/key-ring";
import { policyDocument, Statement } from "../shared/iam";

/** The region of CloudFront's metrics and of every alarm on them (WAF CLOUDFRONT scope, Route 53 health checks). */
export const EDGE_REGION = "us-east-1";

/** AWS services that publish to the alert topics. */
type Publisher = "cloudwatch" | "events" | "budgets";

export interface AlertingArgs {
    accountId: string;
    /** The region of the provider the component is created with. */
    region: string;
    namePrefix: string;
    /** The messaging key (its policy admits the publishing services). */
    messagingKeyArn: pulumi.Input<string>;
    /** On-call address subscribed to every topic (the subscription must be confirmed from the e-mail). */
    email: string;
    /** An HTTPS endpoint that also receives every alert (chat, paging); a secret. */
    webhookUrl?: pulumi.Input<string>;
    /**
     * A provider for us-east-1: alarms on CloudFront, CLOUDFRONT-scope WAF and Route 53 health
     * checks live there, and an alarm can only notify a topic of its own region. With it the
     * component also creates a topic in us-east-1, encrypted with a messaging key of that region.
     */
    edgeProvider?: aws.Provider;
    keyDeletionWindowDays: number;
}

/**
 * Where every alert of the platform goes: an SNS topic encrypted with the messaging key, whose
 * policy lets exactly CloudWatch alarms, EventBridge rules and AWS Budgets of this account publish,
 * with the on-call e-mail (and an optional webhook) subscribed. Created early, so that any tier
 * can send alerts to it.
 */
export class Alerting extends pulumi.ComponentResource {
    /** The topic in the stack's region: alarms, GuardDuty findings, budget notifications. */
    readonly topicArn: pulumi.Output<string>;
    /** The topic for alarms in us-east-1 (the regional topic when the stack is in us-east-1). */
    readonly edgeTopicArn?: pulumi.Output<string>;

    constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:observability:Alerting", name, {}, opts);

        this.topicArn = this.topic(
            `${name}-topic`,
            args,
            args.messagingKeyArn,
            ["cloudwatch", "events", "budgets"],
            args.region,
        );
        if (args.edgeProvider) {
            this.edgeTopicArn =
                args.region === EDGE_REGION
                    ? this.topicArn
                    : this.edgeTopic(`${name}-${EDGE_REGION}`, args, args.edgeProvider);
        }
        this.registerOutputs({ topicArn: this.topicArn, edgeTopicArn: this.edgeTopicArn });
    }

    /** A us-east-1 topic for the edge alarms; KMS keys are regional, so it gets a messaging key of its own. */
    private edgeTopic(name: string, args: AlertingArgs, provider: aws.Provider): pulumi.Output<string> {
        const keys = new KeyRing(
            `${name}-keys`,
            {
                accountId: args.accountId,
                region: EDGE_REGION,
                purposes: ["messaging"],
                aliasPrefix: args.namePrefix,
                deletionWindowInDays: args.keyDeletionWindowDays,
            },
            { parent: this, provider },
        );
        return this.topic(`${name}-topic`, args, keys.arn("messaging"), ["cloudwatch"], EDGE_REGION, provider);
    }

    private topic(
        name: string,
        args: AlertingArgs,
        keyArn: pulumi.Input<string>,
        publishers: Publisher[],
        region: string,
        provider?: aws.Provider,
    ): pulumi.Output<string> {
        const opts = { parent: this, ...(provider ? { provider } : {}) };
        const topic = new aws.sns.Topic(
            name,
            {
                name: `${args.namePrefix}-alerts`,
                displayName: `${args.namePrefix} alerts`,
                kmsMasterKeyId: keyArn,
            },
            opts,
        );
        new aws.sns.TopicPolicy(
            name,
            {
                arn: topic.arn,
                policy: topic.arn.apply((arn) => JSON.stringify(topicPolicy(arn, publishers, args.accountId, region))),
            },
            opts,
        );

        new aws.sns.TopicSubscription(
            `${name}-email`,
            { topic: topic.arn, protocol: "email", endpoint: args.email },
            opts,
        );
        if (args.webhookUrl) {
            new aws.sns.TopicSubscription(
                `${name}-webhook`,
                {
                    topic: topic.arn,
                    protocol: "https",
                    endpoint: pulumi.secret(args.webhookUrl),
                    // Keep retrying a webhook that is down for a few minutes instead of dropping the alert.
                    deliveryPolicy: JSON.stringify({
                        healthyRetryPolicy: {
                            numRetries: 20,
                            numNoDelayRetries: 0,
                            minDelayTarget: 5,
                            maxDelayTarget: 60,
                            numMinDelayRetries: 3,
                            numMaxDelayRetries: 0,
                            backoffFunction: "exponential",
                        },
                    }),
                },
                opts,
            );
        }
        return topic.arn;
    }
}

/** Where each publisher's requests come from, for the confused-deputy guard AWS documents. */
function sourceArn(publisher: Publisher, accountId: string, region: string): string {
    switch (publisher) {
        case "cloudwatch":
            return `arn:aws:cloudwatch:${region}:${accountId}:alarm:*`;
        case "events":
            return `arn:aws:events:${region}:${accountId}:rule/*`;
        case "budgets":
            return `arn:aws:budgets::${accountId}:*`;
    }
}

/** Exactly the services that publish, each only from this account's alarms, rules or budgets. */
function topicPolicy(topicArn: string, publishers: Publisher[], accountId: string, region: string) {
    return policyDocument(
        ...publishers.map((publisher): Statement => ({
            Sid: `PublishFrom${publisher[0].toUpperCase()}${publisher.slice(1)}`,
            Effect: "Allow",
            Principal: { Service: `${publisher}.amazonaws.com` },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": sourceArn(publisher, accountId, region) },
            },
        })),
    );
}
