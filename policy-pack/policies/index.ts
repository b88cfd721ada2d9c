import { PolicyPackArgs, Policies } from "@pulumi/policy";
import { edgePolicies } from "./edge";
import { encryptionAtRestPolicies } from "./encryption-at-rest";
import { encryptionInTransitPolicies } from "./encryption-in-transit";
import { identityPolicies } from "./identity";
import { loggingPolicies } from "./logging";
import { multiAzPolicies } from "./multi-az";
import { privateNetworkPolicies } from "./private-network";
import { resiliencePolicies } from "./resilience";
import { taggingPolicies } from "./tagging";
import { workloadHardeningPolicies } from "./workload-hardening";

/** Every policy of the pack, grouped by mandate: the three mandates first, then the rules around them. */
export const policies: Policies = [
    ...encryptionAtRestPolicies,
    ...encryptionInTransitPolicies,
    ...privateNetworkPolicies,
    ...multiAzPolicies,
    ...resiliencePolicies,
    ...loggingPolicies,
    ...identityPolicies,
    ...workloadHardeningPolicies,
    ...edgePolicies,
    ...taggingPolicies,
];

export const PACK: { name: string; args: Omit<PolicyPackArgs, "policies"> } = {
    name: "shop-platform",
    args: {
        displayName: "shop platform guardrails",
        description:
            "Encryption at rest and in transit, no public reachability, multi-AZ, and the safety rules around them, for the shop platform on AWS.",
        provider: "aws",
        tags: ["aws", "security", "resilience", "fsbp"],
        // Every policy sets its own level; this applies only to a policy that would not.
        enforcementLevel: "advisory",
    },
};
