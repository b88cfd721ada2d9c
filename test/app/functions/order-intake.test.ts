import * as assert from "assert";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { randomUUID } from "crypto";
import { createOrderIntake, orderIdFor, readOrderIntakeConfig } from "../../../app/functions/order-intake";
import { OrderMessage } from "../../../app/functions/order-processor/order-message";
import { configProblems } from "./support/fixtures";
import { lambdaContext, TestQueues, type TestQueue } from "./support/queues";
import { connectServices, type ConnectedServices } from "../support/services";

/** What API Gateway (payload 2.0, JWT authorizer) hands the function for POST /orders. */
function request(
    body: unknown,
    options: { claims?: Record<string, string>; headers?: Record<string, string>; base64?: boolean } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return {
        version: "2.0",
        routeKey: "POST /orders",
        rawPath: "/orders",
        rawQueryString: "",
        headers: { "content-type": "application/json", ...options.headers },
        body: options.base64 ? Buffer.from(text).toString("base64") : text,
        isBase64Encoded: options.base64 ?? false,
        requestContext: {
            accountId: "000000000000",
            apiId: "api",
            domainName: "api.example",
            domainPrefix: "api",
            requestId: randomUUID(),
            routeKey: "POST /orders",
            stage: "$default",
            time: "",
            timeEpoch: Date.now(),
            http: { method: "POST", path: "/orders", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
            authorizer: {
                principalId: "",
                integrationLatency: 0,
                jwt: { claims: options.claims ?? { sub: "cust-42", email: "thandi@example.co.za" }, scopes: [] },
            },
        },
    } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const ORDER = { currency: "KES", lines: [{ sku: "TSHIRT-M", quantity: 2 }], payment: { token: "tok_sandbox_visa" } };

describe("order-intake (SQS emulator)", function () {
    let services: ConnectedServices;
    let queues: TestQueues;
    let orders: TestQueue;

    const intake = (url = orders.url) => createOrderIntake(readOrderIntakeConfig({ ORDERS_QUEUE_URL: url }));
    const post = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, url?: string) => {
        const response = (await intake(url).handle(
            event,
            lambdaContext("order-intake"),
        )) as APIGatewayProxyStructuredResultV2;
        return {
            status: response.statusCode,
            body: JSON.parse(response.body ?? "null"),
            headers: response.headers ?? {},
        };
    };
    const queued = async () => (await queues.receive(orders.url, 10, 30)).map((m) => JSON.parse(m.Body!));

    before(async function () {
        services = await connectServices();
        queues = new TestQueues();
    });

    beforeEach(async function () {
        orders = await queues.create("orders");
    });

    after(async function () {
        await services?.local.stop();
    });

    it("queues a valid order for the signed-in customer and answers 202 with its id at once", async function () {
        const { status, body, headers } = await post(
            request({ ...ORDER, cartId: randomUUID(), customer: { id: "someone-else" } }),
        );

        assert.strictEqual(status, 202);
        assert.match(body.orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(headers.location, `/api/orders/${body.orderId}`);
        const [message] = await queued();
        // The processor's own contract accepts it; the customer is the token's, never the body's.
        assert.ok(OrderMessage.safeParse(message).success);
        assert.deepStrictEqual(
            [message.orderId, message.currency, message.customer, message.lines, message.payment],
            [
                body.orderId,
                "KES",
                { id: "cust-42", email: "thandi@example.co.za", notify: "email" },
                ORDER.lines,
                ORDER.payment,
            ],
        );
    });

    it("gives the same order id for the same Idempotency-Key of the same customer, and another for another customer", async function () {
        const key = { "idempotency-key": "checkout-7f3a" };
        const first = await post(request(ORDER, { headers: key }));
        const retry = await post(request(ORDER, { headers: key }));
        const other = await post(
            request(ORDER, { headers: key, claims: { sub: "cust-77", email: "sipho@example.co.za" } }),
        );

        assert.deepStrictEqual([first.status, retry.status, other.status], [202, 202, 202]);
        assert.strictEqual(retry.body.orderId, first.body.orderId);
        assert.notStrictEqual(other.body.orderId, first.body.orderId);
        assert.strictEqual(first.body.orderId, orderIdFor("cust-42", "checkout-7f3a"));
        assert.match(first.body.orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        // Both copies are queued: the processor's idempotency places the order once.
        assert.deepStrictEqual(
            (await queued()).map((m) => m.orderId).sort(),
            [first.body.orderId, first.body.orderId, other.body.orderId].sort(),
        );
    });

    it("takes the contact from the body when the token carries no e-mail (access tokens), and reads base64 bodies", async function () {
        const { status } = await post(
            request(
                { ...ORDER, contact: { email: "lerato@example.co.za", phone: "+27821234567", notify: "sms" } },
                { claims: { sub: "cust-9" }, base64: true },
            ),
        );

        assert.strictEqual(status, 202);
        const [message] = await queued();
        assert.deepStrictEqual(message.customer, {
            id: "cust-9",
            email: "lerato@example.co.za",
            phone: "+27821234567",
            notify: "sms",
        });
    });

    it("refuses an invalid order with 400 and every problem, and queues nothing", async function () {
        const { status, body } = await post(
            request({ currency: "EUR", lines: [{ sku: "tshirt", quantity: 0 }], payment: {} }),
        );

        assert.strictEqual(status, 400);
        assert.strictEqual(body.message, "the order is not valid");
        assert.deepStrictEqual(body.problems.map((p: string) => p.split(":")[0]).sort(), [
            "currency",
            "lines.0.quantity",
            "lines.0.sku",
            "payment.token",
        ]);
        for (const bad of [
            request("{not json"),
            request([ORDER]),
            request(ORDER, { headers: { "idempotency-key": "has spaces in it" } }),
        ]) {
            assert.strictEqual((await post(bad)).status, 400);
        }
        assert.strictEqual(await queues.depth(orders.url), 0);
    });

    it("refuses a request without a customer (401) rather than trust the route to have checked", async function () {
        const { status } = await post(request(ORDER, { claims: {} }));
        assert.strictEqual(status, 401);
        assert.strictEqual(await queues.depth(orders.url), 0);
    });

    it("answers 503 (retry with the same key) when the queue does not take the order", async function () {
        const { status, headers } = await post(request(ORDER), `${orders.url}-missing`);
        assert.deepStrictEqual([status, headers["retry-after"]], [503, "1"]);
    });

    it("names a missing queue URL", function () {
        assert.deepStrictEqual(
            configProblems(() => readOrderIntakeConfig({})),
            ["ORDERS_QUEUE_URL is not set"],
        );
    });
});
