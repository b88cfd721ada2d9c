import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface WorkloadSecurityGroupsArgs {
    vpcId: pulumi.Input<string>;
    workloads: readonly string[];
}

/**
 * One security group per workload, with no rules: the tier that owns a destination adds the
 * ingress it admits (naming these groups as sources) and the workload's tier adds its egress.
 * No egress rule exists until one is added (the provider removes AWS's default allow-all).
 */
export class WorkloadSecurityGroups extends pulumi.ComponentResource {
    private readonly groups = new Map<string, aws.ec2.SecurityGroup>();

    constructor(name: string, args: WorkloadSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:network:WorkloadSecurityGroups", name, {}, opts);
        const duplicate = args.workloads.find((w, i) => args.workloads.indexOf(w) !== i);
        if (duplicate) throw new Error(`WorkloadSecurityGroups ${name}: workload ${duplicate} is listed twice`);

        for (const workload of args.workloads) {
            this.groups.set(
                workload,
                new aws.ec2.SecurityGroup(
                    `${name}-${workload}`,
                    {
                        vpcId: args.vpcId,
                        description: `Workload ${workload}; each rule is owned by the tier it connects to`,
                        revokeRulesOnDelete: true,
                        tags: { Name: `${name}-${workload}`, Workload: workload },
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs(Object.fromEntries([...this.groups].map(([w, sg]) => [w, sg.id])));
    }

    /** The security group id of a workload; an unknown workload is a bug. */
    id(workload: string): pulumi.Output<string> {
        const group = this.groups.get(workload);
        if (!group)
            throw new Error(
                `No security group for workload ${workload} (known: ${[...this.groups.keys()].join(", ")})`,
            );
        return group.id;
    }
}
