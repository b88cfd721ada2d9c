import * as assert from "assert";
import { RawConfig } from "../../../infra/config";
import { configWith, Graph, graphOf, planWith, STACKS } from "../harness";
import { observabilityGraph } from "./program";

const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const WEBHOOK = "https://hooks.example.com/services/T000/B000/XXXX";

/** The stack file's configuration with a webhook URL stored as a secret, as `pulumi config set --secret --path` does. */
function withWebhook(stack: "dev" | "prod"): RawConfig {
    const raw = configWith(stack, { "observability.alerting.webhookUrl": WEBHOOK });
    return { ...raw, secretKeys: new Set([...raw.secretKeys, "shop:observability"]) };
}

for (const stack of STACKS) {
    const prod = stack === "prod";
    const account = prod ? "222222222222" : "111111111111";
    const email = prod ? "oncall@example.co.za" : "platform-dev@example.co.za";

    describe(`alerting and the cost budget (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const topicIn = (region: string) => {
            const found = g.ofType(TOPIC).filter((t) => t.region === region);
            assert.strictEqual(found.length, 1, `topics in ${region}`);
            return found[0];
        };
        const policyOf = (topic: ReturnType<typeof topicIn>) => {
            const policies = g
                .ofType("aws:sns/topicPolicy:TopicPolicy")
                .filter((p) => g.sources(p, "arn").includes(topic));
            assert.strictEqual(policies.length, 1);
            return g.policy(policies[0]).Statement;
        };

        it("encrypts the alert topic with the messaging key of the stack's region", () => {
            const topic = topicIn("af-south-1");
            assert.strictEqual(topic.inputs.name, `shop-${stack}-alerts`);
            assert.deepStrictEqual(g.sources(topic, "kmsMasterKeyId"), [g.one("aws:kms/key:Key", "keys-messaging")]);
            assert.strictEqual(g.plan.outputs.alertTopicArn, `arn:aws:sns:af-south-1:${account}:shop-${stack}-alerts`);
        });

        it("lets exactly CloudWatch alarms, EventBridge rules and Budgets of this account publish", () => {
            const statements = policyOf(topicIn("af-south-1"));
            assert.deepStrictEqual(statements.map((s) => s.Principal.Service).sort(), [
                "budgets.amazonaws.com",
                "cloudwatch.amazonaws.com",
                "events.amazonaws.com",
            ]);
            const sourceArns: Record<string, string> = {
                "cloudwatch.amazonaws.com": `arn:aws:cloudwatch:af-south-1:${account}:alarm:*`,
                "events.amazonaws.com": `arn:aws:events:af-south-1:${account}:rule/*`,
                "budgets.amazonaws.com": `arn:aws:budgets::${account}:*`,
            };
            for (const s of statements) {
                assert.deepStrictEqual(
                    [s.Effect, s.Action, s.Resource],
                    ["Allow", "sns:Publish", `arn:aws:sns:af-south-1:${account}:shop-${stack}-alerts`],
                );
                assert.deepStrictEqual(s.Condition, {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": sourceArns[s.Principal.Service] },
                });
            }
        });

        // A publisher missing from the topic's key policy has its messages dropped silently.
        it("encrypts each topic with a key whose policy admits that topic's publishers", () => {
            for (const topic of g.ofType(TOPIC)) {
                const [key] = g.sources(topic, "kmsMasterKeyId");
                assert.strictEqual(key.region, topic.region, "a topic's key is in its region");
                const admitted = g
                    .policy(key)
                    .Statement.filter((s) => s.Effect === "Allow" && s.Principal?.Service)
                    .flatMap((s) =>
                        [s.Principal.Service]
                            .flat()
                            .map((service: string) => ({ service, actions: [s.Action].flat() as string[] })),
                    );
                for (const publisher of policyOf(topic).map((s) => s.Principal.Service as string)) {
                    const grant = admitted.find((a) => a.service === publisher);
                    assert.ok(
                        grant &&
                            grant.actions.includes("kms:GenerateDataKey*") &&
                            grant.actions.includes("kms:Decrypt"),
                        `${publisher} cannot use the key of ${topic.urn}`,
                    );
                }
            }
        });

        it("has a topic in us-east-1, with its own messaging key, for the edge's alarms", () => {
            const edge = topicIn("us-east-1");
            const [key] = g.sources(edge, "kmsMasterKeyId");
            assert.strictEqual(key.region, "us-east-1");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.deepStrictEqual(
                policyOf(edge).map((s) => s.Principal.Service),
                ["cloudwatch.amazonaws.com"],
            );
            assert.strictEqual(
                policyOf(edge)[0].Condition.ArnLike["aws:SourceArn"],
                `arn:aws:cloudwatch:us-east-1:${account}:alarm:*`,
            );
        });

        it("subscribes the on-call e-mail to both topics, and no webhook unless configured", () => {
            const subscriptions = g.ofType(SUBSCRIPTION);
            assert.deepStrictEqual(subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.region]).sort(), [
                ["email", email, "af-south-1"],
                ["email", email, "us-east-1"],
            ]);
            for (const s of subscriptions)
                assert.deepStrictEqual(
                    g.sources(s, "topic").map((t) => t.region),
                    [s.region],
                );
        });

        it("budgets the month's cost: forecast above 80 % and actual above 100 % to the alert topic", () => {
            const budget = g.one("aws:budgets/budget:Budget");
            assert.deepStrictEqual(
                [budget.inputs.budgetType, budget.inputs.timeUnit, budget.inputs.limitUnit, budget.inputs.limitAmount],
                ["COST", "MONTHLY", "USD", prod ? "4000.00" : "300.00"],
            );
            const notifications = budget.inputs.notifications as Record<string, unknown>[];
            const topicArn = `arn:aws:sns:af-south-1:${account}:shop-${stack}-alerts`;
            assert.deepStrictEqual(
                notifications.map((n) => [
                    n.notificationType,
                    n.threshold,
                    n.thresholdType,
                    n.comparisonOperator,
                    n.subscriberSnsTopicArns,
                ]),
                [
                    ["FORECASTED", 80, "PERCENTAGE", "GREATER_THAN", [topicArn]],
                    ["ACTUAL", 100, "PERCENTAGE", "GREATER_THAN", [topicArn]],
                ],
            );
            assert.strictEqual(budget.inputs.costFilters, undefined, "the whole account by default");
        });
    });

    describe(`alerting with a webhook (${stack})`, () => {
        it("subscribes the webhook to both topics as an HTTPS endpoint kept secret", async () => {
            const g = await observabilityGraph(withWebhook(stack), {});
            const webhooks = g.ofType(SUBSCRIPTION).filter((s) => s.inputs.protocol === "https");
            assert.deepStrictEqual(webhooks.map((s) => [s.inputs.endpoint, s.region]).sort(), [
                [WEBHOOK, "af-south-1"],
                [WEBHOOK, "us-east-1"],
            ]);
            for (const w of webhooks)
                assert.strictEqual(JSON.parse(w.inputs.deliveryPolicy as string).healthyRetryPolicy.numRetries, 20);
        });
    });
}

describe("alerting in a stack whose region is us-east-1", () => {
    it("uses one topic for every alarm: the edge's alarms are already in their region", async () => {
        const g = await observabilityGraph(
            configWith("dev", { "aws:region": "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b"] }),
            { targets: { edge: { healthCheckId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" } } },
        );
        const [topic, ...others] = g.ofType(TOPIC);
        assert.ok(topic && others.length === 0, "one topic");
        assert.strictEqual(g.ofType("shop:security:KeyRing").length, 1, "no second messaging key");
        const check = g
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .find((a) => String(a.inputs.name).endsWith("site-health-check"));
        assert.deepStrictEqual(check && g.sources(check, "alarmActions"), [topic]);
        assert.strictEqual(check?.region, "us-east-1");
    });
});

describe("the cost budget per stack", () => {
    it("counts only the stack's tagged costs when scoped to the stack", async () => {
        const g = new Graph(await planWith(configWith("dev", { "observability.budget.scope": "stack" })));
        assert.deepStrictEqual(g.one("aws:budgets/budget:Budget").inputs.costFilters, [
            { name: "TagKeyValue", values: ["user:Stack$dev"] },
        ]);
    });
});
