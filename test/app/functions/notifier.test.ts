import * as assert from "assert";
import { randomUUID } from "crypto";
import { createNotifier } from "../../../app/functions/notifier";
import { readNotifierConfig } from "../../../app/functions/notifier/config";
import { money } from "../../../app/functions/notifier/templates";
import { FAILURE_ATTRIBUTES } from "../../../app/functions/shared/sqs-batch";
import { configProblems } from "./support/fixtures";
import { TestQueues, sleep, type TestQueue } from "./support/queues";
import { connectServices, type ConnectedServices } from "../support/services";

describe("notifier (SES v2 and SNS over HTTP, SQS emulator)", function () {
    let services: ConnectedServices;
    let queues: TestQueues;
    let notifications: TestQueue;

    const notifier = () =>
        createNotifier(
            readNotifierConfig({
                SENDER_EMAIL: "orders@shop.example",
                SES_CONFIGURATION_SET: "shop-transactional",
                SMS_SENDER_ID: "Shop",
                STORE_NAME: "Shop <Africa>",
                STORE_URL: "https://shop.example/",
                DEAD_LETTER_QUEUE_URL: notifications.dlqUrl,
            }),
        );
    const confirmation = (to: string, channel: "email" | "sms" = "email") => ({
        version: 1,
        notificationId: `order:${randomUUID()}:confirmation`,
        template: "order-confirmation",
        channel,
        to,
        data: {
            orderId: randomUUID(),
            lines: [{ name: "Mug <large>", quantity: 2, unitPriceMinor: 8900 }],
            totalMinor: 17800,
            currency: "ZAR",
        },
    });

    before(async function () {
        services = await connectServices();
        queues = new TestQueues();
    });

    beforeEach(async function () {
        notifications = await queues.create("notifications", { maxReceiveCount: 3 });
        services.local.emails.length = 0;
        services.local.sms.length = 0;
    });

    after(async function () {
        await services?.local.stop();
    });

    it("sends e-mail through SES v2 and SMS through SNS, rendered and escaped, as signed requests", async function () {
        await queues.send(notifications.url, confirmation("thandi@example.co.za"));
        await queues.send(notifications.url, confirmation("+27821234567", "sms"));

        const delivery = await queues.deliver(notifications, notifier().handle);

        assert.deepStrictEqual(delivery.failed, []);
        assert.strictEqual(services.local.emails.length, 1);
        const email = services.local.emails[0];
        assert.deepStrictEqual(
            [email.from, email.to, email.configurationSet],
            ["orders@shop.example", ["thandi@example.co.za"], "shop-transactional"],
        );
        assert.strictEqual(email.subject, "Your Shop <Africa> order is confirmed");
        assert.match(email.text, /2 × Mug <large>: R\s?178\.00/);
        assert.match(email.html!, /2 × Mug &lt;large&gt;/);
        assert.ok(!email.html!.includes("<large>"), "message data must be escaped in HTML");
        assert.strictEqual(services.local.sms.length, 1);
        assert.strictEqual(services.local.sms[0].phoneNumber, "+27821234567");
        assert.match(
            services.local.sms[0].message,
            /order [0-9a-f]{8} confirmed, total R\s?178\.00\. https:\/\/shop\.example\/orders\//,
        );
        assert.deepStrictEqual(services.local.sms[0].attributes, {
            "AWS.SNS.SMS.SMSType": "Transactional",
            "AWS.SNS.SMS.SenderID": "Shop",
        });
        assert.ok(
            services.local.signedFor.has("ses") && services.local.signedFor.has("sns"),
            [...services.local.signedFor].join(),
        );
        assert.strictEqual(await queues.depth(notifications.url), 0);
    });

    it("retries a throttled send through SQS, and it is delivered once the throttle clears", async function () {
        services.local.failFor("busy@example.com", {
            status: 429,
            code: "TooManyRequestsException",
            message: "Maximum sending rate exceeded.",
        });
        services.local.failFor("+254712345678", { status: 400, code: "Throttled", message: "Rate exceeded" });
        await queues.send(notifications.url, confirmation("busy@example.com"));
        await queues.send(notifications.url, confirmation("+254712345678", "sms"));
        await queues.send(notifications.url, confirmation("calm@example.com"));

        const first = await queues.deliver(notifications, notifier().handle);
        assert.strictEqual(first.failed.length, 2);
        assert.deepStrictEqual(
            services.local.emails.map((e) => e.to[0]),
            ["calm@example.com"],
        );

        await sleep(1100); // the visibility timeout
        const second = await queues.deliver(notifications, notifier().handle);

        assert.deepStrictEqual(second, { received: 2, failed: [], threw: undefined });
        assert.deepStrictEqual(services.local.emails.map((e) => e.to[0]).sort(), [
            "busy@example.com",
            "calm@example.com",
        ]);
        assert.strictEqual(services.local.sms.length, 1);
        assert.strictEqual(await queues.depth(notifications.dlqUrl), 0);
    });

    it("sends permanent failures to the DLQ at once with the provider's reason, without blocking the batch", async function () {
        services.local.failFor("bounced@example.com", {
            status: 400,
            code: "MessageRejected",
            message: "Email address is on the suppression list.",
        });
        services.local.failFor("+27000000001", {
            status: 400,
            code: "InvalidParameter",
            message: "Invalid parameter: PhoneNumber",
        });
        await queues.send(notifications.url, confirmation("bounced@example.com"));
        await queues.send(notifications.url, confirmation("+27000000001", "sms"));
        await queues.send(notifications.url, { ...confirmation("x@example.com"), template: "birthday-card" });
        await queues.send(notifications.url, confirmation("fine@example.com"));

        const delivery = await queues.deliver(notifications, notifier().handle);

        assert.deepStrictEqual(delivery.failed, []);
        assert.deepStrictEqual(
            services.local.emails.map((e) => e.to[0]),
            ["fine@example.com"],
        );
        const parked = await queues.receive(notifications.dlqUrl);
        const reasons = parked.map((m) => m.MessageAttributes![FAILURE_ATTRIBUTES.reason].StringValue!).sort();
        assert.strictEqual(reasons.length, 3);
        assert.strictEqual(reasons[0], "email refused: MessageRejected: Email address is on the suppression list.");
        assert.match(reasons[1], /^invalid message: template: .*'order-confirmation' \| 'order-rejected'/);
        assert.strictEqual(reasons[2], "sms refused: InvalidParameterException: Invalid parameter: PhoneNumber");
        assert.ok(parked.every((m) => m.MessageAttributes![FAILURE_ATTRIBUTES.handler].StringValue === "notifier"));
    });

    it("reports a poison message as failed when the DLQ refuses its copy; SQS's own redrive then moves it: nothing is lost", async function () {
        // The handler's dead-letter queue takes messages of at most 1 KiB: the copy of a 2 KiB
        // poison message is refused by the emulator, as a throttle or a KMS error would refuse it.
        const refusing = await queues.createQueue(`refusing-dlq-${randomUUID().slice(0, 8)}`, {
            MaximumMessageSize: "1024",
        });
        const handle = createNotifier(
            readNotifierConfig({
                SENDER_EMAIL: "orders@shop.example",
                STORE_URL: "https://shop.example/",
                DEAD_LETTER_QUEUE_URL: refusing.url,
            }),
        ).handle;
        const poison = `{not json ${"x".repeat(2048)}`;
        const poisonId = await queues.send(notifications.url, poison);
        await queues.send(notifications.url, confirmation("fine@example.com"));

        const delivery = await queues.deliver(notifications, handle);

        assert.deepStrictEqual(delivery.failed, [poisonId], "the message whose copy failed is reported as failed");
        assert.deepStrictEqual(
            services.local.emails.map((e) => e.to[0]),
            ["fine@example.com"],
        );
        assert.strictEqual(await queues.depth(refusing.url), 0);
        assert.strictEqual(await queues.depth(notifications.url), 1, "the poison message is still in its queue");

        // maxReceiveCount is 3: after the third failed receive SQS moves it to the queue's DLQ.
        for (let receive = 0; receive < 3; receive++) {
            await sleep(1100);
            await queues.deliver(notifications, handle);
        }
        assert.strictEqual(await queues.depth(notifications.url), 0);
        const [moved, ...others] = await queues.receive(notifications.dlqUrl);
        assert.deepStrictEqual(others, []);
        assert.strictEqual(moved.Body, poison);
    });

    it("after maxReceiveCount failed receives, SQS itself moves a message that never clears to the DLQ", async function () {
        services.local.failFor("down@example.com", { status: 503, code: "ServiceUnavailable" }, 10);
        await queues.send(notifications.url, confirmation("down@example.com"));

        for (let receive = 0; receive < 4; receive++) {
            await queues.deliver(notifications, notifier().handle);
            await sleep(1100);
        }

        assert.strictEqual(await queues.depth(notifications.url), 0);
        assert.strictEqual(await queues.depth(notifications.dlqUrl), 1);
        assert.strictEqual(services.local.emails.length, 0);
    });

    it("renders every template for both channels", async function () {
        const orderId = randomUUID();
        const messages = [
            { template: "order-rejected", data: { orderId, reason: "payment_declined" } },
            {
                template: "shipping-update",
                data: {
                    orderId,
                    status: "out_for_delivery",
                    carrier: "Courier Guy",
                    trackingUrl: "https://track.example/1",
                },
            },
            { template: "low-stock", data: { sku: "MUG", name: "Coffee mug", available: 2, threshold: 3 } },
            { template: "cart-reminder", data: { cartId: randomUUID(), items: [{ name: "T-shirt", quantity: 1 }] } },
        ];
        for (const message of messages) {
            await queues.send(notifications.url, {
                version: 1,
                notificationId: randomUUID(),
                channel: "email",
                to: "a@example.com",
                ...message,
            });
            await queues.send(notifications.url, {
                version: 1,
                notificationId: randomUUID(),
                channel: "sms",
                to: "+27821234567",
                ...message,
            });
        }

        await queues.drain(notifications, notifier().handle);

        assert.deepStrictEqual(
            services.local.emails.map((e) => e.subject).sort(),
            [
                "You left something in your Shop <Africa> cart",
                "Your Shop <Africa> order is out for delivery",
                "We could not place your Shop <Africa> order",
                "[Shop <Africa>] Low stock: MUG",
            ].sort(),
        );
        assert.ok(
            services.local.emails
                .find((e) => e.subject.startsWith("We could not"))!
                .text.includes("your payment was declined"),
        );
        assert.ok(services.local.sms.some((s) => s.message.includes("https://track.example/1")));
        assert.strictEqual(services.local.sms.length, 4);
    });

    it("formats money in the currency's own minor units", function () {
        assert.match(money(17800, "ZAR"), /^R\s?178\.00$/);
        assert.strictEqual(money(250000, "NGN"), "₦2,500.00");
        assert.match(money(1500, "KES"), /^KES\s15\.00$/);
        assert.match(money(1500, "XOF"), /^F\s?CFA\s1,500$/); // no minor unit
    });

    it("names every bad or missing variable of its environment", function () {
        assert.deepStrictEqual(
            configProblems(() =>
                readNotifierConfig({ STORE_URL: "http://shop.example", SMS_SENDER_ID: "far-too-long-id" }),
            ),
            [
                'STORE_URL is "http://shop.example": expected an https:// URL',
                'SMS_SENDER_ID is "far-too-long-id": expected 1-11 letters and digits with at least one letter',
                "SENDER_EMAIL is not set",
                "DEAD_LETTER_QUEUE_URL is not set",
            ],
        );
    });
});
