// Cache-aside on Valkey (ElastiCache; redis-server in the tests), shared by the services.
//  - Freshness by generations: a cached value is stamped with the current token of each tag it
//    depends on (e.g. "product:<id>", "listings"). A write commits to PostgreSQL, then replaces
//    those tokens, so every value read before it is stale at once, on every task, including one
//    a slow reader stores after the write (it carries the old token): no window where an
//    invalidation is lost to a race. A hit is one MGET (the tags' tokens and the value).
//  - A TTL on every value is the backstop (stock changed by the order pipeline, a lost invalidation).
//  - Stampedes: concurrent misses of one key in a task share one load; across tasks, the first to
//    take a short lock loads while the others poll the key briefly, then load without storing.
//  - Degradation: the cache is an optimisation. Commands time out quickly, an error marks the
//    cache down for a few seconds (every read goes to PostgreSQL meanwhile), and invalidations
//    that could not be sent are retried before the cache is used again.
// Reads may go to the reader endpoint (a replica); writes go to the primary.
import { randomBytes } from "crypto";
import { readFileSync } from "fs";
import Redis from "ioredis";
import { isIP } from "net";
import { etagOf } from "./conditional";
import type { CacheSettings } from "./settings";

export interface CacheRead {
    value: string;
    /** The value's strong ETag, stored with it: a hit hashes nothing. */
    etag: string;
    /** "hit": served from the cache; "miss": loaded (and stored); "bypass": loaded, the cache down or busy. */
    source: "hit" | "miss" | "bypass";
}

export interface Cache {
    /** The value of `key`, fresh for every tag; loaded (and stored for `ttlSeconds`) otherwise. */
    fetch(key: string, tags: readonly string[], ttlSeconds: number, load: () => Promise<string>): Promise<CacheRead>;
    /** Makes every value stamped with these tags stale; call after the write has committed. */
    invalidate(tags: readonly string[]): Promise<void>;
    /** Waits (at most `timeoutMs`) for the connection at start-up; a cache still down is no reason not to start. */
    connect(timeoutMs: number): Promise<void>;
    /** "up" unless the last command failed within the down period. */
    state(): "up" | "down";
    close(): Promise<void>;
}

export interface ValkeyCacheOptions {
    /** Prefixes every key, e.g. "catalog:". */
    namespace: string;
    onError: (error: Error) => void;
    /** How long an error keeps the cache out of the path. */
    downForMs?: number;
    /** How long a concurrent miss waits for another task's load before loading itself. */
    lockWaitMs?: number;
}

/** The cache's own failures, never thrown to callers. */
class CacheDown extends Error {}

export class ValkeyCache implements Cache {
    private readonly primary: Redis;
    private readonly replica: Redis;
    private readonly loading = new Map<string, Promise<CacheRead>>();
    private readonly pendingInvalidations = new Set<string>();
    private downUntil = 0;
    private readonly downForMs: number;
    private readonly lockWaitMs: number;

    constructor(
        settings: CacheSettings,
        private readonly options: ValkeyCacheOptions,
    ) {
        this.downForMs = options.downForMs ?? 5000;
        this.lockWaitMs = options.lockWaitMs ?? 300;
        const client = (host: string) => {
            const redis = new Redis({
                host,
                port: settings.port,
                password: settings.authToken,
                tls: settings.tls
                    ? {
                          // SNI names a host, never an address (a local server on 127.0.0.1).
                          ...(isIP(host) ? {} : { servername: host }),
                          ...(settings.caFile ? { ca: readFileSync(settings.caFile, "utf8") } : {}),
                      }
                    : undefined,
                // Fail fast instead of queueing while disconnected: PostgreSQL answers meanwhile.
                enableOfflineQueue: false,
                maxRetriesPerRequest: 0,
                commandTimeout: settings.commandTimeoutMs,
                connectTimeout: 2000,
                // Reconnect in the background, backing off to a try every 2 s.
                retryStrategy: (times) => Math.min(times * 100, 2000),
            });
            redis.on("error", (error: Error) => this.options.onError(error));
            return redis;
        };
        this.primary = client(settings.host);
        this.replica = settings.readerHost === settings.host ? this.primary : client(settings.readerHost);
    }

    async connect(timeoutMs: number): Promise<void> {
        const clients = this.replica === this.primary ? [this.primary] : [this.primary, this.replica];
        const ready = (client: Redis) =>
            client.status === "ready"
                ? Promise.resolve()
                : new Promise<void>((resolve) => client.once("ready", () => resolve()));
        await Promise.race([
            Promise.all(clients.map(ready)),
            new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]);
    }

    state(): "up" | "down" {
        return Date.now() < this.downUntil ? "down" : "up";
    }

    async fetch(
        key: string,
        tags: readonly string[],
        ttlSeconds: number,
        load: () => Promise<string>,
    ): Promise<CacheRead> {
        // The hot path (up, nothing pending) goes straight to the lookup.
        if ((this.downUntil > 0 || this.pendingInvalidations.size > 0) && !(await this.usable()))
            return loaded(await load(), "bypass");
        let found: { tokens: (string | null)[]; value?: string; etag?: string };
        try {
            found = await this.lookup(key, tags);
        } catch {
            return loaded(await load(), "bypass");
        }
        if (found.value !== undefined) return { value: found.value, etag: found.etag!, source: "hit" };

        // One load per key in this task, however many requests missed it together.
        const shared = this.loading.get(key);
        if (shared) return shared;
        const loading = this.loadAndStore(key, tags, ttlSeconds, found.tokens, load).finally(() =>
            this.loading.delete(key),
        );
        this.loading.set(key, loading);
        return loading;
    }

