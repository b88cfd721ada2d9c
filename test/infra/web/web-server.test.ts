// The web servers' nginx configuration, exactly as the user data writes it, run by a real nginx
// (Debian's, provided by test/with-services.sh) in front of a stand-in storefront application.
import * as assert from "assert";
import { execFileSync } from "child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { createServer, type Server } from "http";
import { request } from "https";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { HEALTH_CHECK_PATH, TARGET_PORT } from "../../../infra/web/load-balancer";
import { APPLICATION_PORT, storefrontUserData } from "../../../infra/web/user-data";

/** The body of `cat > <file> <<'EOF' ... EOF` in the script. */
function heredoc(script: string, file: string): string {
    const start = `cat > ${file} <<'EOF'\n`;
    const from = script.indexOf(start);
    assert.ok(from >= 0, `the user data writes no ${file}`);
    return script.slice(from + start.length, script.indexOf("\nEOF\n", from));
}

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const server = createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

function get(port: number, urlPath: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
        // The load balancer does not validate the target's self-signed certificate either.
        request({ host: "127.0.0.1", port, path: urlPath, rejectUnauthorized: false }, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        })
            .on("error", reject)
            .end();
    });
}

describe("web servers: the nginx configuration of the user data (real nginx)", () => {
    const nginx = process.env.TEST_NGINX;
    let dir: string;
    let port: number;
    let appPort: number;
    let app: Server | undefined;
    const run = (...args: string[]) =>
        execFileSync(nginx!, ["-p", dir, "-c", path.join(dir, "nginx.conf"), ...args], { stdio: "pipe" });

    before(async function () {
        if (!nginx)
            throw new Error(
                "TEST_NGINX is not set: run the tests through test/with-services.sh (npm test), which provides nginx",
            );
        const script = storefrontUserData({
            region: "af-south-1",
            cacheSecretArn: "arn:aws:secretsmanager:af-south-1:111111111111:secret:c",
        });
        dir = mkdtempSync(path.join(tmpdir(), "shop-nginx-"));
        chmodSync(dir, 0o755); // nginx's workers drop root and must read the page
        [port, appPort] = [await freePort(), await freePort()];
        writeFileSync(path.join(dir, "index.html"), heredoc(script, "/usr/share/nginx/storefront/index.html"), {
            mode: 0o644,
        });
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=storefront",
                "-keyout",
                path.join(dir, "storefront.key"),
                "-out",
                path.join(dir, "storefront.crt"),
            ],
            { stdio: "pipe" },
        );
        // The server block as written, moved to this directory and to free ports.
        const site = heredoc(script, "/etc/nginx/conf.d/storefront.conf")
            .replaceAll("/etc/nginx/tls", dir)
            .replaceAll("/usr/share/nginx/storefront", dir)
            .replace(`listen ${TARGET_PORT} ssl;`, `listen 127.0.0.1:${port} ssl;`)
            .replace(`http://127.0.0.1:${APPLICATION_PORT};`, `http://127.0.0.1:${appPort};`);
        assert.ok(
            site.includes(`127.0.0.1:${port} ssl`) && site.includes(`127.0.0.1:${appPort};`),
            "the listen and upstream lines moved",
        );
        writeFileSync(
            path.join(dir, "nginx.conf"),
            `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\naccess_log off;\n${site}\n}\n`,
        );
        run("-t");
        run();
    });

    after(function () {
        app?.close();
        if (dir) {
            try {
                run("-s", "stop");
            } catch {
                /* it did not start */
            }
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("answers the load balancer's health check itself, whatever the application does", async () => {
        const answer = await get(port, HEALTH_CHECK_PATH);
        assert.deepStrictEqual([answer.status, answer.body], [200, "ok\n"]);
    });

    // A fallback served as 200 would keep the Route 53 health check and the 5xx alarms green
    // through an outage of the application.
    it("serves the fallback page as 503 with Retry-After while the application is down", async () => {
        for (const urlPath of ["/", "/health", "/products/42"]) {
            const answer = await get(port, urlPath);
            assert.strictEqual(answer.status, 503, urlPath);
            assert.strictEqual(answer.headers["retry-after"], "60", urlPath);
            assert.match(answer.body, /We will be right back/, urlPath);
        }
    });

    it("proxies to the application once it answers, keeping its status codes", async () => {
        app = createServer((req, res) => {
            res.statusCode = req.url === "/missing" ? 404 : 200;
            res.end(`app:${req.url}:${req.headers["x-forwarded-proto"]}`);
        });
        await new Promise<void>((resolve) => app!.listen(appPort, "127.0.0.1", resolve));
        assert.deepStrictEqual(await get(port, "/health").then((a) => [a.status, a.body]), [200, "app:/health:https"]);
        assert.deepStrictEqual(await get(port, "/missing").then((a) => [a.status, a.body]), [
            404,
            "app:/missing:https",
        ]);
    });
});
