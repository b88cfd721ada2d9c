// A Paystack-style card checkout, over HTTP on loopback, speaking Paystack's wire format:
//   POST /transaction/initialize      Bearer secret key; email, amount (minor units), currency,
//                                     reference, callback_url → authorization_url (the hosted page)
//   GET  /transaction/verify/:ref     status ("abandoned" until the customer acts, then "success"
//                                     or "failed"), amount, currency, gateway_response
//   POST /refund, GET /refund, GET /refund/:id   refunds: queued, then processed
//   GET  /checkout/:accessCode        the hosted page: the customer approves or declines, and the
//                                     browser goes back to callback_url?trxref=…&reference=…
// Webhooks (charge.success, refund.pending, refund.processed, refund.failed) are POSTed to the
// webhook URL with x-paystack-signature = hex HMAC-SHA512 of the body keyed with the secret key.
// As at Paystack, a declined card sends no webhook, and a reference can be initialized once.
import { randomBytes } from "crypto";
import { hmacHex } from "../../services/payments/providers/signature";
import type { DeliveryOptions } from "./deliveries";
import { button, escapeHtml, money, page } from "./pages";
import { formFields, parseJson, ProviderSimulator, type Route, type SimRequest, type SimResponse } from "./server";

export interface PaystackSimulatorOptions {
    /** The merchant's secret key: API authentication and webhook signatures. */
    secretKey: string;
    /** The dashboard's webhook URL; no webhooks without one. */
    webhookUrl?: string;
    /** Currencies the integration takes. */
    currencies?: string[];
    /** Process refunds as soon as they are queued (else processRefund() decides). */
    autoProcessRefunds?: boolean;
    delivery?: Partial<DeliveryOptions>;
}

export interface PaystackTransaction {
    id: number;
    reference: string;
    accessCode: string;
    email: string;
    /** What the customer was asked for. */
    requestedAmount: number;
    /** What was charged (differs when a fault makes the customer pay another amount). */
    amount: number;
    currency: string;
    callbackUrl?: string;
    metadata?: string;
    status: "abandoned" | "success" | "failed";
    gatewayResponse: string | null;
    createdAt: string;
    paidAt: string | null;
}

export interface PaystackRefund {
    id: number;
    transactionId: number;
    transactionReference: string;
    amount: number;
    currency: string;
    status: "pending" | "processed" | "failed";
    merchantNote: string | null;
    customerNote: string | null;
    createdAt: string;
}

const REFERENCE = /^[A-Za-z0-9.=-]{1,100}$/;
const DEFAULT_CURRENCIES = ["NGN", "GHS", "ZAR", "KES", "USD", "XOF"];

export class PaystackSimulator extends ProviderSimulator {
    private readonly transactions = new Map<string, PaystackTransaction>();
    private readonly refunds: PaystackRefund[] = [];
    private nextTransactionId = 4_099_260_000;

    /** Where webhooks go; changeable while running. */
    webhookUrl?: string;

    constructor(private readonly options: PaystackSimulatorOptions) {
        super(options.delivery);
        this.webhookUrl = options.webhookUrl;
    }

    ledger() {
        return {
            transactions: [...this.transactions.values()].map((tx) => ({ ...tx })),
            refunds: this.refunds.map((refund) => ({ ...refund })),
            deliveries: this.deliveries,
            requests: this.requests,
        };
    }

    transaction(reference: string): PaystackTransaction | undefined {
        return this.transactions.get(reference);
    }

