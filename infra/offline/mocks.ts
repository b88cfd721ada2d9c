import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { COMPUTED_OUTPUTS, MockContext } from "./mock-outputs";
import { answerCall } from "./mock-calls";

/**
 * Stands in for the AWS provider: every resource gets a deterministic, AWS-shaped id and ARN and
 * the attributes AWS would compute (endpoints, DNS names, ...), so that every output the program
 * passes on has a plausible value. Nothing here reaches the network.
 */
export class PlanMocks implements pulumi.runtime.Mocks {
    private readonly seen = new Map<string, number>();

    constructor(
        private readonly accountId: string,
        /** The effective region of a resource, from its inputs and provider reference. */
        private readonly regionOf: (inputs: Record<string, unknown>, providerRef: string | undefined) => string,
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (!args.custom) return { id: undefined, state: {} };
        if (args.type.startsWith("pulumi:providers:"))
            return { id: `${this.digest(args.type, args.name)}`, state: args.inputs };

        const inputs = args.inputs as Record<string, unknown>;
        const hash = this.digest(args.type, args.name);
        const ctx: MockContext = {
            type: args.type,
            name: args.name,
            inputs,
            hash,
            region: this.regionOf(inputs, args.provider),
            accountId: this.accountId,
            physicalName: typeof inputs.name === "string" ? inputs.name : `${args.name}-${hash.slice(0, 7)}`,
        };
        const { id, ...computed } = COMPUTED_OUTPUTS[args.type]?.(ctx) ?? {};
        const arn = computed.arn ?? inputs.arn ?? genericArn(ctx);
        return {
            id: typeof id === "string" ? id : ctx.physicalName,
            state: { name: ctx.physicalName, ...inputs, arn, ...computed },
        };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = args.inputs as Record<string, unknown>;
        return answerCall(args.token, inputs, {
            accountId: this.accountId,
            region: this.regionOf(inputs, args.provider),
        });
    }

    /** Stable across runs; a repeated type and name (different parents) gets a different digest. */
    private digest(type: string, name: string): string {
        const key = `${type}::${name}`;
        const n = this.seen.get(key) ?? 0;
        this.seen.set(key, n + 1);
        return createHash("sha1").update(`${key}#${n}`).digest("hex");
    }
}

/** "aws:ec2/vpc:Vpc" -> arn:aws:ec2:<region>:<account>:vpc/<name>. */
function genericArn(ctx: MockContext): string {
    const [, module = "", kind = ""] = /^aws:([^/]+)\/([^:]+):/.exec(ctx.type) ?? [];
    return `arn:aws:${module}:${ctx.region}:${ctx.accountId}:${kind.toLowerCase()}/${ctx.physicalName}`;
}
