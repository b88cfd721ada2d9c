// The test database: a fresh schema per suite (through the real migration runner), and the
// server itself stopped and started for the outage tests.
import { execFileSync } from "child_process";
import { Client, Pool } from "pg";
import { migrate } from "../../../../app/db/migrate";
import type { TestServices } from "./services";

export function adminPool(services: TestServices): Pool {
    const pool = new Pool({ ...services.pg, max: 4 });
    // Idle connections die when the outage tests kill the server; that is expected here.
    pool.on("error", () => undefined);
    return pool;
}

/** Drops everything the migrations created and applies them again. */
export async function freshSchema(services: TestServices): Promise<void> {
    const client = new Client(services.pg);
    await client.connect();
    try {
        await client.query(
            "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS payment_sandbox CASCADE; CREATE SCHEMA public",
        );
        await migrate(client);
    } finally {
        await client.end();
    }
}

export const ALL_TABLES =
    "order_lines, payments, orders, outbox, payment_sandbox.charges, cart_reminders, cart_items, carts, inventory";

function pgCtl(services: TestServices, ...args: string[]): void {
    const command = [`${services.pgControl.bin}/pg_ctl`, "-D", services.pgControl.data, ...args];
    const [file, ...rest] = services.pgControl.osUser
        ? ["runuser", "-u", services.pgControl.osUser, "--", ...command]
        : command;
    execFileSync(file, rest, { stdio: "ignore" });
}

/** Kills the server as a crash would (immediate shutdown: no checkpoint, clients cut off). */
export function killPostgres(services: TestServices): void {
    pgCtl(services, "stop", "-m", "immediate", "-w");
}

/** Starts it again (crash recovery replays the WAL) and waits until it accepts connections. */
export function startPostgres(services: TestServices): void {
    pgCtl(services, "start", "-w", "-t", "30", "-l", services.pgControl.log);
}
