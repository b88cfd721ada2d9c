import * as assert from "assert";
import { readFileSync } from "fs";
import Redis from "ioredis";
import { ValkeyCache, type CacheRead } from "../../../../app/services/kit/cache";
import { etagOf } from "../../../../app/services/kit/conditional";
import type { CacheSettings } from "../../../../app/services/kit/settings";
import { testCache, type TestCache } from "../support/cache-server";

describe("service kit: the Valkey cache (redis-server with TLS and AUTH)", function () {
    let server: TestCache;
    let caches: ValkeyCache[] = [];
    let namespace: string;

    const settings = (overrides: Partial<CacheSettings> = {}): CacheSettings => ({
        host: server.host,
        readerHost: server.host,
        port: server.port,
        tls: true,
        caFile: server.caFile,
        authToken: server.password,
        commandTimeoutMs: 250,
        ...overrides,
    });
    /** A task's cache: several of them share the server, as the service's tasks do. */
    const cache = async (overrides: Partial<CacheSettings> = {}) => {
        const created = new ValkeyCache(settings(overrides), { namespace, onError: () => undefined, downForMs: 200 });
        caches.push(created);
        await created.connect(2000);
        return created;
    };
    /** What a read gave, without its ETag (checked once below). */
    const got = async (read: Promise<CacheRead>) => {
        const { value, source } = await read;
        return { value, source };
    };
    const slowLoad =
        (value: string, counter: { loads: number }, ms = 100) =>
        async () => {
            counter.loads++;
            await new Promise((resolve) => setTimeout(resolve, ms));
            return value;
        };

    before(function () {
        server = testCache();
    });

    beforeEach(function () {
        namespace = `kit-test-${Date.now()}-${Math.random()}:`;
    });

    afterEach(async function () {
        await Promise.all(caches.map((c) => c.close()));
        caches = [];
    });

    it("misses, stores, then hits with the stored bytes and their ETag", async function () {
        const c = await cache();
        assert.strictEqual((await c.fetch("e", ["t"], 60, async () => "x")).etag, etagOf("x"));
        assert.deepStrictEqual(await c.fetch("e", ["t"], 60, async () => "y"), {
            value: "x",
            etag: etagOf("x"),
            source: "hit",
        });
        const counter = { loads: 0 };
        assert.deepStrictEqual(await got(c.fetch("k", ["t"], 60, slowLoad('{"a":1}', counter))), {
            value: '{"a":1}',
            source: "miss",
        });
        assert.deepStrictEqual(await got(c.fetch("k", ["t"], 60, slowLoad("other", counter))), {
            value: '{"a":1}',
            source: "hit",
        });
        assert.strictEqual(counter.loads, 1);
    });

    it("loads a hot key once when many requests of several tasks miss it together (stampede)", async function () {
        const tasks = [await cache(), await cache(), await cache()];
        const counter = { loads: 0 };
        const reads = await Promise.all(
            tasks.flatMap((task) =>
                Array.from({ length: 20 }, () => task.fetch("hot", ["t"], 60, slowLoad("v", counter))),
            ),
        );
        assert.strictEqual(counter.loads, 1);
        assert.ok(reads.every((read) => read.value === "v"));
    });

    it("never serves a value loaded before a write that invalidated it, even if it is stored after", async function () {
        const [reader, writer] = [await cache(), await cache()];
        const counter = { loads: 0 };
        const slow = reader.fetch("p", ["product:1"], 60, slowLoad("old", counter, 200));
        await new Promise((resolve) => setTimeout(resolve, 50));
        await writer.invalidate(["product:1"]); // the write committed while the read was loading
        assert.strictEqual((await slow).value, "old");
        assert.deepStrictEqual(await got(reader.fetch("p", ["product:1"], 60, slowLoad("new", counter))), {
            value: "new",
            source: "miss",
        });
        // Other tags are untouched.
        await reader.fetch("q", ["product:2"], 60, slowLoad("two", counter));
        await writer.invalidate(["product:1"]);
        assert.strictEqual((await reader.fetch("q", ["product:2"], 60, slowLoad("x", counter))).source, "hit");
    });

    it("treats a flushed or restarted cache (tags gone) as empty, not as fresh", async function () {
        const c = await cache();
        const counter = { loads: 0 };
        await c.fetch("k", ["t"], 60, slowLoad("v1", counter));
        const operator = new Redis({
            host: server.host,
            port: server.port,
            password: server.password,
            tls: { ca: readFileSync(server.caFile) },
        });
        try {
            const tagKeys = await operator.keys(`${namespace}tag:*`);
            await operator.del(...tagKeys);
        } finally {
            await operator.quit();
        }
        assert.deepStrictEqual(await got(c.fetch("k", ["t"], 60, slowLoad("v2", counter))), {
            value: "v2",
            source: "miss",
        });
    });

    it("bypasses a cache it cannot use (wrong password, no TLS) instead of failing", async function () {
        for (const broken of [
            await cache({ authToken: "wrong-password" }),
            await cache({ tls: false, caFile: undefined }),
        ]) {
            const counter = { loads: 0 };
            assert.deepStrictEqual(await got(broken.fetch("k", ["t"], 60, slowLoad("v", counter, 1))), {
                value: "v",
                source: "bypass",
            });
            assert.strictEqual(broken.state(), "down");
            await broken.invalidate(["t"]); // never throws
        }
    });
});
