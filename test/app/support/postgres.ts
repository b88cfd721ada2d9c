// The test database: a fresh schema per suite (through the real migration runner, which also
// gives the application roles their local password), and the server itself stopped and started
// for the outage tests.
import { execFileSync } from "child_process";
import { Client, Pool } from "pg";
import { migrate, type RoleLogin } from "../../../app/db/migrate";
import { APPLICATION_SCHEMAS } from "../../../app/db/roles";
import type { TestServices } from "./services";

/** The password every application role gets in the tests (DB_ROLE_PASSWORD locally). */
export const ROLE_PASSWORD = "test-role-password-0123456789";
export const ROLE_LOGIN: RoleLogin = { kind: "password", password: ROLE_PASSWORD };

/** A pool as the master user: the tests' own view of the data. */
export function adminPool(services: TestServices): Pool {
    const pool = new Pool({ ...services.pg, max: 4 });
    // Idle connections die when the outage tests kill the server; that is expected here.
    pool.on("error", () => undefined);
    return pool;
}

/** Drops everything the migrations created (the roles stay: they belong to the cluster). */
export async function dropSchema(client: Pick<Client, "query">): Promise<void> {
    await client.query(
        `DROP SCHEMA IF EXISTS ${APPLICATION_SCHEMAS.join(", ")} CASCADE; DROP TABLE IF EXISTS public.schema_migrations`,
    );
}

/** Drops everything the migrations created and applies them again. */
export async function freshSchema(services: TestServices): Promise<void> {
    const client = new Client(services.pg);
    await client.connect();
    try {
        await dropSchema(client);
        await migrate(client, ROLE_LOGIN);
    } finally {
        await client.end();
    }
}

/** The DB_* variables of a program that logs in as `role` (a service's or a function's). */
export function roleEnv(services: TestServices, role: string): Record<string, string> {
    return {
        DB_HOST: services.pg.host,
        DB_PORT: String(services.pg.port),
        DB_NAME: services.pg.database,
        DB_AUTH: "password",
        DB_USER: role,
        DB_PASSWORD: ROLE_PASSWORD,
        DB_SSL_MODE: "disable",
    };
}

export const ALL_TABLES = [
    "orders.order_lines",
    "payments.charges",
    "orders.orders",
    "orders.outbox",
    "payment_sandbox.charges",
    "orders.cart_reminders",
    "orders.cart_items",
    "orders.carts",
    "users.addresses",
    "users.profiles",
    "catalog.stock",
    "catalog.prices",
    "catalog.product_images",
    "catalog.skus",
    "catalog.products",
    "catalog.categories",
].join(", ");

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
