// The notifications queue's message contract: the notifier consumes it; the order processor, the
// cart sweep and the services (shipping updates) produce it. One schema per template.
import { z } from "zod";

const Currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as ZAR");
const MinorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const REJECTION_REASONS = [
    "unknown_product",
    "out_of_stock",
    "not_sold_in_currency",
    "payment_declined",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

const templateData = {
    "order-confirmation": z.object({
        orderId: z.uuid(),
        lines: z
            .array(
                z.object({
                    name: z.string().min(1),
                    quantity: z.number().int().positive(),
                    unitPriceMinor: MinorUnits,
                }),
            )
            .min(1),
        totalMinor: MinorUnits,
        currency: Currency,
    }),
    "order-rejected": z.object({ orderId: z.uuid(), reason: z.enum(REJECTION_REASONS) }),
    "shipping-update": z.object({
        orderId: z.uuid(),
        status: z.enum(["shipped", "out_for_delivery", "delivered"]),
        carrier: z.string().min(1).max(100).optional(),
        trackingUrl: z.url({ protocol: /^https$/ }).optional(),
    }),
    "low-stock": z.object({
        sku: z.string().min(1),
        name: z.string().min(1),
        available: z.number().int().nonnegative(),
        threshold: z.number().int().nonnegative(),
    }),
    "cart-reminder": z.object({
        cartId: z.uuid(),
        items: z.array(z.object({ name: z.string().min(1), quantity: z.number().int().positive() })).min(1),
    }),
};

export type TemplateName = keyof typeof templateData;
export type TemplateData<K extends TemplateName> = z.infer<(typeof templateData)[K]>;

const Email = z.email();
const PhoneNumber = z.string().regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number such as +27821234567");

function notification<K extends TemplateName>(template: K) {
    return z
        .object({
            version: z.literal(1),
            /** Stable per logical notification (e.g. "order:<id>:confirmation"), for tracing and dedupe. */
            notificationId: z.string().min(1).max(200),
            template: z.literal(template),
            channel: z.enum(["email", "sms"]),
            to: z.string().min(1).max(254),
            data: templateData[template],
        })
        .superRefine((message, ctx) => {
            const recipient = message.channel === "email" ? Email : PhoneNumber;
            if (!recipient.safeParse(message.to).success) {
                ctx.addIssue({ code: "custom", path: ["to"], message: `not a valid ${message.channel} recipient` });
            }
        });
}

export const Notification = z.discriminatedUnion("template", [
    notification("order-confirmation"),
    notification("order-rejected"),
    notification("shipping-update"),
    notification("low-stock"),
    notification("cart-reminder"),
]);
export type Notification = z.infer<typeof Notification>;
