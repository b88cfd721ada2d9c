// order-intake: POST /orders on the HTTP API, behind the Cognito JWT authorizer. It checks the
// order against the orders queue's contract, chooses the order id, puts the order on the queue and
// answers 202 {"orderId"} at once; order-processor does the rest (stock, payment, database).
//  - The customer is the token's subject, never a field of the body; the e-mail address comes
//    from the token when it carries one (ID tokens), else from the body's contact.
//  - The order id is the idempotency key of everything downstream. With an `Idempotency-Key`
//    header the id is derived from the customer and the key, so a retried POST (a timeout, a
//    double click) names the same order and the processor places it once; without one it is random.
//  - Prices never come from the client: the processor charges the catalogue's price of each SKU
//    in the order's `currency` (the one the customer shops in), read from the database.
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { createHash, randomUUID } from "crypto";
import { EnvReader, once, type Env } from "../../shared/env";
import { instrumented, MetricUnit, observability, type Observability } from "../shared/observability";
import { OrderMessage } from "../order-processor/order-message";

export interface OrderIntakeConfig {
    ordersQueueUrl: string;
}

/** The environment contract; see app/functions/README.md. */
export function readOrderIntakeConfig(env?: Env): OrderIntakeConfig {
    const r = new EnvReader(env);
    const config = { ordersQueueUrl: r.string("ORDERS_QUEUE_URL") };
    r.done();
    return config;
}

/** Fixed namespace of the ids derived from idempotency keys (UUID version 5, RFC 9562). */
const ORDER_ID_NAMESPACE = "5b0c51f4-6c1e-4d3a-9f53-2a6f3c1e8d47";
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The order id for a customer's idempotency key: the same key of the same customer, the same id. */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
    const hash = createHash("sha1")
        .update(Buffer.from(ORDER_ID_NAMESPACE.replace(/-/g, ""), "hex"))
        .update(`${customerId}\n${idempotencyKey}`)
        .digest();
    hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
    hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
    const hex = hash.subarray(0, 16).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Response = APIGatewayProxyStructuredResultV2;

function parseObject(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : undefined;
    } catch {
        return undefined;
    }
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Response => ({
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
});

export function createOrderIntake(config: OrderIntakeConfig, deps: { obs?: Observability } = {}) {
    const obs = deps.obs ?? observability("order-intake");
    const sqs = new SQSClient({});

    const accept = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<Response> => {
        const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
        const customerId = typeof claims.sub === "string" ? claims.sub : "";
        if (!customerId) return json(401, { message: "sign in to place an order" });

        const body = parseObject(
            event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? ""),
        );
        if (!body) return json(400, { message: "the body must be a JSON object" });

        const key = event.headers?.["idempotency-key"];
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
            return json(400, { message: "Idempotency-Key must be 1-255 printable characters without spaces" });
        }
        const contact = (typeof body.contact === "object" && body.contact !== null ? body.contact : {}) as Record<
            string,
            unknown
        >;
        const candidate = {
            version: 1,
            orderId: key ? orderIdFor(customerId, key) : randomUUID(),
            placedAt: new Date().toISOString(),
            cartId: body.cartId,
            currency: body.currency,
            customer: {
                id: customerId,
                email: typeof claims.email === "string" ? claims.email : contact.email,
                phone: contact.phone,
                notify: contact.notify,
            },
            lines: body.lines,
            payment: body.payment,
        };
        const parsed = OrderMessage.safeParse(candidate);
        if (!parsed.success) {
            const problems = parsed.error.issues.map(
                (issue) => `${issue.path.join(".") || "(order)"}: ${issue.message}`,
            );
            return json(400, { message: "the order is not valid", problems });
        }

        const order = parsed.data;
        try {
            await sqs.send(
                new SendMessageCommand({ QueueUrl: config.ordersQueueUrl, MessageBody: JSON.stringify(order) }),
            );
        } catch (error) {
            // The client may retry with the same Idempotency-Key: at worst the order is queued twice and placed once.
            obs.logger.error("the orders queue did not take the order", {
                orderId: order.orderId,
                error: error as Error,
            });
            return json(
                503,
                { message: "orders cannot be taken right now; retry with the same Idempotency-Key" },
                { "retry-after": "1" },
            );
        }
        obs.logger.info("order accepted", {
            orderId: order.orderId,
            lines: order.lines.length,
            idempotencyKey: key !== undefined,
        });
        obs.metrics.addMetric("OrdersAccepted", MetricUnit.Count, 1);
        return json(202, { orderId: order.orderId }, { location: `/api/orders/${order.orderId}` });
    };

    const handle = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context?: Context): Promise<Response> =>
        instrumented(obs, context, () => accept(event));

    return { handle };
}

const instance = once(() => createOrderIntake(readOrderIntakeConfig()));

export const handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<Response> =>
    instance().handle(event, context);
