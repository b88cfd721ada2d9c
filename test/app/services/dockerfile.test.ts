import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { HEALTH_CHECK } from "../../../infra/services/container-definition";
import { CONTAINER_PORT, CONTAINER_USER, HEALTH_CHECK_PATH } from "../../../infra/services/contract";
import { SERVICE_NAMES } from "../../../app/services/kit/settings";
import { serviceEnv, startServiceTests, type ServiceTestContext } from "./support/harness";

const DOCKERFILE = "app/services/Dockerfile";

interface Instruction {
    keyword: string;
    args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). */
function stages(): Instruction[][] {
    const text = readFileSync(DOCKERFILE, "utf8").replace(/\\\n\s*/g, " ");
    const instructions = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith("#"))
        .map((line) => {
            const [keyword, ...rest] = line.split(/\s+/);
            return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
        });
    const result: Instruction[][] = [];
    for (const instruction of instructions) {
        if (instruction.keyword === "FROM") result.push([]);
        result[result.length - 1]?.push(instruction);
    }
    return result;
}

/** The services built so far: a folder of app/services with a main.ts. */
const services = SERVICE_NAMES.filter((service) => existsSync(`app/services/${service}/main.ts`));

describe("service images: app/services/Dockerfile against the container contract", function () {
    const [build, run] = stages();
    const final = (keyword: string) => run.filter((i) => i.keyword === keyword);

    it("runs Node.js 22 for arm64 (services.cpuArchitecture's default) and builds the bundle natively", function () {
        assert.strictEqual(run[0].args, "--platform=linux/arm64 node:22-bookworm-slim");
        assert.strictEqual(build[0].args, "--platform=$BUILDPLATFORM node:22-bookworm-slim AS build");
        assert.strictEqual(stages().length, 2);
    });

    it("runs as the contract's uid:gid, serves the contract's port, and checks the contract's health path with curl", function () {
        assert.deepStrictEqual(
            final("USER").map((i) => i.args),
            [CONTAINER_USER],
        );
        assert.deepStrictEqual(
            final("EXPOSE").map((i) => i.args),
            [String(CONTAINER_PORT)],
        );
        assert.match(final("ENV")[0].args, new RegExp(`(^| )PORT=${CONTAINER_PORT}( |$)`));
        assert.match(final("RUN")[0].args, /apt-get install -y --no-install-recommends curl/);
        const healthCheck = final("HEALTHCHECK")[0].args;
        assert.ok(
            healthCheck.endsWith(
                `CMD curl -fsS -o /dev/null http://127.0.0.1:${CONTAINER_PORT}${HEALTH_CHECK_PATH} || exit 1`,
            ),
            healthCheck,
        );
        // The same timings as ECS's container health check.
        assert.ok(
            healthCheck.startsWith(
                `--interval=${HEALTH_CHECK.interval}s --timeout=${HEALTH_CHECK.timeout}s --start-period=${HEALTH_CHECK.startPeriod}s --retries=${HEALTH_CHECK.retries}`,
            ),
            healthCheck,
        );
        // `sh` runs the check (CMD-SHELL): the image keeps Debian's shell, and CMD is exec form.
        assert.deepStrictEqual(JSON.parse(final("CMD")[0].args), ["node", "/app/main.js"]);
    });

    it("declares /tmp a volume owned by 1000 (mode 1777), changed by nothing after it", function () {
        const index = (predicate: (i: Instruction) => boolean) => run.findIndex(predicate);
        const owned = index((i) => i.keyword === "RUN" && i.args === "install -d -o 1000 -g 1000 -m 1777 /tmp");
        const volume = index((i) => i.keyword === "VOLUME");
        assert.ok(owned > 0 && volume === owned + 1, "RUN install -d ... /tmp, then VOLUME");
        assert.deepStrictEqual(JSON.parse(run[volume].args), ["/tmp"]);
        assert.ok(run.slice(volume + 1).every((i) => !["RUN", "COPY", "ADD"].includes(i.keyword)));
        assert.strictEqual(CONTAINER_USER, "1000:1000");
    });

    it("ships production code only: the bundle, no node_modules, no npm; dependencies as the lockfile pins them", function () {
        assert.deepStrictEqual(
            final("COPY").map((i) => i.args),
            ["--from=build --chown=0:0 /out/ /app/"],
        );
        assert.match(final("RUN")[0].args, /rm -rf \/usr\/local\/lib\/node_modules\/npm/);
        assert.ok(
            build.some(
                (i) => i.keyword === "RUN" && i.args === "npm ci --omit=dev --ignore-scripts --no-audit --no-fund",
            ),
        );
        const packageJson = JSON.parse(readFileSync("package.json", "utf8"));
        assert.ok(packageJson.dependencies.esbuild, "the build stage bundles with a production dependency");
    });

    describe("the bundle each image runs (built with the Dockerfile's own esbuild command, run with node)", function () {
        let context: ServiceTestContext & { stop(): Promise<void> };
        const out = mkdtempSync(join(tmpdir(), "service-bundles-"));
        const esbuild = build.find((i) => i.keyword === "RUN" && i.args.startsWith("npx esbuild"))!.args;

        before(async function () {
            context = await startServiceTests();
        });

        after(async function () {
            rmSync(out, { recursive: true, force: true });
            await context?.stop();
        });

        for (const service of services) {
            it(`${service}: bundles, starts on the contract's port, answers ${HEALTH_CHECK_PATH}, stops on SIGTERM`, async function () {
                const outfile = join(out, service, "main.js");
                const args = esbuild
                    .replace(/^npx esbuild /, "")
                    .replace(/"app\/services\/\$\{SERVICE\}\/main.ts"/, `app/services/${service}/main.ts`)
                    .replace("--outfile=/out/main.js", `--outfile=${outfile}`)
                    .split(" ");
                execFileSync(join("node_modules", ".bin", "esbuild"), args, { stdio: "pipe" });

                const port = await new Promise<number>((resolve) => {
                    const probe = createServer().listen(0, "127.0.0.1", () => {
                        const { port: free } = probe.address() as { port: number };
                        probe.close(() => resolve(free));
                    });
                });
                // Outside the repository: the bundle needs nothing of node_modules.
                const child = spawn(process.execPath, ["--enable-source-maps", outfile], {
                    cwd: out,
                    env: {
                        PATH: process.env.PATH,
                        ...serviceEnv(context, service),
                        PORT: String(port),
                        AWS_ACCESS_KEY_ID: "test",
                        AWS_SECRET_ACCESS_KEY: "test",
                    },
                });
                let stderr = "";
                child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
                const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
                let status = 0;
                for (let i = 0; i < 100 && status !== 200; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    status = await fetch(`http://127.0.0.1:${port}${HEALTH_CHECK_PATH}`).then(
                        (r) => r.status,
                        () => 0,
                    );
                }
                assert.strictEqual(status, 200, stderr);
                child.kill("SIGTERM");
                assert.strictEqual(await exited, 0, stderr);
            });
        }
    });
});
