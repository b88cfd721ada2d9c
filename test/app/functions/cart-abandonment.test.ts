import * as assert from "assert";
import { randomUUID } from "crypto";
import type { Pool } from "pg";
import { createCartAbandonment, readCartAbandonmentConfig } from "../../../app/functions/cart-abandonment";
import { Notification } from "../../../app/functions/shared/notifications";
import { configProblems, seedCatalog } from "./support/fixtures";
import { FUNCTION_ROLES } from "../../../app/db/roles";
import { adminPool, ALL_TABLES, freshSchema, roleEnv } from "../support/postgres";
import { lambdaContext, TestQueues, type TestQueue } from "./support/queues";
import { connectServices, type ConnectedServices } from "../support/services";

describe("cart-abandonment (PostgreSQL + SQS emulator)", function () {
    let services: ConnectedServices;
    let pool: Pool;
    let queues: TestQueues;
    let reminders: TestQueue;
    let sweeps: { close(): Promise<void> }[] = [];

    const sweep = (overrides: Record<string, string> = {}) => {
        const created = createCartAbandonment(
            readCartAbandonmentConfig({
                ...roleEnv(services, FUNCTION_ROLES["cart-abandonment"]),
                REMINDER_QUEUE_URL: reminders.url,
                CART_IDLE_MINUTES: "60",
                CART_MAX_AGE_HOURS: "72",
                ...overrides,
            }),
        );
        sweeps.push(created);
        return created;
    };
    const addCart = async (
        idleMinutes: number,
        options: { email?: string | null; status?: string; items?: number } = {},
    ): Promise<string> => {
        const cartId = randomUUID();
        await pool.query(
            "INSERT INTO orders.carts (cart_id, customer_id, customer_email, status, updated_at) VALUES ($1, 'c', $2, $3, now() - make_interval(mins => $4))",
            [
                cartId,
                options.email === undefined ? `${cartId.slice(0, 8)}@example.com` : options.email,
                options.status ?? "open",
                idleMinutes,
            ],
        );
        if ((options.items ?? 1) > 0)
            await pool.query("INSERT INTO orders.cart_items (cart_id, sku, quantity) VALUES ($1, 'MUG', $2)", [
                cartId,
                options.items ?? 1,
            ]);
        return cartId;
    };
    const queuedReminders = async (): Promise<Notification[]> =>
        (await queues.receive(reminders.url, 1000)).map((message) => Notification.parse(JSON.parse(message.Body!)));

    before(async function () {
        services = await connectServices();
        await freshSchema(services);
        pool = adminPool(services);
        queues = new TestQueues();
    });

    beforeEach(async function () {
        await pool.query(`TRUNCATE ${ALL_TABLES} RESTART IDENTITY CASCADE`);
        await seedCatalog(pool, [{ sku: "MUG", name: "Coffee mug", onHand: 10 }]);
        reminders = await queues.create("notifications");
    });

    afterEach(async function () {
        await Promise.all(sweeps.map((s) => s.close()));
        sweeps = [];
    });

    after(async function () {
        await pool?.end();
        await services?.local.stop();
    });

    it("enqueues one reminder per cart idle for longer than the configured time, and only for those", async function () {
        const idle = await addCart(90, { items: 2 });
        await addCart(30); // still shopping
        await addCart(90, { status: "ordered" });
        await addCart(90, { email: null }); // anonymous: nobody to remind
        await addCart(90, { items: 0 }); // empty
        await addCart(5 * 24 * 60); // abandoned too long ago

        const result = await sweep().handle({}, lambdaContext("cart-abandonment"));

        assert.deepStrictEqual(result, { claimed: 1, enqueued: 1 });
        const queued = await queuedReminders();
        assert.strictEqual(queued.length, 1);
        assert.deepStrictEqual(queued[0], {
            version: 1,
            notificationId: `cart:${idle}:reminder`,
            template: "cart-reminder",
            channel: "email",
            to: `${idle.slice(0, 8)}@example.com`,
            data: { cartId: idle, items: [{ name: "Coffee mug", quantity: 2 }] },
        });
    });

    it("never reminds a cart twice, however often it runs", async function () {
        await addCart(90);
        await sweep().handle({});
        const again = await sweep().handle({});

        assert.deepStrictEqual(again, { claimed: 0, enqueued: 0 });
        assert.strictEqual((await queuedReminders()).length, 1);
    });

    it("gives each cart exactly one reminder when runs overlap", async function () {
        const carts = await Promise.all(Array.from({ length: 40 }, () => addCart(120)));

        // Four containers, each with its own connection, sweeping at the same moment.
        const results = await Promise.all([sweep(), sweep(), sweep(), sweep()].map((s) => s.handle({})));

        assert.strictEqual(
            results.reduce((sum, r) => sum + r.claimed, 0),
            40,
        );
        assert.strictEqual(
            results.reduce((sum, r) => sum + r.enqueued, 0),
            40,
        );
        const queued = await queuedReminders();
        assert.strictEqual(queued.length, 40);
        assert.deepStrictEqual(
            queued.map((n) => n.notificationId).sort(),
            carts.map((id) => `cart:${id}:reminder`).sort(),
        );
        const { rows } = await pool.query(
            "SELECT count(*)::int AS all, count(enqueued_at)::int AS sent FROM orders.cart_reminders",
        );
        assert.deepStrictEqual(rows[0], { all: 40, sent: 40 });
    });

    it("finishes the claims of a run that failed to enqueue, in the next run, once", async function () {
        await addCart(90);
        await addCart(90);
        const broken = sweep({ REMINDER_QUEUE_URL: `${reminders.url}-missing` });

        await assert.rejects(broken.handle({}), /queue does not exist/i);
        assert.strictEqual(
            (await pool.query("SELECT count(*)::int AS n FROM orders.cart_reminders WHERE enqueued_at IS NULL")).rows[0]
                .n,
            2,
        );

        const result = await sweep().handle({});

        assert.deepStrictEqual(result, { claimed: 0, enqueued: 2 });
        assert.strictEqual((await queuedReminders()).length, 2);
    });

    it("names every bad or missing variable of its environment", function () {
        assert.deepStrictEqual(
            configProblems(() =>
                readCartAbandonmentConfig({ DB_AUTH: "iam", CART_IDLE_MINUTES: "600", CART_MAX_AGE_HOURS: "2" }),
            ),
            [
                "DB_HOST is not set",
                "DB_NAME is not set",
                "AWS_REGION is not set: IAM database authentication signs for a region",
                "DB_USER is not set",
                "REMINDER_QUEUE_URL is not set",
                "CART_MAX_AGE_HOURS (2) must be longer than CART_IDLE_MINUTES (600 minutes)",
            ],
        );
    });
});
