// Faults a test (or the control API) plans for the next requests to a route, and for the next
// events a simulator sends. Each planned fault is used once, in the order planned.

/** What goes wrong with a request to the simulator's API. */
export type RequestFault =
    /** No answer: before the request is handled (nothing happens) or after (it happened; the answer is lost). */
    | { kind: "stall"; phase: "before" | "after" }
    /** The request is handled and the answer sent late. */
    | { kind: "slow"; delayMs: number }
    /** The provider's error answer with this status (429, 500, 503…); nothing happens. */
    | { kind: "error"; status: number };

/** What goes wrong with an event (webhook, callback) the simulator sends. */
export interface EventFault {
    /** Never delivered. */
    drop?: boolean;
    /** Delivered this many extra times, the same bytes each time. */
    duplicates?: number;
    /** Delivered this late. */
    delayMs?: number;
    /** Kept until releaseHeld(): late, and out of order when released in reverse. */
    hold?: boolean;
    /** Arrives as an attacker's would: a wrong signature (Paystack), a wrong URL token (M-Pesa). */
    forge?: boolean;
    /** The event claims this amount (minor units) instead of the transaction's. */
    amountMinor?: number;
}

export class Faults {
    private readonly requests = new Map<string, RequestFault[]>();
    private readonly events: EventFault[] = [];

    /** The next `times` requests to `route` meet `fault`. */
    request(route: string, fault: RequestFault, times = 1): void {
        this.requests.set(route, [...(this.requests.get(route) ?? []), ...Array<RequestFault>(times).fill(fault)]);
    }

    /** The next `times` events meet `fault`. */
    event(fault: EventFault, times = 1): void {
        this.events.push(...Array<EventFault>(times).fill(fault));
    }

    takeRequest(route: string): RequestFault | undefined {
        return this.requests.get(route)?.shift();
    }

    takeEvent(): EventFault {
        return this.events.shift() ?? {};
    }

    clear(): void {
        this.requests.clear();
        this.events.length = 0;
    }
}
