import * as assert from "assert";
import { spawn } from "child_process";
import type { InjectOptions } from "fastify";
import { createServer } from "net";
import { createServiceKit, type ServiceKit } from "../../../../app/services/kit/service";
import { readServiceSettings } from "../../../../app/services/kit/settings";
import { EnvReader } from "../../../../app/shared/env";
import { bearer, capturedLogger, serviceEnv, startServiceTests, type ServiceTestContext } from "../support/harness";

const freePort = () =>
    new Promise<number>((resolve) => {
        const server = createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
        });
    });

describe("service kit: HTTP (problem details, request ids, access logs, health, SIGTERM drain)", function () {
    let context: ServiceTestContext & { stop(): Promise<void> };
    let kit: ServiceKit;
    let logs: Record<string, unknown>[];
    let releaseSlow: () => void = () => undefined;

    before(async function () {
        context = await startServiceTests();
        const captured = capturedLogger();
        logs = captured.lines;
        const settings = readServiceSettings(new EnvReader(serviceEnv(context, "catalog")), "catalog");
        kit = await createServiceKit(
            settings,
            { version: "test", description: "kit test" },
            { logger: captured.logger },
        );
        kit.app.get("/catalog/boom", async () => {
            throw new Error('relation "catalog.secret" does not exist: SELECT password FROM catalog.secret');
        });
        kit.app.get("/catalog/me", { onRequest: kit.auth.customer }, async (request) => ({
            sub: request.principal?.sub,
        }));
        kit.app.post("/catalog/echo", async (request) => request.body);
        kit.app.get("/catalog/slow", async () => {
            await new Promise<void>((resolve) => (releaseSlow = resolve));
            return { done: true };
        });
        await kit.app.listen({ host: "127.0.0.1", port: 0 });
    });

    after(async function () {
        await kit?.close().catch(() => undefined);
        await context?.stop();
    });

    it("keeps a well-formed request id it is given, makes one otherwise, and says it in the answer", async function () {
        const kept = await kit.app.inject({
            method: "GET",
            url: "/healthz",
            headers: { "x-request-id": "Root=1-abc-def0123" },
        });
        assert.strictEqual(kept.headers["x-request-id"], "Root=1-abc-def0123");
        const replaced = await kit.app.inject({
            method: "GET",
            url: "/healthz",
            headers: { "x-request-id": "bad id\nwith a newline" },
        });
        assert.match(replaced.headers["x-request-id"] as string, /^[0-9a-f-]{36}$/);
    });

    it("writes one structured access log line per request, with the caller's subject when signed in", async function () {
        const sub = "c0ffee00-0000-4000-8000-000000000001";
        const response = await kit.app.inject({
            method: "GET",
            url: "/catalog/me?x=1",
            headers: { ...bearer(context.issuer.token({ sub })), "user-agent": "test-agent" },
        });
        assert.strictEqual(response.statusCode, 200);
        const lines = logs.filter((line) => line.reqId === response.headers["x-request-id"]);
        assert.strictEqual(lines.length, 1);
        const {
            level,
            method,
            route,
            path,
            status,
            sub: loggedSub,
            userAgent,
            durationMs,
        } = lines[0] as Record<string, unknown>;
        assert.deepStrictEqual(
            { level, method, route, path, status, sub: loggedSub, userAgent },
            {
                level: 30,
                method: "GET",
                route: "/catalog/me",
                path: "/catalog/me",
                status: 200,
                sub,
                userAgent: "test-agent",
            },
        );
        assert.strictEqual(typeof durationMs, "number");
        assert.ok(!JSON.stringify(lines[0]).includes("Bearer"), "no token in the logs");
    });

    it("answers an unexpected error with a 500 problem that says nothing of it, and logs the cause", async function () {
        const response = await kit.app.inject({ method: "GET", url: "/catalog/boom" });
        assert.strictEqual(response.statusCode, 500);
        assert.match(response.headers["content-type"] as string, /^application\/problem\+json/);
        assert.deepStrictEqual(Object.keys(response.json()).sort(), [
            "detail",
            "instance",
            "requestId",
            "status",
            "title",
            "type",
        ]);
        assert.ok(!/SELECT|secret|relation|at /.test(response.body), response.body);
        const logged = logs.find((line) => line.reqId === response.json().requestId && line.msg === "request failed");
        assert.match(JSON.stringify(logged), /catalog\.secret/);
    });

    it("answers the framework's refusals as problems too: unknown route, wrong content type, body too large, bad JSON", async function () {
        const cases: [InjectOptions, number][] = [
            [{ method: "GET", url: "/catalog/nowhere" }, 404],
            [
                {
                    method: "POST",
                    url: "/catalog/echo",
                    headers: { "content-type": "application/xml" },
                    payload: "<a/>",
                },
                415,
            ],
            [
                {
                    method: "POST",
                    url: "/catalog/echo",
                    headers: { "content-type": "application/json" },
                    payload: JSON.stringify({ big: "x".repeat(300 * 1024) }),
                },
                413,
            ],
            [
                {
                    method: "POST",
                    url: "/catalog/echo",
                    headers: { "content-type": "application/json" },
                    payload: "{nope",
                },
                400,
            ],
        ];
        for (const [request, status] of cases) {
            const response = await kit.app.inject(request);
            assert.strictEqual(response.statusCode, status, JSON.stringify(request).slice(0, 80));
            assert.match(response.headers["content-type"] as string, /^application\/problem\+json/);
            assert.strictEqual(response.json().status, status);
        }
    });

    it("drains on close: the request in flight finishes, new connections (the health checks) are refused", async function () {
        const address = kit.app.server.address() as { port: number };
        const base = `http://127.0.0.1:${address.port}`;
        // A new connection each (as the load balancer's health checks make).
        const fresh = { headers: { connection: "close" } };
        assert.strictEqual((await fetch(`${base}/healthz`, fresh)).status, 200);
        const inFlight = fetch(`${base}/catalog/slow`, fresh);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const closing = kit.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await assert.rejects(fetch(`${base}/healthz`, fresh), /fetch failed/);
        releaseSlow();
        const finished = await inFlight;
        assert.deepStrictEqual([finished.status, await finished.json()], [200, { done: true }]);
        await closing;
    });

    it("runs as a process: refuses to start on bad settings (exit 1, each variable named), drains and exits 0 on SIGTERM", async function () {
        const run = (env: Record<string, string>) => {
            const child = spawn(
                process.execPath,
                ["--require", "./infra/offline/ts-loader.js", "app/services/catalog/main.ts"],
                {
                    env: { ...process.env, ...env },
                },
            );
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
            const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
            return { child, exited, output: () => ({ stdout, stderr }) };
        };

        const broken = run({ ...serviceEnv(context, "catalog"), DB_HOST: "", COGNITO_CLIENT_ID: "" });
        assert.strictEqual(await broken.exited, 1);
        assert.match(broken.output().stderr, /DB_HOST is not set.*COGNITO_CLIENT_ID is not set/s);

        const port = await freePort();
        const service = run({ ...serviceEnv(context, "catalog"), PORT: String(port) });
        let healthy = false;
        for (let i = 0; i < 100 && !healthy; i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
                (r) => r.status === 200,
                () => false,
            );
        }
        assert.ok(healthy, service.output().stderr);
        service.child.kill("SIGTERM");
        assert.strictEqual(await service.exited, 0, service.output().stderr);
        const messages = service
            .output()
            .stdout.split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line).msg);
        assert.deepStrictEqual(messages.slice(-2), ["draining", "stopped"]);
    });
});
