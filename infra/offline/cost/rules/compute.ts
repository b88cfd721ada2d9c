import type { PlanResource } from "../../graph";
import { fixed, Outcome, PricingRule, RuleContext, usage } from "../model";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const FUNCTION = "aws:lambda/function:Function";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

/**
 * Lambda's SQS pollers: it starts with five, each long-polling (20 s) a queue with no messages,
 * so an idle mapping costs 5 × 3 ReceiveMessage calls a minute.
 */
const IDLE_POLLS_PER_HOUR = 5 * 3 * 60;

/** The minimum a scaling target keeps (the Auto Scaling target whose resource id came from it). */
export function scalingMinimum(resource: PlanResource, ctx: RuleContext): number | undefined {
    const target = ctx.links.dependents(resource, SCALING_TARGET, "resourceId")[0];
    return typeof target?.inputs.minCapacity === "number" ? target.inputs.minCapacity : undefined;
}

/** Tasks a service runs at least: its scaling minimum, else its desired count. */
export function serviceTasks(service: PlanResource, ctx: RuleContext): number {
    return (
        scalingMinimum(service, ctx) ??
        (typeof service.inputs.desiredCount === "number" ? service.inputs.desiredCount : 1)
    );
}

/** vCPUs and GB of a Fargate task definition, and its CPU architecture. */
export function taskSize(task: PlanResource): { vcpu: number; gb: number; arch: string } {
    const runtime = task.inputs.runtimePlatform as { cpuArchitecture?: string } | undefined;
    return {
        vcpu: Number(task.inputs.cpu) / 1024,
        gb: Number(task.inputs.memory) / 1024,
        arch: runtime?.cpuArchitecture ?? "X86_64",
    };
}

/** Invocations a month: one per order for API- and queue-triggered functions, per upload for S3, per run for schedules. */
export function functionInvocations(fn: PlanResource, ctx: RuleContext): number | string {
    const { ordersPerMonth, uploadsPerMonth } = ctx.usage;
    let invocations = 0;
    invocations += ctx.links.dependents(fn, MAPPING, "functionName").length * ordersPerMonth;
    invocations +=
        ctx.links.dependents(fn, "aws:apigatewayv2/integration:Integration", "integrationUri").length * ordersPerMonth;
    invocations += ctx.links.dependents(fn, "aws:s3/bucketNotification:BucketNotification").length * uploadsPerMonth;
    for (const schedule of ctx.links.dependents(fn, "aws:scheduler/schedule:Schedule", "target")) {
        const runs = scheduleRunsPerMonth(String(schedule.inputs.scheduleExpression), ctx.hours);
        if (runs === undefined)
            return `its schedule ${String(schedule.inputs.scheduleExpression)} (only rate(...) is estimated)`;
        invocations += runs;
    }
    return invocations;
}

/** Runs a month of a `rate(n unit)` schedule; undefined for cron and one-time schedules. */
export function scheduleRunsPerMonth(expression: string, hours: number): number | undefined {
    const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
    if (!match) return undefined;
    const minutes = Number(match[1]) * (match[2].startsWith("minute") ? 1 : match[2].startsWith("hour") ? 60 : 1440);
    return (hours * 60) / minutes;
}

/** A function sends e-mail when its role's policy allows SES sending: one e-mail per invocation. */
function sendsEmail(fn: PlanResource, ctx: RuleContext): boolean {
    const role = ctx.links.source(fn, "role", "aws:iam/role:Role");
    if (!role) return false;
    return ctx.links
        .dependents(role, "aws:iam/rolePolicy:RolePolicy", "role")
        .some((policy) => /"ses:Send(Raw)?Email"/.test(String(policy.inputs.policy)));
}

