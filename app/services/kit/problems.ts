// The one error shape every service answers with: RFC 9457 problem details
// (application/problem+json). A handler throws a Problem; anything else becomes a 500 whose
// detail says nothing about the cause (no stack trace, no SQL), and the request id in the body
// finds the cause in the logs.
import { Type, type Static } from "typebox";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** `type` URIs: stable names a client may switch on (not meant to be dereferenced). */
const typeUri = (slug: string) => `urn:shop:problem:${slug}`;

export const ProblemSchema = Type.Object(
    {
        type: Type.String({ description: "a stable URI naming the kind of problem" }),
        title: Type.String(),
        status: Type.Integer(),
        detail: Type.Optional(Type.String()),
        instance: Type.Optional(Type.String({ description: "the request path" })),
        requestId: Type.String({ description: "quote it to support: it finds the request in the logs" }),
        errors: Type.Optional(
            Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
                description: "each invalid field (validation problems)",
            }),
        ),
    },
    { $id: "Problem", title: "Problem details (RFC 9457)" },
);
export type ProblemBody = Static<typeof ProblemSchema>;

export interface FieldError {
    field: string;
    message: string;
}

export class Problem extends Error {
    constructor(
        readonly status: number,
        readonly slug: string,
        readonly title: string,
        readonly detail?: string,
        readonly errors?: FieldError[],
        /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
        readonly headers: Record<string, string> = {},
    ) {
        super(detail ?? title);
        this.name = "Problem";
    }

    get type(): string {
        return typeUri(this.slug);
    }

    body(requestId: string, instance: string): ProblemBody {
        return {
            type: this.type,
            title: this.title,
            status: this.status,
            ...(this.detail ? { detail: this.detail } : {}),
            instance,
            requestId,
            ...(this.errors ? { errors: this.errors } : {}),
        };
    }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
    new Problem(400, "invalid-request", "The request is not valid", detail, errors);

/** No valid token: the client must sign in (again). */
export const unauthorized = (detail: string) =>
    new Problem(401, "unauthorized", "Sign-in required", detail, undefined, {
        "www-authenticate": 'Bearer error="invalid_token"',
    });

export const forbidden = (detail: string) => new Problem(403, "forbidden", "Not allowed", detail);

export const notFound = (detail: string) => new Problem(404, "not-found", "Not found", detail);

export const conflict = (detail: string) => new Problem(409, "conflict", "Conflict", detail);

/** Well-formed, but it names something that does not exist or breaks a rule of the data. */
export const unprocessable = (detail: string) => new Problem(422, "unprocessable", "Cannot be applied", detail);

export const unavailable = (detail: string, retryAfterSeconds = 5) =>
    new Problem(503, "unavailable", "Temporarily unavailable", detail, undefined, {
        "retry-after": String(retryAfterSeconds),
    });

export const internalError = () =>
    new Problem(
        500,
        "internal",
        "Internal error",
        "Something went wrong on our side; quote the request id to support.",
    );
