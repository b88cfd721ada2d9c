// Places one order, idempotently by order id, in one PostgreSQL transaction: lock the order id,
// return early if the order exists, lock and check its stock, charge (idempotency key = the
// order id), reserve the stock, write the order, its lines and its payment, and the outbox
// messages. A crash anywhere before COMMIT leaves no order and no reservation; the provider keeps
// the charge under the key, so the redelivery gets the same charge back instead of a second one.
import type { Database, Sql } from "../shared/db";
import type { Notification, RejectionReason } from "../shared/notifications";
import type { OrderMessage } from "./order-message";
import { addToOutbox } from "./outbox";
import type { PaymentProvider } from "./payments";

export type PlaceOutcome =
    | { status: "confirmed"; chargeId: string }
    | { status: "rejected"; reason: RejectionReason }
    | { status: "duplicate" };

interface StockRow {
    sku: string;
    name: string;
    /** The SKU's price in the order's currency; null when it is not sold in it. */
    price_minor: string | null;
    available: number;
    low_stock_threshold: number;
}

export const outboxPrefix = (orderId: string): string => `order:${orderId}:`;

export class OrderBook {
    constructor(
        private readonly db: Database,
        private readonly payments: PaymentProvider,
        private readonly lowStockAlertEmail: string,
    ) {}

