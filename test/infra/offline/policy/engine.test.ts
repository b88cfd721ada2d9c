import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    Policies,
    PolicyResource,
    ResourceValidationArgs,
    StackValidationArgs,
    validateResourceOfType,
} from "@pulumi/policy";
import { evaluatePack, PolicyEvaluationError } from "../../../../infra/offline/policy/engine";
import { resolvePackConfig } from "../../../../infra/offline/policy/pack-config";
import { SyntheticGraph, UNKNOWN } from "../../../policy-pack/synthetic";

const PACK = { name: "probe", version: "1.0.0" };

function run(graph: SyntheticGraph, policies: Policies, config: Record<string, unknown> = {}) {
    return evaluatePack(graph.graph(), policies, resolvePackConfig(policies, config, "test"), PACK);
}

/** A small graph: a bucket under a component, its encryption config linked by `bucket`, a protected key. */
function sample(): SyntheticGraph {
    const g = new SyntheticGraph();
    const component = g.add("shop:storage:Assets", "assets", {}, { provider: null });
    const bucket = g.add("aws:s3/bucket:Bucket", "assets-bucket", { tags: { Name: "assets" } }, { parent: component });
    g.add(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "assets-sse",
        { bucket: g.ref(bucket), rules: [] },
        { parent: component, dependsOn: [component] },
    );
    g.add("aws:kms/key:Key", "key", { description: "k" }, { protect: true });
    return g;
}

describe("offline policy evaluation (engine fidelity)", () => {
    it("gives resource policies the arguments the engine gives: type, props, urn, name, options, provider, isType/asType, getConfig", () => {
        const seen: ResourceValidationArgs[] = [];
        const g = sample();
        run(
            g,
            [
                {
                    name: "probe",
                    description: "d",
                    enforcementLevel: "advisory",
                    configSchema: {
                        properties: { threshold: { type: "integer", default: 3 }, label: { type: "string" } },
                    },
                    validateResource: (args) => void seen.push(args),
                },
            ],
            { probe: { label: "x" } },
        );
        const bucket = seen.find((a) => a.name === "assets-bucket") as ResourceValidationArgs;
        assert.strictEqual(bucket.type, "aws:s3/bucket:Bucket");
        assert.strictEqual(bucket.urn, g.get("assets-bucket").urn);
        assert.deepStrictEqual({ ...bucket.props.tags }, { Name: "assets" });
        assert.strictEqual(bucket.opts.parent, g.get("assets").urn);
        assert.deepStrictEqual([bucket.opts.protect, bucket.opts.ignoreChanges, bucket.opts.aliases], [false, [], []]);
        assert.deepStrictEqual(bucket.opts.customTimeouts, { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });
        assert.strictEqual(bucket.provider?.type, "pulumi:providers:aws");
        assert.strictEqual(bucket.provider?.name, "aws-af-south-1");
        assert.strictEqual(bucket.provider?.props.region, "af-south-1");
        assert.ok(bucket.isType(aws.s3.Bucket) && !bucket.isType(aws.s3.BucketPolicy));
        assert.strictEqual(bucket.asType(aws.s3.BucketPolicy), undefined);
        assert.ok(bucket.asType(aws.s3.Bucket));
        // Schema defaults merged with the pack config.
        assert.deepStrictEqual(bucket.getConfig(), { threshold: 3, label: "x" });
        assert.strictEqual(seen.find((a) => a.name === "key")?.opts.protect, true);
        assert.strictEqual(seen.find((a) => a.name === "assets")?.provider, undefined, "components have no provider");
    });

    it("gives stack policies every resource with parent, dependencies and propertyDependencies as resource objects", () => {
        let resources: PolicyResource[] = [];
        const g = sample();
        run(g, [
            {
                name: "probe",
                description: "d",
                validateStack: (args: StackValidationArgs) => void (resources = args.resources),
            },
        ]);
        assert.strictEqual(resources.length, g.resources.length);
        const sse = resources.find((r) => r.name === "assets-sse") as PolicyResource;
        const bucket = resources.find((r) => r.name === "assets-bucket") as PolicyResource;
        assert.strictEqual(sse.propertyDependencies.bucket[0], bucket);
        assert.ok(sse.dependencies.includes(bucket));
        assert.ok(
            sse.dependencies.some((d) => d.name === "assets"),
            "dependsOn is part of dependencies",
        );
        assert.strictEqual(bucket.parent?.name, "assets");
        assert.strictEqual(bucket.provider?.props.region, "af-south-1");
        assert.ok(bucket.isType(aws.s3.Bucket));
    });

    it("skips not-applicable resources without a violation and runs typed validations only on their type", () => {
        const types: string[] = [];
        const violations = run(sample(), [
            {
                name: "probe",
                description: "d",
                enforcementLevel: "mandatory",
                validateResource: [
                    validateResourceOfType(aws.s3.Bucket, (_b, args) => void types.push(args.type)),
                    (args) => args.notApplicable("not this one"),
                ],
            },
        ]);
        assert.deepStrictEqual(types, ["aws:s3/bucket:Bucket"]);
        assert.deepStrictEqual(violations, []);
    });

    it("reports a value unknown during preview as the engine does: advisory, even for a mandatory policy", () => {
        const g = sample();
        g.set("assets-bucket", { tags: UNKNOWN });
        const violations = run(g, [
            {
                name: "probe",
                description: "d",
                enforcementLevel: "mandatory",
                severity: "high",
                validateResource: validateResourceOfType(aws.s3.Bucket, (bucket, _args, report) => {
                    if (!bucket.tags) report("no tags");
                }),
            },
        ]);
        assert.deepStrictEqual(violations, [
            {
                policy: "probe",
                enforcementLevel: "advisory",
                severity: "high",
                urn: g.get("assets-bucket").urn,
                message:
                    "can't run policy 'probe' from policy pack 'probe@v1.0.0' during preview: string value at .tags can't be known during preview",
            },
        ]);
    });

    it("applies the configured level: disabled policies do not run, remediate reports as mandatory", () => {
        const policy = (name: string) => ({
            name,
            description: "d",
            enforcementLevel: "advisory" as const,
            validateResource: (_a: ResourceValidationArgs, report: (m: string) => void) => report("seen"),
        });
        const violations = run(sample(), [policy("off"), policy("fix")], { off: "disabled", fix: "remediate" });
        assert.ok(
            violations.length > 0 && violations.every((v) => v.policy === "fix" && v.enforcementLevel === "mandatory"),
        );
    });

    it("lets stack policies name the resource of a violation, or none for the stack", () => {
        const g = sample();
        const violations = run(g, [
            {
                name: "probe",
                description: "d",
                enforcementLevel: "mandatory",
                validateStack: (_args, report) => {
                    report("about the key", g.get("key").urn);
                    report("about the stack");
                },
            },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => [v.urn, v.message]),
            [
                [g.get("key").urn, "about the key"],
                [null, "about the stack"],
            ],
        );
    });

    it("fails with the policy and resource named when a policy throws", () => {
        assert.throws(
            () =>
                run(sample(), [
                    {
                        name: "broken",
                        description: "d",
                        validateResource: () => {
                            throw new Error("boom");
                        },
                    },
                ]),
            (err: unknown) =>
                err instanceof PolicyEvaluationError &&
                /^policy broken failed on urn:pulumi:prod::shop::pulumi:providers:aws::aws-af-south-1: boom$/.test(
                    err.message,
                ),
        );
    });
});
