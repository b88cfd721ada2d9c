// The HTTP side every provider simulator shares (node:http, loopback): routing, the planned
// request faults (a stall, a slow or an error answer), a log of the requests, and a control API
// for tests and local runs that cannot call the simulator's methods:
//   GET  /_sim/ledger            what the simulator holds (transactions, refunds, deliveries, requests)
//   POST /_sim/faults            {"request": {"route", "fault", "times"}} or {"event": {"fault", "times"}}
//   DELETE /_sim/faults          forget the planned faults
//   POST /_sim/held/release      {"order": "fifo" | "reverse"}: send the held events
// stop() destroys open connections: a request in progress sees the server go away.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo, Socket } from "net";
import { DEFAULT_DELIVERY, Deliverer, sleep, type DeliveryOptions } from "./deliveries";
import { Faults, type EventFault, type RequestFault } from "./faults";

export interface SimRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: IncomingMessage["headers"];
    rawBody: Buffer;
    /** The groups the route's pattern captured. */
    params: string[];
}

export type SimResponse =
    { status: number; json: unknown } | { status: number; html: string } | { status: 303; location: string };

export interface Route {
    /** Names the route in faults and in the request log, e.g. "initialize". */
    name: string;
    method: "GET" | "POST";
    pattern: RegExp;
    handle(request: SimRequest): SimResponse | Promise<SimResponse>;
}

export interface LoggedRequest {
    route: string;
    method: string;
    path: string;
    body: unknown;
    at: string;
}

export abstract class ProviderSimulator {
    readonly faults = new Faults();
    readonly requests: LoggedRequest[] = [];
    protected readonly deliverer: Deliverer;
    private server?: Server;
    private readonly sockets = new Set<Socket>();
    private port = 0;

    constructor(delivery: Partial<DeliveryOptions> = {}) {
        this.deliverer = new Deliverer({ ...DEFAULT_DELIVERY, ...delivery });
    }

    /** The provider's routes. */
    protected abstract routes(): Route[];
    /** The provider's own shape of an error answer, for planned `error` faults. */
    protected abstract errorAnswer(status: number): unknown;
    /** What the simulator holds, as plain data. */
    abstract ledger(): object;

    get url(): string {
        if (!this.server) throw new Error("the simulator is not running");
        return `http://127.0.0.1:${this.port}`;
    }

    /** Listens on loopback (the port it had before when restarted, else a free one); returns the base URL. */
    async start(port = this.port): Promise<string> {
        const server = createServer((request, response) => void this.dispatch(request, response));
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(port, "127.0.0.1", resolve);
        });
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        return this.url;
    }

    /** Stops at once, cutting requests in progress; the ledger stays for a restart. */
    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        await closed;
    }

    /** Resolves when no event is being sent. */
    settled(): Promise<void> {
        return this.deliverer.settled();
    }

    /** Sends the held events; returns how many. */
    releaseHeld(order: "fifo" | "reverse" = "fifo"): number {
        return this.deliverer.releaseHeld(order);
    }

    get deliveries() {
        return this.deliverer.log;
    }

    private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
        try {
            const rawBody = await readBody(request);
            const url = new URL(request.url ?? "/", "http://simulator");
            const simRequest = { method: request.method ?? "GET", path: url.pathname, query: url.searchParams };
            const control = this.control(simRequest.method, simRequest.path, rawBody);
            if (control) return send(response, control);
            for (const route of this.routes()) {
                const match = route.method === simRequest.method ? route.pattern.exec(url.pathname) : null;
                if (!match) continue;
                this.requests.push({
                    route: route.name,
                    method: simRequest.method,
                    path: url.pathname + url.search,
                    body: parseJson(rawBody),
                    at: new Date().toISOString(),
                });
                return await this.answer(
                    route,
                    { ...simRequest, headers: request.headers, rawBody, params: match.slice(1) },
                    response,
                );
            }
            send(response, { status: 404, json: { message: `no route ${simRequest.method} ${url.pathname}` } });
        } catch (error) {
            if (!response.headersSent) send(response, { status: 500, json: { message: (error as Error).message } });
        }
    }

    private async answer(route: Route, request: SimRequest, response: ServerResponse): Promise<void> {
        const fault: RequestFault | undefined = this.faults.takeRequest(route.name);
        if (fault?.kind === "error")
            return send(response, { status: fault.status, json: this.errorAnswer(fault.status) });
        // A stalled request is never answered: the caller times out, or stop() cuts it.
        if (fault?.kind === "stall" && fault.phase === "before") return;
        const result = await route.handle(request);
        if (fault?.kind === "stall") return;
        if (fault?.kind === "slow") await sleep(fault.delayMs);
        if (!response.destroyed) send(response, result);
    }

    private control(method: string, path: string, rawBody: Buffer): SimResponse | undefined {
        if (!path.startsWith("/_sim/")) return undefined;
        const body = (parseJson(rawBody) ?? {}) as {
            request?: { route: string; fault: RequestFault; times?: number };
            event?: { fault: EventFault; times?: number };
            order?: "fifo" | "reverse";
        };
        if (method === "GET" && path === "/_sim/ledger") return { status: 200, json: this.ledger() };
        if (method === "DELETE" && path === "/_sim/faults") {
            this.faults.clear();
            return { status: 200, json: { cleared: true } };
        }
        if (method === "POST" && path === "/_sim/faults") {
            if (body.request) this.faults.request(body.request.route, body.request.fault, body.request.times);
            if (body.event) this.faults.event(body.event.fault, body.event.times);
            return { status: 200, json: { planned: true } };
        }
        if (method === "POST" && path === "/_sim/held/release")
            return { status: 200, json: { released: this.releaseHeld(body.order) } };
        return { status: 404, json: { message: `no control route ${method} ${path}` } };
    }
}

function send(response: ServerResponse, result: SimResponse): void {
    if ("location" in result) {
        response.writeHead(303, { location: result.location }).end();
    } else if ("html" in result) {
        response.writeHead(result.status, { "content-type": "text/html; charset=utf-8" }).end(result.html);
    } else {
        response.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.json));
    }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks)));
        request.on("error", reject);
    });
}

export function parseJson(raw: Buffer): unknown {
    if (raw.length === 0) return undefined;
    try {
        return JSON.parse(raw.toString("utf8"));
    } catch {
        return raw.toString("utf8");
    }
}

/** A form post's fields (the hosted pages' buttons). */
export function formFields(raw: Buffer): URLSearchParams {
    return new URLSearchParams(raw.toString("utf8"));
}
