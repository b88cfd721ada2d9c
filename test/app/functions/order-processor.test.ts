import * as assert from "assert";
import { randomUUID } from "crypto";
import type { Pool } from "pg";
import { readOrderProcessorConfig } from "../../../app/functions/order-processor/config";
import { createOrderProcessor, type OrderProcessorDeps } from "../../../app/functions/order-processor";
import { Notification } from "../../../app/functions/shared/notifications";
import { FAILURE_ATTRIBUTES } from "../../../app/functions/shared/sqs-batch";
import { assertIncludes, capturedObservability, configProblems, orderMessage, seedCatalog } from "./support/fixtures";
import { runTypeScript } from "../support/processes";
import { FUNCTION_ROLES } from "../../../app/db/roles";
import { adminPool, ALL_TABLES, freshSchema, killPostgres, roleEnv, startPostgres } from "../support/postgres";
import { TestQueues, sleep, type TestQueue } from "./support/queues";
import { connectServices, PAYMENT_SECRET_ARN, type ConnectedServices } from "../support/services";

describe("order-processor (PostgreSQL + SQS emulator)", function () {
    let services: ConnectedServices;
    let pool: Pool;
    let queues: TestQueues;
    let orders: TestQueue;
    let notifications: TestQueue;
    let processors: { close(): Promise<void> }[] = [];

    const env = (): Record<string, string> => ({
        ...roleEnv(services, FUNCTION_ROLES["order-processor"]),
        NOTIFICATION_QUEUE_URL: notifications.url,
        DEAD_LETTER_QUEUE_URL: orders.dlqUrl,
        LOW_STOCK_ALERT_EMAIL: "ops@shop.example",
        PAYMENT_PROVIDER: "sandbox",
        PAYMENT_SECRET_ARN,
    });
    const processor = (deps: OrderProcessorDeps = {}) => {
        const created = createOrderProcessor(readOrderProcessorConfig(env()), deps);
        processors.push(created);
        return created;
    };
    const count = async (sql: string, values: unknown[] = []): Promise<number> =>
        Number((await pool.query(sql, values)).rows[0].count);
    const notificationsSent = async (): Promise<Notification[]> =>
        (await queues.receive(notifications.url, 100)).map((message) => Notification.parse(JSON.parse(message.Body!)));

    before(async function () {
        services = await connectServices();
        await freshSchema(services);
        pool = adminPool(services);
        queues = new TestQueues();
    });

    beforeEach(async function () {
        await pool.query(`TRUNCATE ${ALL_TABLES} RESTART IDENTITY CASCADE`);
        await seedCatalog(pool, [
            { sku: "TSHIRT-M", name: "T-shirt, medium", priceMinor: 24900, onHand: 100 },
            { sku: "MUG", name: "Coffee mug", priceMinor: 8900, onHand: 10, threshold: 3 },
        ]);
        orders = await queues.create("orders");
        notifications = await queues.create("notifications");
    });

    afterEach(async function () {
        await Promise.all(processors.map((p) => p.close()));
        processors = [];
    });

    after(async function () {
        await pool?.end();
        await services?.local.stop();
    });

    it("places an order: stock reserved, one charge, order and lines in one transaction, confirmation queued", async function () {
        const message = orderMessage({
            lines: [
                { sku: "TSHIRT-M", quantity: 2 },
                { sku: "MUG", quantity: 1 },
            ],
        });
        await queues.send(orders.url, message);

        const delivery = await queues.deliver(orders, processor().handle);

        assertIncludes(delivery, { received: 1, failed: [] });
        const order = (
            await pool.query("SELECT status, total_minor, currency FROM orders.orders WHERE order_id = $1", [
                message.orderId,
            ])
        ).rows[0];
        assert.deepStrictEqual(order, { status: "confirmed", total_minor: String(2 * 24900 + 8900), currency: "ZAR" });
        assert.deepStrictEqual(
            (await pool.query("SELECT sku, quantity, unit_price_minor FROM orders.order_lines ORDER BY line_no")).rows,
            [
                { sku: "TSHIRT-M", quantity: 2, unit_price_minor: "24900" },
                { sku: "MUG", quantity: 1, unit_price_minor: "8900" },
            ],
        );
        assert.deepStrictEqual((await pool.query("SELECT sku, reserved FROM catalog.stock ORDER BY sku")).rows, [
            { sku: "MUG", reserved: 1 },
            { sku: "TSHIRT-M", reserved: 2 },
        ]);
        const charges = (await pool.query("SELECT charge_id, amount_minor, status FROM payment_sandbox.charges")).rows;
        assert.strictEqual(charges.length, 1);
        assertIncludes(charges[0], { amount_minor: "58700", status: "succeeded" });
        assert.strictEqual(
            await count("SELECT count(*) FROM payments.charges WHERE charge_id = $1", [charges[0].charge_id]),
            1,
        );
        const sent = await notificationsSent();
        assert.strictEqual(sent.length, 1);
        assertIncludes(sent[0], { template: "order-confirmation", channel: "email", to: "thandi@example.co.za" });
        assertIncludes(sent[0].data, { orderId: message.orderId, totalMinor: 58700, currency: "ZAR" });
        assert.strictEqual(await queues.depth(orders.url), 0);
    });

    it("is idempotent by order id: the same order delivered twice makes one order, one charge, one confirmation", async function () {
        const message = orderMessage();
        await queues.send(orders.url, message);
        await queues.send(orders.url, message); // the API retried, or SQS delivered it twice

        const deliveries = await queues.drain(orders, processor().handle);

        assert.deepStrictEqual(
            deliveries.flatMap((d) => d.failed),
            [],
        );
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders"), 1);
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges"), 1);
        assert.strictEqual(
            (await pool.query("SELECT reserved FROM catalog.stock WHERE sku = 'TSHIRT-M'")).rows[0].reserved,
            1,
        );
        assert.strictEqual((await notificationsSent()).length, 1);
    });

    it("serialises two containers processing the same order at the same moment", async function () {
        const message = orderMessage();
        await queues.send(orders.url, message);
        const { event } = await queues.receiveEvent(orders, 1);

        const results = await Promise.all([processor().handle(event), processor().handle(event)]);

        assert.deepStrictEqual(
            results.flatMap((r) => r.batchItemFailures),
            [],
        );
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders"), 1);
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges"), 1);
        assert.strictEqual((await notificationsSent()).length, 1);
    });

    it("survives a crash between the charge and the commit: after redelivery, one order and one charge", async function () {
        const message = orderMessage();
        await queues.send(orders.url, message);
        const { event } = await queues.receiveEvent(orders, 10, 1);

        // A real process, killed with SIGKILL right after the provider answered.
        const child = await runTypeScript(
            "test/app/functions/support/crash-after-charge.ts",
            { ...process.env, ...env() },
            JSON.stringify(event),
        );
        assert.strictEqual(child.signal, "SIGKILL", child.stderr);

        // The provider kept the charge; the order transaction never committed.
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges"), 1);
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders"), 0);
        assert.strictEqual(
            (await pool.query("SELECT reserved FROM catalog.stock WHERE sku = 'TSHIRT-M'")).rows[0].reserved,
            0,
        );
        const chargeId = (await pool.query("SELECT charge_id FROM payment_sandbox.charges")).rows[0].charge_id;

        // The message was never deleted: SQS delivers it again once its visibility timeout ends.
        await sleep(1100);
        const deliveries = await queues.drain(orders, processor().handle);

        assert.deepStrictEqual(
            deliveries.flatMap((d) => d.failed),
            [],
        );
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders WHERE status = 'confirmed'"), 1);
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges"), 1);
        assert.deepStrictEqual((await pool.query("SELECT charge_id FROM payments.charges")).rows, [
            { charge_id: chargeId },
        ]);
        assert.strictEqual((await notificationsSent()).length, 1);
    });

    it("moves a poison message to the DLQ with its reason, and processes the rest of the batch", async function () {
        const good = [orderMessage(), orderMessage(), orderMessage()];
        await queues.send(orders.url, good[0]);
        await queues.send(orders.url, "{not json");
        await queues.send(orders.url, good[1]);
        await queues.send(orders.url, orderMessage({ lines: [{ sku: "MUG", quantity: 0 }] }));
        await queues.send(orders.url, good[2]);
        const obs = capturedObservability("order-processor");

        const delivery = await queues.deliver(orders, processor({ obs }).handle);

        assertIncludes(delivery, { received: 5, failed: [] });
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders WHERE status = 'confirmed'"), 3);
        assert.strictEqual(await queues.depth(orders.url), 0);
        const parked = await queues.receive(orders.dlqUrl);
        const reasons = parked.map((m) => m.MessageAttributes![FAILURE_ATTRIBUTES.reason].StringValue!).sort();
        assert.strictEqual(reasons.length, 2);
        assert.match(reasons[0], /^body is not JSON: /);
        assert.strictEqual(reasons[1], "invalid message: lines.0.quantity: Too small: expected number to be >=1");
        assert.strictEqual(parked[0].MessageAttributes![FAILURE_ATTRIBUTES.sourceQueue].StringValue, orders.arn);
        assert.ok(parked.some((m) => m.Body === "{not json"));
        const logged = obs.lines.filter(
            (line) => line.message === "message rejected; moving it to the dead-letter queue",
        );
        assert.deepStrictEqual(logged.map((line) => line.reason).sort(), reasons);
    });

    it("loses nothing when the database dies mid-batch: the failed messages come back and are placed once", async function () {
        const messages = [orderMessage(), orderMessage(), orderMessage(), orderMessage()];
        for (const message of messages) await queues.send(orders.url, message);
        let charges = 0;
        const dyingDatabase = processor({
            wrapPayments: (provider) => ({
                name: provider.name,
                refundByKey: (key) => provider.refundByKey(key),
                charge: async (request) => {
                    const result = await provider.charge(request);
                    if (++charges === 2) killPostgres(services); // between the 2nd charge and its commit
                    return result;
                },
            }),
        });

        let outage;
        try {
            outage = await queues.deliver(orders, dyingDatabase.handle);
        } finally {
            startPostgres(services);
        }

        assert.strictEqual(outage.received, 4);
        assert.strictEqual(outage.failed.length, 3);
        assert.strictEqual(await queues.depth(orders.url), 3);
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders"), 1);

        await sleep(1100);
        const deliveries = await queues.drain(orders, dyingDatabase.handle);

        assert.deepStrictEqual(
            deliveries.flatMap((d) => d.failed),
            [],
        );
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders WHERE status = 'confirmed'"), 4);
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges"), 4);
        assert.strictEqual(await count("SELECT count(*) FROM payments.charges"), 4);
        assert.strictEqual(
            (await pool.query("SELECT reserved FROM catalog.stock WHERE sku = 'TSHIRT-M'")).rows[0].reserved,
            4,
        );
        assert.strictEqual(await queues.depth(orders.dlqUrl), 0);
        assert.strictEqual((await notificationsSent()).length, 4);
    });

    it("rejects what it cannot fulfil, charging nothing, and tells the customer", async function () {
        const tooMany = orderMessage({ lines: [{ sku: "MUG", quantity: 11 }] });
        const unknown = orderMessage({ lines: [{ sku: "NO-SUCH-THING", quantity: 1 }] });
        // The catalogue prices these SKUs in rand only, and no longer sells an archived one.
        const inDollars = orderMessage({ currency: "USD" });
        await seedCatalog(pool, [{ sku: "OLD-MUG", onHand: 5 }]);
        await pool.query("UPDATE catalog.skus SET status = 'archived' WHERE sku = 'OLD-MUG'");
        const archived = orderMessage({ lines: [{ sku: "OLD-MUG", quantity: 1 }] });
        const declined = orderMessage({
            payment: { token: "tok_sandbox_decline" },
            customer: { id: "c2", email: "a@example.com", phone: "+254712345678", notify: "sms" },
        });
        for (const message of [tooMany, unknown, declined, inDollars, archived]) await queues.send(orders.url, message);

        await queues.drain(orders, processor().handle);

        const rows = (await pool.query("SELECT order_id, status, rejection_reason FROM orders.orders")).rows;
        const reasonOf = (message: Record<string, unknown>) =>
            rows.find((row) => row.order_id === message.orderId)?.rejection_reason;
        assert.deepStrictEqual(
            [reasonOf(tooMany), reasonOf(unknown), reasonOf(declined), reasonOf(inDollars), reasonOf(archived)],
            ["out_of_stock", "unknown_product", "payment_declined", "not_sold_in_currency", "unknown_product"],
        );
        assert.strictEqual(await count("SELECT count(*) FROM payment_sandbox.charges WHERE status = 'succeeded'"), 0);
        assert.strictEqual(await count("SELECT count(*) FROM payments.charges"), 0);
        assert.strictEqual(
            (await pool.query("SELECT sum(reserved)::int AS reserved FROM catalog.stock")).rows[0].reserved,
            0,
        );
        const sent = await notificationsSent();
        assert.deepStrictEqual(
            sent.map((n) => n.template),
            Array(5).fill("order-rejected"),
        );
        assertIncludes(
            sent.find((n) => n.channel === "sms"),
            { to: "+254712345678" },
        );
    });

    it("retries while the payment provider is down, without creating anything", async function () {
        await queues.send(orders.url, orderMessage({ payment: { token: "tok_sandbox_unavailable" } }));

        const delivery = await queues.deliver(orders, processor().handle);

        assert.strictEqual(delivery.failed.length, 1);
        assert.strictEqual(await count("SELECT count(*) FROM orders.orders"), 0);
        assert.strictEqual(await queues.depth(orders.url), 1);
        assert.strictEqual(await queues.depth(orders.dlqUrl), 0);
    });

    it("alerts operations once when an order takes a product down to its low-stock threshold", async function () {
        await queues.send(orders.url, orderMessage({ lines: [{ sku: "MUG", quantity: 6 }] })); // 10 -> 4, above 3
        await queues.send(orders.url, orderMessage({ lines: [{ sku: "MUG", quantity: 2 }] })); // 4 -> 2: crosses
        await queues.send(orders.url, orderMessage({ lines: [{ sku: "MUG", quantity: 1 }] })); // 2 -> 1: already low

        await queues.drain(orders, processor().handle);

        const alerts = (await notificationsSent()).filter((n) => n.template === "low-stock");
        assert.strictEqual(alerts.length, 1);
        assertIncludes(alerts[0], { channel: "email", to: "ops@shop.example" });
        assert.deepStrictEqual(alerts[0].data, { sku: "MUG", name: "Coffee mug", available: 2, threshold: 3 });
    });

    it("marks the order's cart as ordered, so the abandoned-cart sweep leaves it alone", async function () {
        const cartId = randomUUID();
        await pool.query(
            "INSERT INTO orders.carts (cart_id, customer_id, customer_email) VALUES ($1, 'cust-1', 'thandi@example.co.za')",
            [cartId],
        );
        await queues.send(orders.url, orderMessage({ cartId }));

        await queues.deliver(orders, processor().handle);

        assert.strictEqual(
            (await pool.query("SELECT status FROM orders.carts WHERE cart_id = $1", [cartId])).rows[0].status,
            "ordered",
        );
    });

    it("reads its configuration from the environment and names every missing variable", function () {
        assert.deepStrictEqual(
            configProblems(() => readOrderProcessorConfig({ DB_PORT: "not-a-port", DB_AUTH: "secret" })),
            [
                "DB_HOST is not set",
                // Only the migrator logs in as the master user.
                'DB_AUTH is "secret": expected one of iam, password',
                'DB_PORT is "not-a-port": expected an integer from 1 to 65535',
                "DB_NAME is not set",
                "NOTIFICATION_QUEUE_URL is not set",
                "DEAD_LETTER_QUEUE_URL is not set",
                "LOW_STOCK_ALERT_EMAIL is not set",
                "PAYMENT_SECRET_ARN is not set",
            ],
        );
    });
});
