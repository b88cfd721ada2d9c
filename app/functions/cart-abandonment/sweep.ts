// The abandoned-cart sweep, in two steps that make "one reminder per cart" hold even when runs
// overlap (a slow run and the next schedule, or a retried invocation):
//  1. claim: insert a cart_reminders row per idle cart; its primary key is the cart, so a cart
//     is claimed once, ever, whichever run gets there first;
//  2. send: lock unsent claims (FOR UPDATE SKIP LOCKED: a claim another run is sending is
//     skipped, not waited for), enqueue their reminders and mark them sent, then commit.
// A run that dies after claiming leaves unsent claims; the next run sends them.
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Database } from "../shared/db";
import type { Notification } from "../shared/notifications";

export interface SweepSettings {
    reminderQueueUrl: string;
    idleMinutes: number;
    /** Older carts are left alone: a reminder weeks later helps nobody (and a first run must not flood). */
    maxAgeHours: number;
    maxPerRun: number;
}

export interface SweepResult {
    claimed: number;
    enqueued: number;
}

const SQS_BATCH = 10;

export async function sweepAbandonedCarts(db: Database, sqs: SQSClient, settings: SweepSettings): Promise<SweepResult> {
    const claimed = await db.query(
        `INSERT INTO orders.cart_reminders (cart_id, idle_since)
         SELECT c.cart_id, c.updated_at FROM orders.carts c
         WHERE c.status = 'open' AND c.customer_email IS NOT NULL
           AND c.updated_at < now() - make_interval(mins => $1)
           AND c.updated_at > now() - make_interval(hours => $2)
           AND EXISTS (SELECT 1 FROM orders.cart_items i WHERE i.cart_id = c.cart_id)
           AND NOT EXISTS (SELECT 1 FROM orders.cart_reminders r WHERE r.cart_id = c.cart_id)
         ORDER BY c.updated_at
         LIMIT $3
         ON CONFLICT (cart_id) DO NOTHING
         RETURNING cart_id`,
        [settings.idleMinutes, settings.maxAgeHours, settings.maxPerRun],
    );

    const enqueued = await db.transaction(async (sql) => {
        const { rows: pending } = await sql.query<{ cart_id: string; customer_email: string }>(
            `SELECT r.cart_id, c.customer_email FROM orders.cart_reminders r JOIN orders.carts c USING (cart_id)
             WHERE r.enqueued_at IS NULL AND c.status = 'open'
             ORDER BY r.claimed_at LIMIT $1
             FOR UPDATE OF r SKIP LOCKED`,
            [settings.maxPerRun],
        );
        if (pending.length === 0) return 0;
        const { rows: items } = await sql.query<{ cart_id: string; name: string; quantity: number }>(
            `SELECT i.cart_id, s.name, i.quantity FROM orders.cart_items i JOIN catalog.skus s USING (sku)
             WHERE i.cart_id = ANY($1) ORDER BY s.name`,
            [pending.map((cart) => cart.cart_id)],
        );
        const sent: string[] = [];
        for (let start = 0; start < pending.length; start += SQS_BATCH) {
            const batch = pending.slice(start, start + SQS_BATCH);
            const { Successful = [] } = await sqs.send(
                new SendMessageBatchCommand({
                    QueueUrl: settings.reminderQueueUrl,
                    Entries: batch.map((cart, i) => ({
                        Id: String(i),
                        MessageBody: JSON.stringify(reminder(cart, items)),
                    })),
                }),
            );
            // Entries SQS did not take stay unsent for the next run.
            sent.push(...Successful.map((entry) => batch[Number(entry.Id)].cart_id));
        }
        await sql.query("UPDATE orders.cart_reminders SET enqueued_at = now() WHERE cart_id = ANY($1)", [sent]);
        return sent.length;
    });
    return { claimed: claimed.length, enqueued };
}

function reminder(
    cart: { cart_id: string; customer_email: string },
    items: { cart_id: string; name: string; quantity: number }[],
): Notification {
    return {
        version: 1,
        notificationId: `cart:${cart.cart_id}:reminder`,
        template: "cart-reminder",
        channel: "email",
        to: cart.customer_email,
        data: {
            cartId: cart.cart_id,
            items: items
                .filter((item) => item.cart_id === cart.cart_id)
                .map(({ name, quantity }) => ({ name, quantity })),
        },
    };
}
