// dlq-redrive: invoked on request (console, CLI, a runbook) or on a schedule for the report.
//   {"action": "report"}                                  every configured DLQ
//   {"action": "report", "queue": "orders", "sampleSize": 50}
//   {"action": "redrive", "queue": "orders", "maxMessages": 500}
// Only the queues named in REDRIVE_QUEUES can be read or redriven. The report also publishes
// each DLQ's depth as the DeadLetterMessages metric (dimension "queue").
//
// Why not SQS's own StartMessageMoveTask: it returns messages to the queue SQS moved them from,
// which messages parked by a handler (PermanentFailure) do not have, and it keeps our failure
// attributes. For a very large backlog of SQS-moved messages the console's "Start DLQ redrive"
// remains available.
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { z } from "zod";
import { EnvReader, once, type Env } from "../../shared/env";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { redrive, reportDeadLetters, type DeadLetterReport, type QueuePair, type RedriveResult } from "./dead-letters";

const QueueUrl = z
    .url({ protocol: /^https?$/ })
    .refine((url) => !url.endsWith(".fifo"), "FIFO queues are not supported (the platform's queues are standard)");
const RedriveQueues = z.record(
    z.string().regex(/^[a-z0-9-]+$/),
    z.object({ deadLetterQueueUrl: QueueUrl, sourceQueueUrl: QueueUrl }),
);

const Request = z.discriminatedUnion("action", [
    z.object({
        action: z.literal("report"),
        queue: z.string().optional(),
        sampleSize: z.number().int().min(1).max(100).default(20),
    }),
    z.object({
        action: z.literal("redrive"),
        queue: z.string(),
        maxMessages: z.number().int().min(1).max(100_000).default(100),
    }),
]);
export type RedriveRequest = z.input<typeof Request>;

export interface DlqRedriveConfig {
    queues: Record<string, QueuePair>;
}

/** REDRIVE_QUEUES: {"orders": {"deadLetterQueueUrl": "...", "sourceQueueUrl": "..."}, ...}. */
export function readDlqRedriveConfig(env?: Env): DlqRedriveConfig {
    const r = new EnvReader(env);
    const queues = r.json("REDRIVE_QUEUES", (value) => {
        const parsed = RedriveQueues.safeParse(value);
        if (!parsed.success)
            throw new Error(
                parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
            );
        return parsed.data;
    });
    r.done();
    return { queues: queues! };
}

export function createDlqRedrive(config: DlqRedriveConfig, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("dlq-redrive");
    const sqs = new SQSClient({});

    const pairOf = (queue: string): QueuePair => {
        const pair = config.queues[queue];
        if (!pair)
            throw new Error(`unknown queue "${queue}"; this function serves: ${Object.keys(config.queues).join(", ")}`);
        return pair;
    };

    const handle = (event: unknown, context?: Context): Promise<DeadLetterReport[] | RedriveResult> =>
        instrumented(obs, context, async () => {
            const parsed = Request.safeParse(event);
            if (!parsed.success)
                throw new Error(
                    `invalid request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(request)"}: ${i.message}`).join("; ")}`,
                );
            const request = parsed.data;
            if (request.action === "redrive") {
                const result = await redrive(
                    sqs,
                    request.queue,
                    pairOf(request.queue),
                    request.maxMessages,
                    () => context?.getRemainingTimeInMillis() ?? 60_000,
                );
                obs.logger.info("dead letters redriven", { ...result });
                return result;
            }
            const names = request.queue ? [request.queue] : Object.keys(config.queues);
            const reports: DeadLetterReport[] = [];
            for (const name of names) {
                const report = await reportDeadLetters(sqs, name, pairOf(name), request.sampleSize);
                const metric = obs.metrics.singleMetric();
                metric.addDimension("queue", name);
                metric.addMetric("DeadLetterMessages", MetricUnit.Count, report.visible + report.inFlight);
                reports.push(report);
            }
            obs.logger.info("dead-letter report", { reports });
            return reports;
        });

    return { handle };
}

const instance = once(() => createDlqRedrive(readDlqRedriveConfig()));

export const handler = (event: unknown, context: Context): Promise<DeadLetterReport[] | RedriveResult> =>
    instance().handle(event, context);
