import * as assert from "assert";
import { Graph, graphOf, isTaggable, STACKS } from "./harness";

const REQUIRED_TAGS = ["Environment", "Owner", "CostCenter", "DataClassification"];

for (const stack of STACKS) {
    describe(`the platform as a whole (${stack})`, () => {
        let g: Graph;
        before(async () => {
            g = await graphOf(stack);
        });
        const awsResources = () => g.resources.filter((r) => r.custom && r.type.startsWith("aws:"));

        it("creates every AWS resource with an explicit provider in the stack's region (default providers are disabled)", () => {
            const providers = new Map(g.ofType("pulumi:providers:aws").map((p) => [p.urn, p]));
            for (const resource of awsResources()) {
                const provider = resource.provider && providers.get(resource.provider);
                assert.ok(provider, `${resource.urn} has no explicit AWS provider`);
                assert.strictEqual(resource.region, provider.inputs.region);
            }
            const regional = g.one("pulumi:providers:aws", "aws-af-south-1");
            assert.strictEqual(regional.inputs.region, "af-south-1");
            // Providers receive structured settings as JSON text, as the engine passes them.
            assert.deepStrictEqual(JSON.parse(String(regional.inputs.allowedAccountIds)), [
                stack === "prod" ? "222222222222" : "111111111111",
            ]);
        });

        it("tags every taggable resource with environment, owner, cost center and data classification", () => {
            for (const provider of g.ofType("pulumi:providers:aws")) {
                const tags = JSON.parse(String(provider.inputs.defaultTags)).tags as Record<string, string>;
                for (const key of REQUIRED_TAGS) assert.ok(tags?.[key], `${provider.urn} default tags lack ${key}`);
                assert.strictEqual(tags.Environment, stack);
            }
            const taggable = awsResources().filter((r) => isTaggable(r.type));
            assert.ok(taggable.length > 20);
            for (const resource of taggable) {
                const own = (resource.inputs.tags ?? {}) as Record<string, string>;
                for (const key of REQUIRED_TAGS)
                    assert.ok(!(key in own), `${resource.urn} overrides the ${key} default tag`);
            }
        });

        it("parents every resource under a component of its tier", () => {
            for (const resource of awsResources()) {
                const component = g.component(resource);
                assert.ok(component && !component.custom, `${resource.urn} sits directly under the stack`);
                assert.match(component.type, /^shop:[a-z]+:[A-Z][A-Za-z]+$/);
            }
        });

        it("names children after their component", () => {
            for (const resource of awsResources()) {
                const parent = g.find(resource.parent);
                if (parent && !parent.custom && parent.type !== "pulumi:pulumi:Stack") {
                    assert.ok(
                        resource.name.startsWith(`${parent.name}-`),
                        `${resource.name} is not named after ${parent.name}`,
                    );
                }
            }
        });
    });
}
