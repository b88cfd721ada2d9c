// The notification templates, as plain functions: every value from a message is escaped in the
// HTML part, and each template has a short SMS form.
import type { Notification, RejectionReason, TemplateData, TemplateName } from "../shared/notifications";

export interface Store {
    name: string;
    /** https://..., without a trailing slash. */
    url: string;
}

export interface Rendered {
    subject: string;
    text: string;
    html: string;
    sms: string;
}

type Content = { subject: string; lines: string[]; sms: string };

const REJECTION_TEXT: Record<RejectionReason, string> = {
    unknown_product: "one of the products is no longer sold",
    out_of_stock: "one of the products is out of stock",
    not_sold_in_currency: "one of the products is not sold in your currency",
    payment_declined: "your payment was declined",
};

const SHIPPING_TEXT = {
    shipped: "has shipped",
    out_for_delivery: "is out for delivery",
    delivered: "has been delivered",
};

const templates: { [K in TemplateName]: (data: TemplateData<K>, store: Store) => Content } = {
    "order-confirmation": (data, store) => ({
        subject: `Your ${store.name} order is confirmed`,
        lines: [
            `Thank you for your order ${data.orderId}.`,
            ...data.lines.map(
                (line) =>
                    `${line.quantity} × ${line.name}: ${money(line.unitPriceMinor * line.quantity, data.currency)}`,
            ),
            `Total: ${money(data.totalMinor, data.currency)}`,
            `Track it at ${store.url}/orders/${data.orderId}`,
        ],
        sms: `${store.name}: order ${short(data.orderId)} confirmed, total ${money(data.totalMinor, data.currency)}. ${store.url}/orders/${data.orderId}`,
    }),
    "order-rejected": (data, store) => ({
        subject: `We could not place your ${store.name} order`,
        lines: [
            `We could not place your order ${data.orderId}: ${REJECTION_TEXT[data.reason]}.`,
            "You have not been charged.",
        ],
        sms: `${store.name}: order ${short(data.orderId)} could not be placed: ${REJECTION_TEXT[data.reason]}. You have not been charged.`,
    }),
    "shipping-update": (data, store) => ({
        subject: `Your ${store.name} order ${SHIPPING_TEXT[data.status]}`,
        lines: [
            `Your order ${data.orderId} ${SHIPPING_TEXT[data.status]}${data.carrier ? ` (${data.carrier})` : ""}.`,
            data.trackingUrl ? `Follow it at ${data.trackingUrl}` : `Details at ${store.url}/orders/${data.orderId}`,
        ],
        sms: `${store.name}: order ${short(data.orderId)} ${SHIPPING_TEXT[data.status]}. ${data.trackingUrl ?? `${store.url}/orders/${data.orderId}`}`,
    }),
    "low-stock": (data, store) => ({
        subject: `[${store.name}] Low stock: ${data.sku}`,
        lines: [`${data.name} (${data.sku}) is down to ${data.available} available (threshold ${data.threshold}).`],
        sms: `${store.name} low stock: ${data.sku} has ${data.available} left.`,
    }),
    "cart-reminder": (data, store) => ({
        subject: `You left something in your ${store.name} cart`,
        lines: [
            "Your cart is waiting for you:",
            ...data.items.map((item) => `${item.quantity} × ${item.name}`),
            `${store.url}/cart`,
        ],
        sms: `${store.name}: your cart is waiting for you. ${store.url}/cart`,
    }),
};

export function render(notification: Notification, store: Store): Rendered {
    const template = templates[notification.template] as (data: Notification["data"], store: Store) => Content;
    const content = template(notification.data, store);
    return {
        subject: content.subject,
        text: `${content.lines.join("\n")}\n\n${store.name}`,
        html: `<!doctype html><html><body>${content.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("")}<p>${escapeHtml(store.name)}</p></body></html>`,
        sms: content.sms,
    };
}

export function money(minor: number, currency: string): string {
    const format = new Intl.NumberFormat("en", { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
}

const short = (id: string): string => id.slice(0, 8);

export function escapeHtml(text: string): string {
    return text.replace(
        /[&<>"']/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
    );
}