export const computeRules: Record<string, PricingRule> = {
    "aws:autoscaling/group:Group": (group, ctx): Outcome[] => {
        const template = ctx.links.source(group, "launchTemplate", LAUNCH_TEMPLATE);
        const instanceType = template?.inputs.instanceType;
        if (typeof instanceType !== "string")
            return [{ unpriced: "no launch template with an instance type in the plan" }];
        const instances = Number(group.inputs.minSize ?? 0);
        const outcomes: Outcome[] = [
            fixed(
                `${instances} × ${instanceType} instance hours (minimum size)`,
                instances * ctx.hours,
                `ec2.instance:${instanceType}`,
            ),
        ];
        type Volume = { ebs?: { volumeSize?: number; volumeType?: string } };
        for (const mapping of (template?.inputs.blockDeviceMappings ?? []) as Volume[]) {
            const size = Number(mapping.ebs?.volumeSize ?? 0);
            if (mapping.ebs?.volumeType !== "gp3")
                outcomes.push({ unpriced: `a ${String(mapping.ebs?.volumeType)} volume` });
            else outcomes.push(fixed(`${instances} × ${size} GB gp3 root volume`, instances * size, "ebs.gp3"));
        }
        return outcomes;
    },

    "aws:ecs/service:Service": (service, ctx): Outcome[] => {
        const task = ctx.links.source(service, "taskDefinition", TASK_DEFINITION);
        if (!task) return [{ unpriced: "no task definition in the plan" }];
        if (
            service.inputs.launchType !== undefined &&
            service.inputs.launchType !== "FARGATE" &&
            !service.inputs.capacityProviderStrategies
        )
            return [{ unpriced: `launch type ${String(service.inputs.launchType)}` }];
        const tasks = serviceTasks(service, ctx);
        const { vcpu, gb, arch } = taskSize(task);
        return [
            fixed(
                `${tasks} task(s) × ${vcpu} vCPU (${arch}, scaling minimum)`,
                tasks * vcpu * ctx.hours,
                `fargate.vcpu:${arch}`,
            ),
            fixed(`${tasks} task(s) × ${gb} GB`, tasks * gb * ctx.hours, `fargate.memory:${arch}`),
        ];
    },

    [FUNCTION]: (fn, ctx): Outcome[] => {
        const invocations = functionInvocations(fn, ctx);
        if (typeof invocations === "string") return [{ unpriced: invocations }];
        const arch = ((fn.inputs.architectures as string[] | undefined) ?? ["x86_64"])[0];
        const memoryGb = Number(fn.inputs.memorySize ?? 128) / 1024;
        const outcomes: Outcome[] = [
            usage(`${Math.round(invocations)} invocations`, invocations / 1e6, "lambda.requests"),
            usage(
                `${Math.round(invocations)} × ${ctx.usage.lambdaAverageMs} ms × ${memoryGb} GB`,
                (invocations * ctx.usage.lambdaAverageMs * memoryGb) / 1000,
                `lambda.duration:${arch}`,
            ),
        ];
        if ((fn.inputs.tracingConfig as { mode?: string } | undefined)?.mode === "Active")
            outcomes.push(usage("X-Ray traces, one per invocation", invocations / 1e6, "xray.traces"));
        if (sendsEmail(fn, ctx))
            outcomes.push(usage("SES e-mails, one per invocation", invocations / 1e3, "ses.outboundEmail"));
        return outcomes;
    },

    [MAPPING]: (mapping, ctx): Outcome[] => {
        if (!ctx.links.source(mapping, "eventSourceArn", "aws:sqs/queue:Queue"))
            return [{ unpriced: "a source other than SQS" }];
        return [
            fixed(
                "SQS long polls of an idle queue (5 pollers)",
                (IDLE_POLLS_PER_HOUR * ctx.hours) / 1e6,
                "sqs.requests",
            ),
        ];
    },

    "aws:scheduler/schedule:Schedule": (schedule, ctx): Outcome[] => {
        const runs = scheduleRunsPerMonth(String(schedule.inputs.scheduleExpression), ctx.hours);
        if (runs === undefined)
            return [
                { unpriced: `schedule ${String(schedule.inputs.scheduleExpression)} (only rate(...) is estimated)` },
            ];
        return [fixed(`${Math.round(runs)} runs`, runs / 1e6, "scheduler.invocations")];
    },

    "aws:sqs/queue:Queue": (queue, ctx): Outcome[] => {
        const consumers = ctx.links.dependents(queue, MAPPING, "eventSourceArn").length;
        const messages = consumers * ctx.usage.ordersPerMonth;
        return [
            usage(
                `${messages} messages × 2 requests (send, delete)${consumers ? "" : ": no consumer, a dead-letter queue"}`,
                (messages * 2) / 1e6,
                "sqs.requests",
            ),
        ];
    },
};
