// Sends a simulator's events (webhooks, callbacks) the way providers do: POST the body, retry
// what was not answered with a 2xx, and give up after a few tries. Faults drop, repeat, delay or
// hold an event; every try is logged for the tests.
import type { EventFault } from "./faults";

export interface DeliveryOptions {
    /** Tries per event (Paystack retries for 72 hours; a test needs seconds). */
    maxAttempts: number;
    retryDelayMs: number;
    timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { maxAttempts: 3, retryDelayMs: 200, timeoutMs: 5000 };

export interface Delivery {
    id: number;
    /** What was sent, e.g. "charge.success", "stk callback". */
    event: string;
    url: string;
    body: string;
    headers: Record<string, string>;
    state: "sending" | "delivered" | "failed" | "dropped" | "held";
    fault: EventFault;
    tries: { at: string; status?: number; error?: string }[];
}

export class Deliverer {
    readonly log: Delivery[] = [];
    private readonly held: (() => void)[] = [];
    private readonly inFlight = new Set<Promise<void>>();

    constructor(private readonly options: DeliveryOptions) {}

    send(event: string, url: string, body: string, headers: Record<string, string>, fault: EventFault): Delivery {
        const delivery: Delivery = {
            id: this.log.length + 1,
            event,
            url,
            body,
            headers,
            state: "sending",
            fault,
            tries: [],
        };
        this.log.push(delivery);
        if (fault.drop) {
            delivery.state = "dropped";
            return delivery;
        }
        const go = () => {
            for (let copy = 0; copy <= (fault.duplicates ?? 0); copy++) this.track(this.post(delivery));
        };
        if (fault.hold) {
            delivery.state = "held";
            this.held.push(go);
        } else if (fault.delayMs) {
            this.track(sleep(fault.delayMs).then(go));
        } else {
            go();
        }
        return delivery;
    }

    /** Sends the held events, in the order they were held or the reverse; returns how many. */
    releaseHeld(order: "fifo" | "reverse" = "fifo"): number {
        const held = this.held.splice(0);
        for (const go of order === "reverse" ? held.reverse() : held) go();
        return held.length;
    }

    /** Resolves when nothing is being sent (held events stay held). */
    async settled(): Promise<void> {
        while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    }

    private track(work: Promise<void>): void {
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
    }

    private async post(delivery: Delivery): Promise<void> {
        delivery.state = "sending";
        for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
            if (attempt > 1) await sleep(this.options.retryDelayMs);
            const tried: Delivery["tries"][number] = { at: new Date().toISOString() };
            delivery.tries.push(tried);
            try {
                const response = await fetch(delivery.url, {
                    method: "POST",
                    headers: { "content-type": "application/json", ...delivery.headers },
                    body: delivery.body,
                    signal: AbortSignal.timeout(this.options.timeoutMs),
                });
                await response.arrayBuffer();
                tried.status = response.status;
                if (response.ok) {
                    delivery.state = "delivered";
                    return;
                }
            } catch (error) {
                tried.error = (error as Error).message;
            }
        }
        delivery.state = "failed";
    }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
