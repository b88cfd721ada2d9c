import { createHash } from "crypto";

/**
 * Answers for the data sources (invokes) the program may call. The program takes from config
 * whatever needs an AWS account, so only offline-answerable lookups belong here; any other
 * invoke fails the plan with the token's name, which is the prompt to move it to config.
 */
export interface CallContext {
    accountId: string;
}

type CallAnswer = (inputs: Record<string, unknown>, ctx: CallContext) => Record<string, unknown>;

export const CALL_ANSWERS: Record<string, CallAnswer> = {
    // AWS-managed prefix lists exist in every account; only their ids differ by region.
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs) => {
        const name = String(inputs.name);
        const id = `pl-${createHash("sha1").update(name).digest("hex").slice(0, 8)}`;
        return {
            id,
            name,
            addressFamily: "IPv4",
            ownerId: "AWS",
            maxEntries: 55,
            entries: [],
            arn: `arn:aws:ec2:::prefix-list/${id}`,
            version: 1,
            tags: {},
        };
    },
};

export function answerCall(token: string, inputs: Record<string, unknown>, ctx: CallContext): Record<string, unknown> {
    const answer = CALL_ANSWERS[token];
    if (!answer) {
        throw new Error(
            `The offline plan cannot answer the data source ${token}: it would need an AWS account. ` +
                "Take the value from stack configuration instead, or add an offline answer in infra/offline/mock-calls.ts.",
        );
    }
    return answer(inputs, ctx);
}