    async invalidate(tags: readonly string[]): Promise<void> {
        for (const tag of tags) this.pendingInvalidations.add(tag);
        await this.flushInvalidations().catch(() => undefined);
    }

    async close(): Promise<void> {
        const clients = this.replica === this.primary ? [this.primary] : [this.primary, this.replica];
        await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    }

    /** The cache may be used: not marked down, and no invalidation it has not received yet. */
    private async usable(): Promise<boolean> {
        if (this.state() === "down") return false;
        this.downUntil = 0;
        if (this.pendingInvalidations.size === 0) return true;
        return this.flushInvalidations().then(
            () => true,
            () => false,
        );
    }

    private async flushInvalidations(): Promise<void> {
        const tags = [...this.pendingInvalidations];
        if (tags.length === 0) return;
        const pairs = tags.flatMap((tag) => [this.tagKey(tag), newToken()]);
        await this.guard(this.primary.mset(...pairs));
        for (const tag of tags) this.pendingInvalidations.delete(tag);
    }

    /** The tags' current tokens, and the value (and its ETag) if it was stored under exactly those. */
    private async lookup(
        key: string,
        tags: readonly string[],
    ): Promise<{ tokens: (string | null)[]; value?: string; etag?: string }> {
        const found = await this.guard(this.replica.mget(...tags.map((tag) => this.tagKey(tag)), this.valueKey(key)));
        const tokens = found.slice(0, tags.length);
        const entry = found[tags.length];
        if (entry === null || tokens.includes(null)) return { tokens };
        // "<tokens>\n<etag>\n<value>"
        const first = entry.indexOf("\n");
        if (entry.slice(0, first) !== tokens.join(",")) return { tokens };
        const second = entry.indexOf("\n", first + 1);
        return { tokens, etag: entry.slice(first + 1, second), value: entry.slice(second + 1) };
    }

    private async loadAndStore(
        key: string,
        tags: readonly string[],
        ttlSeconds: number,
        tokens: (string | null)[],
        load: () => Promise<string>,
    ): Promise<CacheRead> {
        let stamp: string[];
        try {
            stamp = await this.currentTokens(tags, tokens);
            const locked = await this.guard(this.primary.set(this.lockKey(key), "1", "PX", 2000, "NX"));
            if (!locked) {
                const other = await this.awaitOtherLoad(key, tags);
                return other ?? loaded(await load(), "bypass");
            }
        } catch {
            return loaded(await load(), "bypass");
        }
        // Loaded after the tokens were read: a write committed meanwhile replaces them, so what
        // is stored here is stale at once rather than served until the TTL.
        let value: string;
        try {
            value = await load();
        } catch (error) {
            await this.guard(this.primary.del(this.lockKey(key))).catch(() => undefined);
            throw error;
        }
        const read = loaded(value, "miss");
        // Stored and the lock released in one round trip: the next miss of this key loads at once.
        await this.guard(
            this.primary
                .multi()
                .set(this.valueKey(key), `${stamp.join(",")}\n${read.etag}\n${value}`, "EX", ttlSeconds)
                .del(this.lockKey(key))
                .exec(),
        ).catch(() => undefined);
        return read;
    }

    /** Tags without a token (first use, or the cache restarted) get one; whoever sets it first wins. */
    private async currentTokens(tags: readonly string[], tokens: (string | null)[]): Promise<string[]> {
        if (!tokens.includes(null)) return tokens as string[];
        await Promise.all(
            tags.map((tag, i) =>
                tokens[i] === null ? this.guard(this.primary.set(this.tagKey(tag), newToken(), "NX")) : undefined,
            ),
        );
        const current = await this.guard(this.primary.mget(...tags.map((tag) => this.tagKey(tag))));
        if (current.includes(null)) throw new CacheDown("a tag's token vanished");
        return current as string[];
    }

    private async awaitOtherLoad(key: string, tags: readonly string[]): Promise<CacheRead | undefined> {
        const deadline = Date.now() + this.lockWaitMs;
        while (Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            const { value, etag } = await this.lookup(key, tags);
            if (value !== undefined) return { value, etag: etag!, source: "hit" };
        }
        return undefined;
    }

    /** A failed or timed-out command marks the cache down for a while, then is rethrown. */
    private guard<T>(command: Promise<T>): Promise<T> {
        return command.catch((error: unknown) => {
            this.downUntil = Date.now() + this.downForMs;
            throw error;
        });
    }

    private tagKey = (tag: string) => `${this.options.namespace}tag:${tag}`;
    private valueKey = (key: string) => `${this.options.namespace}value:${key}`;
    private lockKey = (key: string) => `${this.options.namespace}lock:${key}`;
}

const newToken = (): string => randomBytes(9).toString("base64url");

const loaded = (value: string, source: CacheRead["source"]): CacheRead => ({ value, etag: etagOf(value), source });

/** No cache at all: every read loads (the benchmark's "cache off", a service that needs none). */
export class NoCache implements Cache {
    async fetch(
        _key: string,
        _tags: readonly string[],
        _ttlSeconds: number,
        load: () => Promise<string>,
    ): Promise<CacheRead> {
        return loaded(await load(), "bypass");
    }

    async invalidate(): Promise<void> {}

    async connect(): Promise<void> {}

    state(): "up" | "down" {
        return "down";
    }

    async close(): Promise<void> {}
}
