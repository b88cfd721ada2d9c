// The redis-server test/with-services.sh started (TLS, requirepass), its settings for a
// service, and the outage tests' kill and restart (the same configuration file, same port).
import { spawn } from "child_process";
import { existsSync, readFileSync, rmSync } from "fs";
import { connect } from "tls";

export interface TestCache {
    host: string;
    port: number;
    password: string;
    caFile: string;
    bin: string;
    conf: string;
    pidFile: string;
}

export function testCache(): TestCache {
    const missing = ["TEST_REDIS_HOST", "TEST_REDIS_PORT", "TEST_REDIS_PASSWORD", "TEST_TLS_CA"].filter(
        (name) => !process.env[name],
    );
    if (missing.length > 0)
        throw new Error(
            `the service tests need redis-server, but ${missing.join(", ")} is not set. Run them through \`npm test\` or \`npm run test:app\` (test/with-services.sh).`,
        );
    const env = process.env as Record<string, string>;
    return {
        host: env.TEST_REDIS_HOST,
        port: Number(env.TEST_REDIS_PORT),
        password: env.TEST_REDIS_PASSWORD,
        caFile: env.TEST_TLS_CA,
        bin: env.TEST_REDIS_BIN,
        conf: env.TEST_REDIS_CONF,
        pidFile: env.TEST_REDIS_PIDFILE,
    };
}

/** The CACHE_* variables, as ECS sets them (the token as the injected secret). */
export function cacheEnv(cache: TestCache): Record<string, string> {
    return {
        CACHE_HOST: cache.host,
        CACHE_READER_HOST: cache.host,
        CACHE_PORT: String(cache.port),
        CACHE_TLS: "true",
        CACHE_CA_FILE: cache.caFile,
        CACHE_AUTH_TOKEN: cache.password,
    };
}

/** Kills the server (SIGKILL, as a crashed node) and waits until it is gone. */
export async function killCache(cache: TestCache): Promise<void> {
    const pid = Number(readFileSync(cache.pidFile, "utf8").trim());
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 100; i++) {
        try {
            process.kill(pid, 0);
        } catch {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`redis-server ${pid} did not die`);
}

/** Starts it again with its configuration (on the same port, empty) and waits until it answers. */
export async function startCache(cache: TestCache): Promise<void> {
    rmSync(cache.pidFile, { force: true });
    // Detached: it outlives this call, and test/with-services.sh stops it through its pid file.
    spawn(cache.bin, [cache.conf], { stdio: "ignore", detached: true }).unref();
    for (let i = 0; i < 100; i++) {
        if (existsSync(cache.pidFile) && (await answers(cache))) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("redis-server did not start again");
}

function answers(cache: TestCache): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host: cache.host, port: cache.port, ca: readFileSync(cache.caFile) }, () => {
            socket.end();
            resolve(true);
        });
        socket.on("error", () => resolve(false));
    });
}
