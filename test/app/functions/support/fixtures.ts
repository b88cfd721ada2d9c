// Test data and small helpers shared by the function tests.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import * as assert from "assert";
import { Console } from "console";
import { randomUUID } from "crypto";
import { Writable } from "stream";
import type { Pool } from "pg";
import { ConfigurationError } from "../../../../app/shared/env";
import type { Observability } from "../../../../app/functions/shared/observability";

/** One product per SKU in a test category, priced in `currency` (ZAR) only, with stock. */
export async function seedCatalog(
    pool: Pool,
    items: { sku: string; name?: string; priceMinor?: number; currency?: string; onHand: number; threshold?: number }[],
): Promise<void> {
    await pool.query(
        "INSERT INTO catalog.categories (category_id, name) VALUES ('test', 'Test') ON CONFLICT DO NOTHING",
    );
    for (const item of items) {
        const name = item.name ?? `Product ${item.sku}`;
        await pool.query(
            `WITH product AS (
                INSERT INTO catalog.products (slug, title, brand, category_id) VALUES (lower($1), $2, 'Test', 'test') RETURNING product_id
             ), sku AS (
                INSERT INTO catalog.skus (sku, product_id, name) SELECT $1, product_id, $2 FROM product RETURNING sku
             ), price AS (
                INSERT INTO catalog.prices (sku, currency, amount_minor) SELECT sku, $3, $4 FROM sku
             )
             INSERT INTO catalog.stock (sku, on_hand, low_stock_threshold) SELECT sku, $5, $6 FROM sku`,
            [item.sku, name, item.currency ?? "ZAR", item.priceMinor ?? 10000, item.onHand, item.threshold ?? 2],
        );
    }
}

export function orderMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        version: 1,
        orderId: randomUUID(),
        placedAt: new Date().toISOString(),
        currency: "ZAR",
        customer: { id: "cust-1", email: "thandi@example.co.za" },
        lines: [{ sku: "TSHIRT-M", quantity: 1 }],
        payment: { token: "tok_sandbox_visa" },
        ...overrides,
    };
}

/** Powertools logging at `level`, captured instead of printed; the lines are parsed JSON. */
export function capturedObservability(serviceName: string): Observability & { lines: Record<string, unknown>[] } {
    const lines: Record<string, unknown>[] = [];
    const logger = new Logger({ serviceName, logLevel: "WARN" });
    // The logger writes through its own Console on process.stdout; collect what it writes.
    const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
            lines.push(JSON.parse(chunk.toString("utf8")));
            done();
        },
    });
    (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
    return { logger, metrics: new Metrics({ serviceName, namespace: "ShopTest" }), lines };
}

/** Asserts that `actual` has every property of `expected` with a deeply equal value. */
export function assertIncludes(actual: unknown, expected: Record<string, unknown>): void {
    assert.ok(actual !== null && typeof actual === "object", `expected an object, got ${String(actual)}`);
    const picked = Object.fromEntries(
        Object.keys(expected).map((key) => [key, (actual as Record<string, unknown>)[key]]),
    );
    assert.deepStrictEqual(picked, expected);
}

/** The problems a configuration reader reports (it must throw a ConfigurationError). */
export function configProblems(read: () => unknown): string[] {
    try {
        read();
    } catch (error) {
        assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
        return error.problems;
    }
    assert.fail("the configuration was accepted");
}
