// The catalogue's read path under load (autocannon, loopback, bounded in time), measured against
// floors taken in the same run on the same machine:
//   (a) a minimal fastify route answering the same bytes from Valkey: the floor of (b);
//   (b) the catalogue's product read with a warm cache: target ≥ 0.7 × (a), p99 under 20 ms;
//   (c) the product read with the cache off, against a minimal fastify + pg primary-key read:
//       target ≥ 0.7 × that floor;
//   (d) a search query (full text and trigrams, cache off: PostgreSQL does the work).
// Each figure and its floor are measured in alternating rounds and compared by their medians, so
// that a burst of load from elsewhere on the machine hits both alike.
// Needs PostgreSQL and redis-server: run through test/with-services.sh (`npm run bench` does).
// BENCH_SECONDS sets each run's length (5 s), BENCH_ROUNDS the rounds per pair (3).
import autocannon from "autocannon";
import { spawn } from "child_process";
import { Client } from "pg";
import { SERVICE_ROLES } from "../../app/db/roles";
import { NoCache } from "../../app/services/kit/cache";
import { Postgres } from "../../app/services/kit/postgres";
import { readDatabaseSettings } from "../../app/db/connection";
import { CatalogAdmin } from "../../app/services/catalog/admin";
import { seedCatalogue } from "../../app/services/catalog/seed";
import { EnvReader } from "../../app/shared/env";
import { freshSchema, roleEnv } from "../app/support/postgres";
import { testServices } from "../app/support/services";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const TARGETS = { cachedVsValkey: 0.7, uncachedVsDatabase: 0.7, cachedP99Ms: 20 };

interface Figures {
    requestsPerSecond: number;
    p99Ms: number;
}

async function load(url: string, seconds: number): Promise<Figures> {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
    if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/** Alternating rounds of each target; each figure is the median of its rounds. */
async function compare(targets: Record<string, string>): Promise<Record<string, Figures>> {
    for (const url of Object.values(targets)) await load(url, 2); // warm-up
    const rounds: Record<string, Figures[]> = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++)
        for (const [name, url] of Object.entries(targets)) rounds[name].push(await load(url, SECONDS));
    return Object.fromEntries(
        Object.entries(rounds).map(([name, figures]) => [
            name,
            {
                requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
                p99Ms: median(figures.map((f) => f.p99Ms)),
            },
        ]),
    );
}

async function main(): Promise<void> {
    const services = testServices();
    await freshSchema(services);
    const settings = readDatabaseSettings(new EnvReader(roleEnv(services, SERVICE_ROLES.catalog)), {
        auth: ["password"],
        maxConnections: 4,
    });
    const db = await Postgres.connect(settings, { applicationName: "bench-seed", onConnectionError: () => undefined });
    const seeded = await seedCatalogue(new CatalogAdmin(db, new NoCache()));
    await db.end();
    const admin = new Client(services.pg);
    await admin.connect();
    const { rows } = await admin.query("SELECT product_id FROM catalog.products ORDER BY slug LIMIT 1 OFFSET 100");
    await admin.query("ANALYZE");
    await admin.end();
    const productId = rows[0].product_id as string;

    const servers = spawn(
        process.execPath,
        ["--require", "./infra/offline/ts-loader.js", "test/bench/catalog-servers.ts", productId],
        {
            stdio: ["ignore", "pipe", "inherit"],
        },
    );
    const ports = await new Promise<Record<string, number>>((resolve, reject) => {
        servers.stdout.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
        servers.once("exit", (code) => reject(new Error(`the benchmark's servers exited ${code}`)));
    });
    const url = (server: string, path: string) => `http://127.0.0.1:${ports[server]}${path}`;
    let figures: Record<string, Figures>;
    try {
        console.log(
            `catalogue read path: ${seeded.productsAdded} products, ${CONNECTIONS} connections, ` +
                `${ROUNDS} alternating rounds of ${SECONDS} s per figure (medians)`,
        );
        figures = {
            ...(await compare({
                "(a) Valkey bytes, minimal fastify": url("minimalCache", "/product"),
                "(b) catalogue product, warm cache": url("cached", `/catalog/products/${productId}`),
            })),
            ...(await compare({
                "floor of (c): pg primary key, minimal fastify": url("minimalDatabase", "/product"),
                "(c) catalogue product, cache off": url("uncached", `/catalog/products/${productId}`),
            })),
            ...(await compare({
                "(d) search 'kettle', cache off": url("uncached", "/catalog/products?currency=ZAR&q=kettle"),
            })),
        };
    } finally {
        servers.kill("SIGTERM");
    }
    for (const [name, figure] of Object.entries(figures))
        console.log(
            `${name.padEnd(48)} ${figure.requestsPerSecond.toFixed(0).padStart(7)} req/s   p99 ${figure.p99Ms} ms`,
        );

    const [a, b, floor, c] = Object.values(figures);
    const cachedRatio = b.requestsPerSecond / a.requestsPerSecond;
    const uncachedRatio = c.requestsPerSecond / floor.requestsPerSecond;
    console.log(`ratio (b)/(a): ${cachedRatio.toFixed(2)} (target: at least ${TARGETS.cachedVsValkey})`);
    console.log(`ratio (c)/floor: ${uncachedRatio.toFixed(2)} (target: at least ${TARGETS.uncachedVsDatabase})`);
    console.log(`p99 of (b): ${b.p99Ms} ms (target: under ${TARGETS.cachedP99Ms} ms)`);
    const failures = [
        cachedRatio < TARGETS.cachedVsValkey && "(b) is below 0.7 x (a)",
        uncachedRatio < TARGETS.uncachedVsDatabase && "(c) is below 0.7 x its floor",
        b.p99Ms >= TARGETS.cachedP99Ms && "the p99 of (b) is not under 20 ms",
    ].filter(Boolean);
    for (const failure of failures) console.error(`FAIL: ${failure}`);
    if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
    console.error(error);
    process.exitCode = 1;
});
