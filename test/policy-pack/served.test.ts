import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../infra/harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK_DIR = path.join(PROJECT_DIR, "policy-pack");

type Call = (request: unknown, callback: (err: Error | null, response: any) => void) => void;
const call = (client: Record<string, Call>, method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) =>
        client[method].call(client, request, (err, response) => (err ? reject(err) : resolve(response))),
    );

const TAGS = {
    Project: "shop",
    Environment: "prod",
    Owner: "platform-team",
    CostCenter: "CC-1",
    DataClassification: "internal",
};

function analyzeRequest(type: string, name: string, properties: Record<string, unknown>): unknown {
    const request = new pb.AnalyzeRequest();
    request.setType(type);
    request.setUrn(`urn:pulumi:prod::shop::${type}::${name}`);
    request.setName(name);
    request.setProperties(Struct.fromJavaScript(properties));
    request.setOptions(new pb.AnalyzerResourceOptions());
    return request;
}

/**
 * The pack as the Pulumi CLI runs it: its entry file started in the pack's directory, serving the
 * analyzer protocol over gRPC on the port it prints.
 */
describe("the policy pack served as the engine runs it", function () {
    this.timeout(60000);
    let child: ChildProcess;
    let client: Record<string, Call>;

    before(async () => {
        child = spawn(
            process.execPath,
            ["--require", path.join(PROJECT_DIR, "infra/offline/ts-loader.js"), "index.ts"],
            {
                cwd: PACK_DIR,
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout?.once("data", (data: Buffer) => resolve(data.toString().trim()));
            child.once("exit", (code) => reject(new Error(`the pack exited with ${code}`)));
        });
        assert.match(port, /^\d+$/, "the entry file prints the port the CLI connects to");
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        (client as unknown as { close(): void } | undefined)?.close();
        child?.kill();
    });

    it("describes every policy, its metadata and config schema", async () => {
        const info = await call(client, "getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), "shop-platform");
        assert.strictEqual(
            info.getVersion(),
            JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version,
        );
        const policies = info.getPoliciesList();
        assert.ok(policies.length >= 80, `${policies.length} policies`);
        const sqs = policies.find((p: { getName(): string }) => p.getName() === "sqs-queue-encrypted");
        assert.strictEqual(sqs.getFramework().getSpecification(), "SQS.1");
        assert.strictEqual(sqs.getEnforcementlevel(), pb.EnforcementLevel.MANDATORY);
    });

    it("reports a violation on a resource, with the schema defaults before any configuration", async () => {
        const response = await call(
            client,
            "analyze",
            analyzeRequest("aws:sqs/queue:Queue", "orders", { name: "orders", tags: TAGS }),
        );
        const diagnostics = response
            .getDiagnosticsList()
            .map((d: { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }) => [
                d.getPolicyname(),
                d.getEnforcementlevel(),
                d.getMessage(),
            ]);
        // The engine prefixes the policy's message with its description.
        assert.deepStrictEqual(diagnostics, [
            [
                "sqs-queue-encrypted",
                pb.EnforcementLevel.MANDATORY,
                "SQS queues (dead-letter queues included) are encrypted at rest, with a customer-managed KMS key unless configured otherwise.\nkmsMasterKeyId is not a customer-managed key.",
            ],
        ]);
    });

    it("applies a stack's config sent by the engine", async () => {
        const configure = new pb.ConfigureAnalyzerRequest();
        const map = configure.getPolicyconfigMap();
        const relaxed = new pb.PolicyConfig();
        relaxed.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
        relaxed.setProperties(Struct.fromJavaScript({ requireCustomerManagedKey: false }));
        map.set("sqs-queue-encrypted", relaxed);
        await call(client, "configure", configure);
        const response = await call(
            client,
            "analyze",
            analyzeRequest("aws:sqs/queue:Queue", "orders", { name: "orders", sqsManagedSseEnabled: true, tags: TAGS }),
        );
        assert.deepStrictEqual(response.getDiagnosticsList(), []);
    });
});
