// The payments service's public webhook route, as far as these tests need it: an HTTP server on
// loopback that keeps every request exactly as received (URL, headers, raw bytes) and answers 200,
// or the statuses a test plans, so the simulators' retries meet a real server.
import { createServer, type IncomingHttpHeaders, type Server } from "http";
import type { AddressInfo } from "net";
import type { WebhookRequest } from "../../../../../../app/services/payments/providers/types";

export interface Received extends WebhookRequest {
    headers: IncomingHttpHeaders;
}

export class WebhookReceiver {
    readonly received: Received[] = [];
    private readonly answers: number[] = [];
    private server?: Server;

    /** The next requests are answered with these statuses, in order (then 200). */
    answerWith(...statuses: number[]): void {
        this.answers.push(...statuses);
    }

    async start(): Promise<string> {
        this.server = createServer((request, response) => {
            const chunks: Buffer[] = [];
            request.on("data", (chunk: Buffer) => chunks.push(chunk));
            request.on("end", () => {
                this.received.push({
                    url: request.url ?? "/",
                    headers: request.headers,
                    rawBody: Buffer.concat(chunks),
                });
                response.writeHead(this.answers.shift() ?? 200).end();
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** Waits until `count` requests have arrived (all of them since the start) and returns them. */
    async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
        const deadline = Date.now() + timeoutMs;
        while (this.received.length < count) {
            if (Date.now() > deadline)
                throw new Error(`expected ${count} webhook(s) within ${timeoutMs} ms, got ${this.received.length}`);
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return this.received.slice(0, count);
    }

    clear(): void {
        this.received.length = 0;
        this.answers.length = 0;
    }
}
