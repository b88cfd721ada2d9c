import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BudgetSettings } from "../config";

export interface CostBudgetArgs {
    namePrefix: string;
    /** The stack name, the value of the Stack cost-allocation tag. */
    stack: string;
    settings: BudgetSettings;
    alertTopicArn: pulumi.Input<string>;
}

/**
 * A monthly AWS Budgets cost budget that warns the alert topic when the month's forecast passes
 * 80 % of the limit and again when actual spend passes 100 %.
 */
export class CostBudget extends pulumi.ComponentResource {
    constructor(name: string, args: CostBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:observability:CostBudget", name, {}, opts);
        const notify = (notificationType: "FORECASTED" | "ACTUAL", threshold: number) => ({
            notificationType,
            threshold,
            thresholdType: "PERCENTAGE",
            comparisonOperator: "GREATER_THAN",
            subscriberSnsTopicArns: [args.alertTopicArn],
        });
        new aws.budgets.Budget(
            `${name}-monthly-cost`,
            {
                name: `${args.namePrefix}-monthly-cost`,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: args.settings.monthlyLimitUsd.toFixed(2),
                limitUnit: "USD",
                // Per stack: only costs tagged Stack=<stack>; the tag must be activated for cost allocation in Billing.
                costFilters:
                    args.settings.scope === "stack"
                        ? [{ name: "TagKeyValue", values: [`user:Stack$${args.stack}`] }]
                        : undefined,
                notifications: [notify("FORECASTED", 80), notify("ACTUAL", 100)],
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