    place(order: OrderMessage): Promise<PlaceOutcome> {
        return this.db.transaction(async (sql) => {
            // Two deliveries of one order at once (SQS standard queues allow it) run one after the other.
            await sql.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [order.orderId]);
            const { rowCount } = await sql.query("SELECT 1 FROM orders.orders WHERE order_id = $1", [order.orderId]);
            if (rowCount) return { status: "duplicate" };

            // The catalogue's SKUs still on sale, with their price in the order's currency (the
            // price the catalogue shows), stock locked in SKU order so that concurrent orders
            // sharing SKUs cannot deadlock.
            const { rows: stock } = await sql.query<StockRow>(
                `SELECT st.sku, s.name, pr.amount_minor AS price_minor,
                        st.on_hand - st.reserved AS available, st.low_stock_threshold
                 FROM catalog.stock st
                 JOIN catalog.skus s ON s.sku = st.sku AND s.status = 'active'
                 JOIN catalog.products p ON p.product_id = s.product_id AND p.status = 'active'
                 LEFT JOIN catalog.prices pr ON pr.sku = st.sku AND pr.currency = $2
                 WHERE st.sku = ANY($1) ORDER BY st.sku FOR UPDATE OF st`,
                [order.lines.map((line) => line.sku), order.currency],
            );
            const bySku = new Map(stock.map((row) => [row.sku, row]));
            const problem = stockProblem(order, bySku);
            if (problem) {
                // An earlier attempt may have charged before this stock ran out: give it back.
                await this.payments.refundByKey(idempotencyKey(order));
                return this.reject(sql, order, problem);
            }

            const currency = order.currency;
            const lines = order.lines.map((line) => {
                const row = bySku.get(line.sku)!;
                return { ...line, name: row.name, unitPriceMinor: Number(row.price_minor) };
            });
            const totalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
            const charge = await this.payments.charge({
                idempotencyKey: idempotencyKey(order),
                amountMinor: totalMinor,
                currency,
                customerRef: order.customer.id,
                paymentToken: order.payment.token,
            });
            if (charge.status === "declined") return this.reject(sql, order, "payment_declined");

            await sql.query(
                `UPDATE catalog.stock AS i SET reserved = i.reserved + l.quantity, updated_at = now()
                 FROM unnest($1::text[], $2::int[]) AS l(sku, quantity) WHERE i.sku = l.sku`,
                [lines.map((line) => line.sku), lines.map((line) => line.quantity)],
            );
            await this.insertOrder(sql, order, "confirmed", null, { currency, totalMinor });
            await sql.query(
                `INSERT INTO orders.order_lines (order_id, line_no, sku, quantity, unit_price_minor)
                 SELECT $1, n, sku, quantity, price FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS l(sku, quantity, price, n)`,
                [
                    order.orderId,
                    lines.map((line) => line.sku),
                    lines.map((line) => line.quantity),
                    lines.map((line) => line.unitPriceMinor),
                ],
            );
            await sql.query(
                "INSERT INTO payments.charges (order_id, provider, charge_id, idempotency_key, amount_minor, currency) VALUES ($1, $2, $3, $4, $5, $6)",
                [order.orderId, this.payments.name, charge.chargeId, idempotencyKey(order), totalMinor, currency],
            );
            if (order.cartId) {
                await sql.query(
                    "UPDATE orders.carts SET status = 'ordered', updated_at = now() WHERE cart_id = $1 AND status = 'open'",
                    [order.cartId],
                );
            }

            await this.notifyCustomer(sql, order, "confirmation", {
                template: "order-confirmation",
                data: { orderId: order.orderId, lines, totalMinor, currency },
            });
            for (const line of lines) {
                const row = bySku.get(line.sku)!;
                const after = row.available - line.quantity;
                if (row.available > row.low_stock_threshold && after <= row.low_stock_threshold) {
                    const alert: Notification = {
                        version: 1,
                        notificationId: `${outboxPrefix(order.orderId)}low-stock:${line.sku}`,
                        template: "low-stock",
                        channel: "email",
                        to: this.lowStockAlertEmail,
                        data: { sku: line.sku, name: row.name, available: after, threshold: row.low_stock_threshold },
                    };
                    await addToOutbox(sql, alert.notificationId, "notifications", alert);
                }
            }
            return { status: "confirmed", chargeId: charge.chargeId };
        });
    }

    private async reject(sql: Sql, order: OrderMessage, reason: RejectionReason): Promise<PlaceOutcome> {
        await this.insertOrder(sql, order, "rejected", reason, null);
        await this.notifyCustomer(sql, order, "rejection", {
            template: "order-rejected",
            data: { orderId: order.orderId, reason },
        });
        return { status: "rejected", reason };
    }

    private async insertOrder(
        sql: Sql,
        order: OrderMessage,
        status: "confirmed" | "rejected",
        reason: RejectionReason | null,
        money: { currency: string; totalMinor: number } | null,
    ): Promise<void> {
        await sql.query(
            `INSERT INTO orders.orders (order_id, customer_id, customer_email, customer_phone, status, rejection_reason, currency, total_minor, cart_id, placed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [
                order.orderId,
                order.customer.id,
                order.customer.email,
                order.customer.phone ?? null,
                status,
                reason,
                money?.currency ?? null,
                money?.totalMinor ?? null,
                order.cartId ?? null,
                order.placedAt,
            ],
        );
    }

    private async notifyCustomer(
        sql: Sql,
        order: OrderMessage,
        kind: string,
        content:
            | Pick<Extract<Notification, { template: "order-confirmation" }>, "template" | "data">
            | Pick<Extract<Notification, { template: "order-rejected" }>, "template" | "data">,
    ): Promise<void> {
        const sms = order.customer.notify === "sms" && order.customer.phone;
        const notificationId = `${outboxPrefix(order.orderId)}${kind}`;
        const message = {
            version: 1,
            notificationId,
            channel: sms ? "sms" : "email",
            to: sms ? order.customer.phone : order.customer.email,
            ...content,
        } as Notification;
        await addToOutbox(sql, notificationId, "notifications", message);
    }
}

const idempotencyKey = (order: OrderMessage): string => `order:${order.orderId}`;

function stockProblem(order: OrderMessage, bySku: Map<string, StockRow>): RejectionReason | undefined {
    if (order.lines.some((line) => !bySku.has(line.sku))) return "unknown_product";
    if ([...bySku.values()].some((row) => row.price_minor === null)) return "not_sold_in_currency";
    if (order.lines.some((line) => bySku.get(line.sku)!.available < line.quantity)) return "out_of_stock";
    return undefined;
}
