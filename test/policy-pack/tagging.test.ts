import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { TAGGABLE } from "../../policy-pack/policies/tagging";
import { taggableTypes } from "../../policy-pack/scripts/taggable-types";
import { describePolicy } from "./check";
import { UNKNOWN } from "./synthetic";

describePolicy("required-tags", {}, [
    {
        rule: "a provider without the required default tags",
        mutate: (g) =>
            g.set("aws-af-south-1", {
                defaultTags: JSON.stringify({ tags: { Project: "shop", Environment: "prod" } }),
            }),
        expect: /lacks the tag\(s\) Owner, CostCenter, DataClassification/,
        at: "assets",
    },
    {
        rule: "a tag value outside the allowed list, set on the resource itself",
        mutate: (g) => g.set("assets", { tags: { DataClassification: "top-secret" } }),
        expect: /tag DataClassification is top-secret; allowed: public, internal, confidential, restricted/,
        at: "assets",
    },
    {
        rule: "a resource's own tags standing in for missing default tags",
        mutate: (g) => {
            g.set("aws-af-south-1", { defaultTags: undefined });
            for (const r of g.resources.filter((x) => x.provider === g.regional.urn && TAGGABLE.has(x.type))) {
                g.set(r.name, {
                    tags: {
                        Project: "shop",
                        Environment: "prod",
                        Owner: "o",
                        CostCenter: "c",
                        DataClassification: "internal",
                    },
                });
            }
        },
        expect: null,
    },
    {
        rule: "another tag unknown during preview (only the checked keys are read)",
        mutate: (g) => g.set("assets", { tags: { Name: UNKNOWN } }),
        expect: null,
    },
    {
        rule: "an empty tag value",
        mutate: (g) => g.set("cache-auth", { tags: { Owner: "" } }),
        expect: /lacks the tag\(s\) Owner/,
        at: "cache-auth",
    },
    {
        rule: "a required tag added by config",
        mutate: () => undefined,
        config: { requiredTags: ["Team"] },
        expect: /lacks the tag\(s\) Team/,
    },
]);

describe("the taggable type list", () => {
    it("matches the installed @pulumi/aws (regenerate with policy-pack/scripts/taggable-types.ts)", () => {
        const awsDir = path.dirname(require.resolve("@pulumi/aws/package.json"));
        const file = JSON.parse(
            readFileSync(path.join(__dirname, "../../policy-pack/policies/taggable-types.json"), "utf8"),
        );
        assert.deepStrictEqual(file, taggableTypes(awsDir));
        for (const type of [
            "aws:s3/bucket:Bucket",
            "aws:ec2/subnet:Subnet",
            "aws:kms/key:Key",
            "aws:lb/loadBalancer:LoadBalancer",
        ])
            assert.ok(TAGGABLE.has(type), type);
        for (const type of [
            "aws:route53/record:Record",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:autoscaling/group:Group",
        ])
            assert.ok(!TAGGABLE.has(type), type);
    });
});
