import { createHash } from "crypto";

/**
 * Answers for the data sources (invokes) the program may call. The program takes from config
 * whatever needs an AWS account, so only offline-answerable lookups belong here; any other
 * invoke fails the plan with the token's name, which is the prompt to move it to config.
 */
export interface CallContext {
    accountId: string;
    /** The region the call is made in (its provider's, else the stack's). */
    region: string;
}

type CallAnswer = (inputs: Record<string, unknown>, ctx: CallContext) => Record<string, unknown>;

export const CALL_ANSWERS: Record<string, CallAnswer> = {
    // Who and where the program runs: the stack's account and region.
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, ctx) => ({
        accountId: ctx.accountId,
        arn: `arn:aws:iam::${ctx.accountId}:user/offline-plan`,
        id: ctx.accountId,
        userId: "AIDAOFFLINEPLAN",
    }),
    "aws:index/getRegion:getRegion": (_inputs, ctx) => ({
        id: ctx.region,
        name: ctx.region,
        region: ctx.region,
        description: ctx.region,
        endpoint: `ec2.${ctx.region}.amazonaws.com`,
    }),
    // The regions the platform runs in have three zones (a, b, c); zone ids follow AWS's naming.
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, ctx) => {
        const short = ctx.region.replace(/^(\w\w)-(\w)\w*-(\d+)$/, "$1$2$3");
        return {
            id: ctx.region,
            region: ctx.region,
            names: ["a", "b", "c"].map((z) => `${ctx.region}${z}`),
            zoneIds: [1, 2, 3].map((n) => `${short}-az${n}`),
            groupNames: [ctx.region],
            state: "available",
        };
    },
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
