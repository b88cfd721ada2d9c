// Transactional outbox: a message is written in the transaction that decides it and sent after
// that transaction commits. A crash between the two leaves it unsent, and the next delivery of
// the same order sends it; the dedupe key stops a redelivery from writing it twice.
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Database, Sql } from "../shared/db";

export type Destination = "notifications";

export async function addToOutbox(sql: Sql, dedupeKey: string, destination: Destination, body: unknown): Promise<void> {
    await sql.query(
        "INSERT INTO orders.outbox (dedupe_key, destination, body) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING",
        [dedupeKey, destination, JSON.stringify(body)],
    );
}

export class OutboxSender {
    constructor(
        private readonly db: Database,
        private readonly sqs: SQSClient,
        private readonly queueUrls: Record<Destination, string>,
    ) {}

    /**
     * Sends every unsent message whose dedupe key starts with `prefix`; returns how many. The rows
     * stay locked while they are sent, so two containers flushing the same order (a duplicate
     * delivery) do not both send them.
     */
    flush(prefix: string): Promise<number> {
        return this.db.transaction(async (sql) => {
            const { rows } = await sql.query<{ id: string; destination: Destination; body: unknown }>(
                `SELECT id, destination, body FROM orders.outbox WHERE sent_at IS NULL AND starts_with(dedupe_key, $1)
                 ORDER BY id FOR UPDATE SKIP LOCKED`,
                [prefix],
            );
            for (const message of rows) {
                await this.sqs.send(
                    new SendMessageCommand({
                        QueueUrl: this.queueUrls[message.destination],
                        MessageBody: JSON.stringify(message.body),
                    }),
                );
                await sql.query("UPDATE orders.outbox SET sent_at = now() WHERE id = $1", [message.id]);
            }
            return rows.length;
        });
    }
}