    /**
     * What the customer's click on the hosted page does; returns where the browser goes next.
     * `amountMinor` makes the charge differ from what was asked (a tampered or partial payment).
     */
    pay(reference: string, outcome: "approve" | "decline", options: { amountMinor?: number } = {}): string | undefined {
        const tx = this.transactions.get(reference);
        if (!tx) throw new Error(`no transaction ${reference}`);
        if (tx.status !== "abandoned") throw new Error(`transaction ${reference} is already ${tx.status}`);
        if (outcome === "approve") {
            Object.assign(tx, {
                status: "success",
                amount: options.amountMinor ?? tx.amount,
                gatewayResponse: "Successful",
                paidAt: new Date().toISOString(),
            });
            this.emit("charge.success", this.transactionView(tx));
        } else {
            Object.assign(tx, { status: "failed", gatewayResponse: "Declined" });
        }
        return this.returnUrl(tx);
    }

    /** Finishes a queued refund, with a webhook. */
    processRefund(id: number, outcome: "processed" | "failed"): void {
        const refund = this.refunds.find((r) => r.id === id);
        if (!refund) throw new Error(`no refund ${id}`);
        if (refund.status !== "pending") throw new Error(`refund ${id} is already ${refund.status}`);
        refund.status = outcome;
        this.emit(`refund.${outcome}`, this.refundEvent(refund));
    }

    /** Sends any event, signed, as Paystack would (events from other integrations, or never-seen references). */
    emit(event: string, data: Record<string, unknown>): void {
        const fault = this.faults.takeEvent();
        if (!this.webhookUrl) return;
        const sent = fault.amountMinor === undefined ? data : { ...data, amount: fault.amountMinor };
        const body = JSON.stringify({ event, data: sent });
        const key = fault.forge ? `sk_test_forged${randomBytes(8).toString("hex")}` : this.options.secretKey;
        this.deliverer.send(
            event,
            this.webhookUrl,
            body,
            { "x-paystack-signature": hmacHex("sha512", key, body) },
            fault,
        );
    }

    protected errorAnswer(status: number) {
        return { status: false, message: `Simulated error ${status}`, type: "api_error", code: "simulated" };
    }

    protected routes(): Route[] {
        return [
            {
                name: "initialize",
                method: "POST",
                pattern: /^\/transaction\/initialize$/,
                handle: (r) => this.initialize(r),
            },
            {
                name: "verify",
                method: "GET",
                pattern: /^\/transaction\/verify\/([^/]+)$/,
                handle: (r) => this.verify(r),
            },
            { name: "refund", method: "POST", pattern: /^\/refund$/, handle: (r) => this.createRefund(r) },
            { name: "list-refunds", method: "GET", pattern: /^\/refund$/, handle: (r) => this.listRefunds(r) },
            { name: "fetch-refund", method: "GET", pattern: /^\/refund\/(\d+)$/, handle: (r) => this.fetchRefund(r) },
            {
                name: "checkout",
                method: "GET",
                pattern: /^\/checkout\/([a-z0-9]+)$/,
                handle: (r) => this.checkoutPage(r),
            },
            {
                name: "checkout-action",
                method: "POST",
                pattern: /^\/checkout\/([a-z0-9]+)\/(approve|decline)$/,
                handle: (r) => this.checkoutAction(r),
            },
        ];
    }

    private initialize(request: SimRequest): SimResponse {
        const denied = this.authenticate(request);
        if (denied) return denied;
        const body = (parseJson(request.rawBody) ?? {}) as Record<string, unknown>;
        const amount = Number(body.amount);
        const currency = String(body.currency ?? "NGN");
        const reference = body.reference === undefined ? randomBytes(6).toString("hex") : String(body.reference);
        if (typeof body.email !== "string" || !body.email.includes("@")) return invalid("Invalid Email Address Passed");
        if (!Number.isSafeInteger(amount) || amount <= 0) return invalid("Invalid Amount Sent");
        if (!(this.options.currencies ?? DEFAULT_CURRENCIES).includes(currency))
            return invalid("Currency not supported by merchant");
        if (!REFERENCE.test(reference)) return invalid("Invalid transaction reference");
        if (this.transactions.has(reference)) return invalid("Duplicate Transaction Reference");
        if (body.callback_url !== undefined && !URL.canParse(String(body.callback_url)))
            return invalid("Invalid callback_url");
        const tx: PaystackTransaction = {
            id: this.nextTransactionId++,
            reference,
            accessCode: randomBytes(8).toString("hex"),
            email: body.email,
            requestedAmount: amount,
            amount,
            currency,
            callbackUrl: body.callback_url === undefined ? undefined : String(body.callback_url),
            metadata: typeof body.metadata === "string" ? body.metadata : undefined,
            status: "abandoned",
            gatewayResponse: null,
            createdAt: new Date().toISOString(),
            paidAt: null,
        };
        this.transactions.set(reference, tx);
        return ok("Authorization URL created", {
            authorization_url: `${this.url}/checkout/${tx.accessCode}`,
            access_code: tx.accessCode,
            reference,
        });
    }

