// The HTTP side every service shares: fastify with TypeBox schemas (validation, serialization
// and the OpenAPI document from one schema), problem details as the one error shape, request
// ids, one structured access log line per request, `GET /healthz` (200 only while PostgreSQL
// answers) and the OpenAPI document at `/<service>/openapi.json`.
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { randomUUID } from "crypto";
import Fastify, {
    LogController,
    type FastifyBaseLogger,
    type FastifyError,
    type FastifyInstance,
    type FastifyReply,
    type FastifyRequest,
    type RawReplyDefaultExpression,
    type RawRequestDefaultExpression,
    type RawServerDefault,
} from "fastify";
import type { Logger } from "pino";
import { Type, type TSchema } from "typebox";
import { badRequest, internalError, notFound, Problem, PROBLEM_CONTENT_TYPE, ProblemSchema } from "./problems";
import type { ServiceName } from "./settings";

export type ServiceApp = FastifyInstance<
    RawServerDefault,
    RawRequestDefaultExpression,
    RawReplyDefaultExpression,
    FastifyBaseLogger,
    TypeBoxTypeProvider
>;

/** Health of what a service depends on; only the database decides readiness. */
export interface HealthProbe {
    /** PostgreSQL answers within the health check's time. */
    database(): Promise<boolean>;
    /** The cache's state: reported, never fatal (the service serves from PostgreSQL without it). */
    cache(): "up" | "down";
}

export interface ServiceAppOptions {
    service: ServiceName;
    version: string;
    description: string;
    logger: Logger;
    health: HealthProbe;
}

/** A client's or the load balancer's request id is kept if it looks like one; else a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:=;-]{8,128}$/;

export const HealthSchema = Type.Object({
    status: Type.Union([Type.Literal("ok"), Type.Literal("unavailable")]),
    database: Type.Union([Type.Literal("up"), Type.Literal("down")]),
    cache: Type.Union([Type.Literal("up"), Type.Literal("down")]),
});

/** The problem responses a route documents, e.g. problemResponses(400, 404). */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
    return Object.fromEntries(statuses.map((status) => [status, Type.Unsafe({ $ref: "Problem#" })]));
}

export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
    const app = Fastify({
        loggerInstance: options.logger as FastifyBaseLogger,
        // One access log line per request (onResponse below) instead of fastify's two.
        logController: new LogController({ disableRequestLogging: true }),
        genReqId: (request) => {
            const given = request.headers["x-request-id"];
            return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        },
        // The internal load balancer is the only way in; its X-Forwarded-For names the client.
        trustProxy: true,
        bodyLimit: 256 * 1024,
        ajv: {
            // Unknown fields are an error, not silently dropped; query strings are coerced.
            customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: true },
        },
        routerOptions: { ignoreTrailingSlash: true },
    }).withTypeProvider<TypeBoxTypeProvider>();

    app.addSchema(ProblemSchema);
    await app.register(swagger, {
        openapi: {
            openapi: "3.1.0",
            info: { title: `${options.service} service`, version: options.version, description: options.description },
            components: {
                securitySchemes: {
                    cognito: { type: "http", scheme: "bearer", bearerFormat: "JWT (Cognito access token)" },
                },
            },
        },
        refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });

    app.addHook("onRequest", async (request, reply) => {
        reply.header("x-request-id", request.id);
    });
    // The log level is fixed at start: without info logs, nothing is built per request.
    if (options.logger.isLevelEnabled("info"))
        app.addHook("onResponse", async (request, reply) => {
            request.log.info(
                {
                    method: request.method,
                    route: request.routeOptions.url,
                    path: request.url.split("?")[0],
                    status: reply.statusCode,
                    durationMs: Math.round(reply.elapsedTime * 10) / 10,
                    client: request.ip,
                    sub: request.principal?.sub,
                    userAgent: request.headers["user-agent"],
                },
                "request",
            );
        });

    app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendProblem(request, reply, error));
    app.setNotFoundHandler((request, reply) =>
        sendProblem(request, reply, notFound(`no route ${request.method} ${request.url.split("?")[0]}`)),
    );

    app.get(`/${options.service}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

    app.get(
        "/healthz",
        { schema: { hide: true, response: { 200: HealthSchema, 503: HealthSchema } } },
        async (_request, reply) => {
            const database = await options.health.database();
            return reply.code(database ? 200 : 503).send({
                status: database ? "ok" : "unavailable",
                database: database ? "up" : "down",
                cache: options.health.cache(),
            });
        },
    );
    return app;
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, error: FastifyError | Problem): FastifyReply {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.debug({ err: error }, "request refused");
    return reply
        .code(problem.status)
        .headers(problem.headers)
        .type(PROBLEM_CONTENT_TYPE)
        .header("cache-control", "no-store")
        .send(JSON.stringify(problem.body(request.id, request.url.split("?")[0])));
}

/** A Problem as thrown; fastify's own errors (validation, body, content type) by their status. */
function toProblem(error: FastifyError | Problem): Problem {
    if (error instanceof Problem) return error;
    if (error.validation) {
        return badRequest(
            `the ${error.validationContext ?? "request"} is not valid`,
            error.validation.map((issue) => ({
                field: `${error.validationContext ?? "request"}${issue.instancePath.replace(/\//g, ".")}${
                    issue.keyword === "required"
                        ? `.${(issue.params as { missingProperty: string }).missingProperty}`
                        : ""
                }${issue.keyword === "additionalProperties" ? `.${(issue.params as { additionalProperty: string }).additionalProperty}` : ""}`,
                message: issue.message ?? "is not valid",
            })),
        );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
        // Fastify's client errors (a malformed body, a wrong content type, too large): their
        // messages describe the request, never the server.
        return new Problem(status, "invalid-request", "The request is not valid", error.message);
    }
    return internalError();
}
