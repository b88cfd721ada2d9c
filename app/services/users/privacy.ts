// The customer's rights over their data (POPIA, Nigeria's NDPA, Kenya's Data Protection Act):
//  - access: everything the shop holds about them, as JSON;
//  - erasure: the profile and addresses deleted, carts deleted, orders kept but anonymised
//    (tax and accounting law makes the shop keep its invoices for 5 to 6 years: the retention
//    rule in app/services/README.md), then the Cognito user deleted, so they cannot sign in again
//    as the same person. The database part runs first, in one transaction: if Cognito fails the
//    customer can still sign in and retry, and a retry finds nothing left but the user to delete.
import type { Principal } from "../kit/auth";
import type { Postgres } from "../kit/postgres";
import { unavailable } from "../kit/problems";
import type { IdentityStore } from "./identity";
import { toAddress, toProfile, type AddressRow, type ProfileRow } from "./profiles";
import type { Export } from "./schemas";

/** What an erased customer's orders say instead of who placed them. */
export const ERASED_CUSTOMER = "erased";

export interface ErasureLog {
    info(fields: object, message: string): void;
    error(fields: object, message: string): void;
}

export class Privacy {
    constructor(
        private readonly db: Postgres,
        private readonly identity: IdentityStore,
        private readonly log: ErasureLog,
    ) {}

    async export(customerId: string): Promise<Export> {
        const [profile, addresses, orders, carts] = await Promise.all([
            this.db.query<ProfileRow>(
                `SELECT customer_id, email, name, phone, locale, preferred_currency, marketing_consent, marketing_consent_at,
                        created_at, updated_at FROM users.profiles WHERE customer_id = $1`,
                [customerId],
            ),
            this.db.query<AddressRow>(
                `SELECT address_id, label, recipient, phone, country, region, city, street, postal_code, landmark, is_default,
                        created_at, updated_at FROM users.addresses WHERE customer_id = $1 ORDER BY created_at`,
                [customerId],
            ),
            this.db.query<{
                order_id: string;
                status: string;
                placed_at: Date;
                currency: string | null;
                total_minor: string | null;
                customer_email: string | null;
                customer_phone: string | null;
                lines: { sku: string; quantity: number; unitPriceMinor: number }[];
            }>(
                `SELECT o.order_id, o.status, o.placed_at, o.currency, o.total_minor, o.customer_email, o.customer_phone,
                        coalesce((SELECT jsonb_agg(jsonb_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor)
                                  ORDER BY l.line_no) FROM orders.order_lines l WHERE l.order_id = o.order_id), '[]') AS lines
                 FROM orders.orders o WHERE o.customer_id = $1 ORDER BY o.placed_at`,
                [customerId],
            ),
            this.db.query<{
                cart_id: string;
                status: string;
                updated_at: Date;
                items: { sku: string; quantity: number }[];
            }>(
                `SELECT c.cart_id, c.status, c.updated_at,
                        coalesce((SELECT jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity) ORDER BY i.sku)
                                  FROM orders.cart_items i WHERE i.cart_id = c.cart_id), '[]') AS items
                 FROM orders.carts c WHERE c.customer_id = $1 ORDER BY c.updated_at`,
                [customerId],
            ),
        ]);
        return {
            generatedAt: new Date().toISOString(),
            profile: profile[0] ? toProfile(profile[0]) : null,
            addresses: addresses.map(toAddress),
            orders: orders.map((order) => ({
                orderId: order.order_id,
                status: order.status,
                placedAt: order.placed_at.toISOString(),
                currency: order.currency,
                totalMinor: order.total_minor === null ? null : Number(order.total_minor),
                email: order.customer_email,
                phone: order.customer_phone,
                lines: order.lines,
            })),
            carts: carts.map((cart) => ({
                cartId: cart.cart_id,
                status: cart.status,
                updatedAt: cart.updated_at.toISOString(),
                items: cart.items,
            })),
        };
    }

    async erase(principal: Principal): Promise<void> {
        const counts = await this.db.transaction(async (sql) => {
            const profile = await sql.query("DELETE FROM users.profiles WHERE customer_id = $1", [principal.sub]);
            const carts = await sql.query("DELETE FROM orders.carts WHERE customer_id = $1", [principal.sub]);
            const orders = await sql.query(
                `UPDATE orders.orders SET customer_id = $2, customer_email = NULL, customer_phone = NULL, customer_erased_at = now()
                 WHERE customer_id = $1`,
                [principal.sub, ERASED_CUSTOMER],
            );
            return {
                profiles: profile.rowCount ?? 0,
                carts: carts.rowCount ?? 0,
                ordersAnonymised: orders.rowCount ?? 0,
            };
        });
        try {
            await this.identity.deleteUser(principal.username);
        } catch (error) {
            this.log.error({ err: error, ...counts }, "erasure: the data is erased, the Cognito user is not");
            throw unavailable("your data is erased, but your sign-in could not be removed yet: try again", 30);
        }
        // The log names no one: the subject is gone from every table.
        this.log.info(counts, "customer erased");
    }
}
