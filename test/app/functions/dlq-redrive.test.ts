import * as assert from "assert";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { randomUUID } from "crypto";
import { createDlqRedrive, readDlqRedriveConfig } from "../../../app/functions/dlq-redrive";
import { NO_REASON, type DeadLetterReport, type RedriveResult } from "../../../app/functions/dlq-redrive/dead-letters";
import { createNotifier } from "../../../app/functions/notifier";
import { readNotifierConfig } from "../../../app/functions/notifier/config";
import { DeadLetterQueue, FAILURE_ATTRIBUTES } from "../../../app/functions/shared/sqs-batch";
import { configProblems } from "./support/fixtures";
import { lambdaContext, sleep, TestQueues, type TestQueue } from "./support/queues";
import { connectServices, type ConnectedServices } from "../support/services";

describe("dlq-redrive (SQS emulator)", function () {
    let services: ConnectedServices;
    let queues: TestQueues;
    let orders: TestQueue;

    const redriver = () =>
        createDlqRedrive(
            readDlqRedriveConfig({
                REDRIVE_QUEUES: JSON.stringify({
                    orders: { deadLetterQueueUrl: orders.dlqUrl, sourceQueueUrl: orders.url },
                }),
            }),
        );

    /** Parks a message the way the handlers do (PermanentFailure), from a real received record. */
    const park = async (body: string, reason: string) => {
        await queues.send(orders.url, body);
        const { event } = await queues.receiveEvent(orders, 1);
        await new DeadLetterQueue(new SQSClient({}), orders.dlqUrl, "order-processor").park(event.Records[0], reason);
        await queues.deliver(orders, async () => ({ batchItemFailures: [] })); // nothing left behind
    };

    before(async function () {
        services = await connectServices();
        queues = new TestQueues();
    });

    beforeEach(async function () {
        orders = await queues.create("orders", { maxReceiveCount: 1 });
    });

    after(async function () {
        await services?.local.stop();
    });

    it("reports what sits in a DLQ: counts, the oldest message and the reasons, leaving it all in place", async function () {
        const firstSent = Date.now();
        // SQS moves this one itself: received once (maxReceiveCount 1) and never deleted.
        await queues.send(orders.url, '{"orderId":"a"}');
        await queues.receive(orders.url, 1, 1);
        await sleep(1100);
        await queues.receive(orders.url, 1, 1);
        await park("{not json", "body is not JSON: Unexpected token");
        await park('{"x":1}', "invalid message: version: Invalid input");
        await park('{"x":2}', "invalid message: version: Invalid input");

        const [report] = (await redriver().handle(
            { action: "report" },
            lambdaContext("dlq-redrive"),
        )) as DeadLetterReport[];

        assert.deepStrictEqual(
            { ...report, oldestSentAt: undefined },
            {
                queue: "orders",
                visible: 4,
                inFlight: 0,
                sampled: 4,
                oldestSentAt: undefined,
                reasons: [
                    { reason: "invalid message: version: Invalid input", count: 2 },
                    { reason: "body is not JSON: Unexpected token", count: 1 },
                    { reason: NO_REASON, count: 1 },
                ],
            },
        );
        const oldest = Date.parse(report.oldestSentAt!);
        assert.ok(
            oldest >= firstSent - 1000 && oldest < firstSent + 1000,
            `oldest ${report.oldestSentAt} should be the first send`,
        );
        // Sampling hid the messages only while it read them.
        assert.strictEqual((await queues.receive(orders.dlqUrl, 10)).length, 4);
    });

    it("redrives to the source queue on request, without the failure attributes, up to the number asked", async function () {
        for (let i = 0; i < 5; i++) await park(JSON.stringify({ n: i }), "transient, now fixed");

        const first = (await redriver().handle(
            { action: "redrive", queue: "orders", maxMessages: 3 },
            lambdaContext("dlq-redrive"),
        )) as RedriveResult;
        assert.deepStrictEqual(first, { queue: "orders", moved: 3, failed: 0, remaining: 2 });
        const rest = (await redriver().handle(
            { action: "redrive", queue: "orders" },
            lambdaContext("dlq-redrive"),
        )) as RedriveResult;
        assert.deepStrictEqual(rest, { queue: "orders", moved: 2, failed: 0, remaining: 0 });

        const back = await queues.receive(orders.url, 10);
        assert.deepStrictEqual(back.map((m) => JSON.parse(m.Body!).n).sort(), [0, 1, 2, 3, 4]);
        assert.ok(back.every((m) => !m.MessageAttributes || !(FAILURE_ATTRIBUTES.reason in m.MessageAttributes)));
        assert.strictEqual(await queues.depth(orders.dlqUrl), 0);
    });

    it("deletes from the DLQ only what the source queue accepted when it refuses part of a batch", async function () {
        const large = JSON.stringify({ n: 2, note: "x".repeat(2048) });
        for (const body of [JSON.stringify({ n: 0 }), JSON.stringify({ n: 1 }), large]) await park(body, "now fixed");
        // The source queue now takes messages of at most 1 KiB: SendMessageBatch refuses the large
        // one (a per-entry failure) and accepts the others.
        await queues.sqs.send(
            new SetQueueAttributesCommand({ QueueUrl: orders.url, Attributes: { MaximumMessageSize: "1024" } }),
        );

        const result = (await redriver().handle(
            { action: "redrive", queue: "orders" },
            lambdaContext("dlq-redrive"),
        )) as RedriveResult;

        assert.deepStrictEqual({ moved: result.moved, failed: result.failed }, { moved: 2, failed: 1 });
        const back = await queues.receive(orders.url, 10);
        assert.deepStrictEqual(back.map((m) => JSON.parse(m.Body!).n).sort(), [0, 1]);
        // The refused message stays in the DLQ (hidden until the redrive's visibility timeout ends).
        assert.strictEqual(await queues.depth(orders.dlqUrl), 1, "the refused message must not be deleted");
    });

    it("re-processes: a notification that failed until SQS dead-lettered it is delivered after the redrive", async function () {
        const notifier = createNotifier(
            readNotifierConfig({
                SENDER_EMAIL: "orders@shop.example",
                STORE_URL: "https://shop.example",
                DEAD_LETTER_QUEUE_URL: orders.dlqUrl,
            }),
        );
        services.local.failFor("later@example.com", { status: 503, code: "ServiceUnavailable" }, 1);
        await queues.send(orders.url, {
            version: 1,
            notificationId: randomUUID(),
            template: "low-stock",
            channel: "email",
            to: "later@example.com",
            data: { sku: "MUG", name: "Coffee mug", available: 1, threshold: 3 },
        });
        await queues.deliver(orders, notifier.handle); // fails: SES unavailable
        await sleep(1100);
        await queues.deliver(orders, notifier.handle); // receive count exceeded: SQS moves it
        assert.strictEqual(await queues.depth(orders.dlqUrl), 1);

        await redriver().handle({ action: "redrive", queue: "orders" }, lambdaContext("dlq-redrive"));
        await queues.deliver(orders, notifier.handle);

        assert.ok(services.local.emails.some((e) => e.to[0] === "later@example.com"));
        assert.strictEqual(await queues.depth(orders.url), 0);
        assert.strictEqual(await queues.depth(orders.dlqUrl), 0);
    });

    it("serves only the queues it is configured with, and checks requests", async function () {
        await assert.rejects(
            redriver().handle({ action: "redrive", queue: "payments" }),
            /unknown queue "payments"; this function serves: orders/,
        );
        await assert.rejects(redriver().handle({ action: "purge", queue: "orders" }), /invalid request: action: /);
        await assert.rejects(redriver().handle({ action: "redrive" }), /invalid request: queue: /);
    });

    it("names a missing or malformed REDRIVE_QUEUES", function () {
        const problems = (env: Record<string, string>) => configProblems(() => readDlqRedriveConfig(env));
        assert.deepStrictEqual(problems({}), ["REDRIVE_QUEUES is not set"]);
        assert.match(problems({ REDRIVE_QUEUES: "{" })[0], /^REDRIVE_QUEUES is not valid: /);
        assert.deepStrictEqual(
            problems({
                REDRIVE_QUEUES: JSON.stringify({
                    orders: { deadLetterQueueUrl: "https://sqs/x.fifo", sourceQueueUrl: "https://sqs/y" },
                }),
            }),
            [
                "REDRIVE_QUEUES is not valid: orders.deadLetterQueueUrl: FIFO queues are not supported (the platform's queues are standard)",
            ],
        );
    });
});