    private verify(request: SimRequest): SimResponse {
        const denied = this.authenticate(request);
        if (denied) return denied;
        const tx = this.transactions.get(decodeURIComponent(request.params[0]));
        if (!tx) return invalid("Transaction reference not found");
        return ok("Verification successful", this.transactionView(tx));
    }

    private createRefund(request: SimRequest): SimResponse {
        const denied = this.authenticate(request);
        if (denied) return denied;
        const body = (parseJson(request.rawBody) ?? {}) as Record<string, unknown>;
        const tx = this.findTransaction(String(body.transaction ?? ""));
        if (!tx) return { status: 404, json: { status: false, message: "Transaction not found" } };
        if (tx.status !== "success") return invalid("Cannot refund a transaction that was not successful");
        const refunded = this.refunds
            .filter((r) => r.transactionId === tx.id && r.status !== "failed")
            .reduce((sum, r) => sum + r.amount, 0);
        const amount = body.amount === undefined ? tx.amount - refunded : Number(body.amount);
        if (!Number.isSafeInteger(amount) || amount <= 0) return invalid("Invalid refund amount");
        if (amount > tx.amount - refunded) return invalid("Refund amount cannot be more than the unrefunded amount");
        if (body.currency !== undefined && body.currency !== tx.currency)
            return invalid("Refund currency does not match the transaction's");
        const refund: PaystackRefund = {
            id: 3_018_000 + this.refunds.length + 1,
            transactionId: tx.id,
            transactionReference: tx.reference,
            amount,
            currency: tx.currency,
            status: "pending",
            merchantNote: typeof body.merchant_note === "string" ? body.merchant_note : null,
            customerNote: typeof body.customer_note === "string" ? body.customer_note : null,
            createdAt: new Date().toISOString(),
        };
        this.refunds.push(refund);
        setImmediate(() => {
            this.emit("refund.pending", this.refundEvent(refund));
            if (this.options.autoProcessRefunds ?? true) this.processRefund(refund.id, "processed");
        });
        return ok("Refund has been queued for processing", this.refundView(refund));
    }

    private listRefunds(request: SimRequest): SimResponse {
        const denied = this.authenticate(request);
        if (denied) return denied;
        const transaction = request.query.get("transaction");
        const refunds = this.refunds.filter((r) => !transaction || String(r.transactionId) === transaction);
        return {
            status: 200,
            json: { status: true, message: "Refunds retrieved", data: refunds.map((r) => this.refundView(r)) },
        };
    }

    private fetchRefund(request: SimRequest): SimResponse {
        const denied = this.authenticate(request);
        if (denied) return denied;
        const refund = this.refunds.find((r) => String(r.id) === request.params[0]);
        if (!refund) return { status: 404, json: { status: false, message: "Refund not found" } };
        return ok("Refund retrieved", this.refundView(refund));
    }

