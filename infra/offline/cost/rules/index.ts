import type { PricingRule } from "../model";
import { computeRules } from "./compute";
import { dataRules } from "./data";
import { edgeRules } from "./edge";
import { networkRules } from "./network";
import { observabilityRules } from "./observability";

export { FREE_TYPES } from "./free";

/** The pricing rule of every priced resource type. */
export const PRICING_RULES: Readonly<Record<string, PricingRule>> = {
    ...networkRules,
    ...computeRules,
    ...dataRules,
    ...edgeRules,
    ...observabilityRules,
};
