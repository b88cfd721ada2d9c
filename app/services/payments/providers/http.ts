// HTTP to a provider's API: a timeout on every try (the whole exchange, body included), retries
// with exponential backoff and jitter, and a retry rule per request. A request the provider keys on
// our reference, or that only reads, is retried after any failure, over kept-alive connections.
// One it does not key (M-Pesa's STK push) goes on a connection of its own and is retried only when
// it certainly never reached the provider: the connection was never made, or the provider refused
// it with 429. After any other failure its outcome is unknown, and saying so is the honest answer:
// a blind retry could charge or prompt the customer twice. (A pooled connection the provider has
// closed while idle would make that unknowable, hence the connection of its own.)
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "http";
import { Agent as HttpsAgent, request as httpsRequest } from "https";
import type { z } from "zod";
import { OutcomeUnknown, ProviderUnavailable } from "./errors";
import type { ProviderName } from "./types";

export interface HttpPolicy {
    /** Per try, connection to last byte of the answer. */
    timeoutMs: number;
    /** Tries in all, the first included. */
    maxAttempts: number;
    /** The wait before the second try; doubled for each later one, with jitter. */
    backoffMs: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = { timeoutMs: 10_000, maxAttempts: 3, backoffMs: 250 };

/** `always`: safe to repeat. `unsent-only`: repeat only what provably never reached the provider. */
export type RetryRule = "always" | "unsent-only";

export interface ProviderRequest {
    /** Names the call in errors, e.g. "initialize transaction". */
    operation: string;
    method: "GET" | "POST";
    path: string;
    headers?: Record<string, string>;
    json?: unknown;
    retry: RetryRule;
    /** A 5xx that is an answer rather than a failure (M-Pesa says "still being processed" with a 500). */
    isAnswer?: (status: number, body: unknown) => boolean;
}

export interface ProviderResponse {
    status: number;
    /** Parsed JSON, or the text when the body is not JSON. */
    body: unknown;
}

export class ProviderHttp {
    private readonly base: URL;
    /** Kept-alive connections for the requests that are safe to repeat. */
    private readonly pool: HttpAgent;

    constructor(
        private readonly provider: ProviderName,
        baseUrl: string,
        private readonly policy: HttpPolicy,
    ) {
        this.base = new URL(baseUrl);
        this.pool =
            this.base.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    }

    async send(request: ProviderRequest): Promise<ProviderResponse> {
        const { maxAttempts, backoffMs } = this.policy;
        const unsentOnly = request.retry === "unsent-only";
        let lastProblem = "";
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2) * (0.5 + Math.random() / 2));
            let status: number;
            let body: unknown;
            try {
                const answer = await this.exchange(request, unsentOnly ? false : this.pool);
                status = answer.status;
                body = parseBody(answer.text);
            } catch (error) {
                // Anything but a TransportFailure (a bug here) counts as possibly sent.
                const failure = error instanceof TransportFailure ? error : new TransportFailure(String(error), true);
                lastProblem = failure.message;
                if (unsentOnly && failure.sent) {
                    throw new OutcomeUnknown(
                        this.provider,
                        `${request.operation}: ${failure.message}; the request may have reached the provider`,
                    );
                }
                continue;
            }
            const failed = status === 429 || (status >= 500 && !request.isAnswer?.(status, body));
            if (!failed) return { status, body };
            lastProblem = `HTTP ${status} ${summary(body)}`;
            if (unsentOnly && status !== 429) {
                throw new OutcomeUnknown(
                    this.provider,
                    `${request.operation}: ${lastProblem}; the provider may have acted on it`,
                );
            }
        }
        throw new ProviderUnavailable(
            this.provider,
            `${request.operation} failed ${maxAttempts} time(s); the last: ${lastProblem}`,
        );
    }

    /** One request and its whole answer within the timeout; a failure says whether anything was sent. */
    private exchange(request: ProviderRequest, agent: HttpAgent | false): Promise<{ status: number; text: string }> {
        // The base URL may carry a path (a proxy's prefix): the request's path goes after it.
        const url = new URL(this.base.pathname.replace(/\/+$/, "") + request.path, this.base);
        const body = request.json === undefined ? undefined : JSON.stringify(request.json);
        const headers = {
            accept: "application/json",
            ...(body === undefined
                ? {}
                : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
            ...request.headers,
        };
        const send = url.protocol === "https:" ? httpsRequest : httpRequest;
        return new Promise((resolve, reject) => {
            // Until the connection is made (TLS included) nothing of the request has left.
            let connected = false;
            const fail = (message: string) => reject(new TransportFailure(message, connected || agent !== false));
            const req = send(url, { method: request.method, headers, agent }, (response: IncomingMessage) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => {
                    clearTimeout(timer);
                    resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
                });
                response.on("error", (error) => fail(error.message));
            });
            const timer = setTimeout(() => {
                fail(`no answer within ${this.policy.timeoutMs} ms`);
                req.destroy();
            }, this.policy.timeoutMs);
            req.on("socket", (socket) => {
                if (!socket.connecting)
                    connected = true; // a kept-alive connection
                else socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => (connected = true));
            });
            req.on("error", (error: NodeJS.ErrnoException) => {
                clearTimeout(timer);
                fail([error.code, error.message].filter(Boolean).join(" "));
            });
            req.end(body);
        });
    }
}

class TransportFailure extends Error {
    constructor(
        message: string,
        /** The request may have reached the provider. */
        readonly sent: boolean,
    ) {
        super(message);
    }
}

/** Reads an answer the adapter relies on; an answer of another shape is the provider's fault, so retry later. */
export function expectAnswer<T>(provider: ProviderName, operation: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(body)").join(", ");
        throw new ProviderUnavailable(provider, `${operation}: unexpected answer (${fields}): ${summary(body)}`);
    }
    return parsed.data;
}

export function summary(body: unknown): string {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function parseBody(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