    private checkoutPage(request: SimRequest): SimResponse {
        const tx = this.byAccessCode(request.params[0]);
        if (!tx) return { status: 404, html: page("Not found", "<h1>No such checkout</h1>") };
        const amount = `<p class="amount" id="amount">${escapeHtml(money(tx.amount, tx.currency))}</p>`;
        const who = `<p>${escapeHtml(tx.email)} · reference <code>${escapeHtml(tx.reference)}</code></p>`;
        if (tx.status !== "abandoned")
            return { status: 200, html: page("Checkout", `<h1>Payment ${escapeHtml(tx.status)}</h1>${amount}${who}`) };
        const actions =
            button(`/checkout/${tx.accessCode}/approve`, "Pay", "approve") +
            button(`/checkout/${tx.accessCode}/decline`, "Decline card", "decline");
        return { status: 200, html: page("Checkout", `<h1>Pay with card</h1>${amount}${who}${actions}`) };
    }

    private checkoutAction(request: SimRequest): SimResponse {
        const tx = this.byAccessCode(request.params[0]);
        if (!tx) return { status: 404, html: page("Not found", "<h1>No such checkout</h1>") };
        // The page's form posts no fields; a test may post amountMinor to pay another amount.
        const amount = formFields(request.rawBody).get("amountMinor");
        if (tx.status === "abandoned")
            this.pay(tx.reference, request.params[1] as "approve" | "decline", {
                amountMinor: amount ? Number(amount) : undefined,
            });
        return { status: 303, location: this.returnUrl(tx) ?? `/checkout/${tx.accessCode}` };
    }

    /** Where the browser goes back to, as Paystack sends it: callback_url?trxref=…&reference=…. */
    private returnUrl(tx: PaystackTransaction): string | undefined {
        if (!tx.callbackUrl) return undefined;
        const back = new URL(tx.callbackUrl);
        back.searchParams.set("trxref", tx.reference);
        back.searchParams.set("reference", tx.reference);
        return back.toString();
    }

    private authenticate(request: SimRequest): SimResponse | undefined {
        if (request.headers.authorization === `Bearer ${this.options.secretKey}`) return undefined;
        return { status: 401, json: { status: false, message: "Invalid key" } };
    }

    private findTransaction(idOrReference: string): PaystackTransaction | undefined {
        return (
            this.transactions.get(idOrReference) ??
            [...this.transactions.values()].find((tx) => String(tx.id) === idOrReference)
        );
    }

    private byAccessCode(code: string): PaystackTransaction | undefined {
        return [...this.transactions.values()].find((tx) => tx.accessCode === code);
    }

    private transactionView(tx: PaystackTransaction): Record<string, unknown> {
        return {
            id: tx.id,
            domain: "test",
            status: tx.status,
            reference: tx.reference,
            amount: tx.amount,
            requested_amount: tx.requestedAmount,
            currency: tx.currency,
            gateway_response: tx.gatewayResponse,
            channel: "card",
            paid_at: tx.paidAt,
            created_at: tx.createdAt,
            metadata: tx.metadata ?? "",
            customer: { email: tx.email },
        };
    }

    private refundView(refund: PaystackRefund): Record<string, unknown> {
        return {
            id: refund.id,
            transaction: refund.transactionId,
            amount: refund.amount,
            currency: refund.currency,
            status: refund.status,
            merchant_note: refund.merchantNote,
            customer_note: refund.customerNote,
            createdAt: refund.createdAt,
        };
    }

    /** The refund webhooks' data: Paystack names the transaction by reference and sends no refund id. */
    private refundEvent(refund: PaystackRefund): Record<string, unknown> {
        return {
            status: refund.status,
            transaction_reference: refund.transactionReference,
            refund_reference: refund.status === "processed" ? `rr_${refund.id}` : null,
            amount: String(refund.amount),
            currency: refund.currency,
            domain: "test",
        };
    }
}

function ok(message: string, data: unknown): SimResponse {
    return { status: 200, json: { status: true, message, data } };
}

function invalid(message: string): SimResponse {
    return { status: 400, json: { status: false, message, type: "validation_error" } };
}
