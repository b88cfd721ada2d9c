// The orders queue's message contract. `POST /api/orders` puts it on the queue after choosing the
// order id it answers with (202), so the id is the idempotency key of everything that follows.
// Prices are not in the message: they come from the catalogue's prices in the currency the
// customer shops in, in the database, never from the client.
import { z } from "zod";
import { CURRENCIES } from "../../shared/currencies";

export const OrderMessage = z
    .object({
        version: z.literal(1),
        orderId: z.uuid(),
        placedAt: z.iso.datetime({ offset: true }),
        cartId: z.uuid().optional(),
        /** The currency the customer shops in: every line is charged at its SKU's price in it. */
        currency: z.enum(CURRENCIES),
        customer: z.object({
            id: z.string().min(1).max(64),
            email: z.email(),
            phone: z
                .string()
                .regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number such as +27821234567")
                .optional(),
            notify: z.enum(["email", "sms"]).default("email"),
        }),
        lines: z
            .array(
                z.object({
                    sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/, "an upper-case SKU such as TSHIRT-RED-M"),
                    quantity: z.number().int().min(1).max(100),
                }),
            )
            .min(1)
            .max(50),
        payment: z.object({ token: z.string().min(1).max(200) }),
    })
    .superRefine((order, ctx) => {
        const skus = order.lines.map((line) => line.sku);
        if (new Set(skus).size !== skus.length)
            ctx.addIssue({ code: "custom", path: ["lines"], message: "a SKU appears on two lines" });
        if (order.customer.notify === "sms" && !order.customer.phone) {
            ctx.addIssue({ code: "custom", path: ["customer", "phone"], message: "required when notify is sms" });
        }
    });
export type OrderMessage = z.infer<typeof OrderMessage>;
