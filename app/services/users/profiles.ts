// Customers' profiles and addresses, always of one customer: every method takes the customer's
// id (the token's subject) and every statement is scoped to it, so no id in a path or a body can
// reach another customer's rows (an address of someone else is simply not found).
import type { Postgres, Sql } from "../kit/postgres";
import { badRequest, notFound, unprocessable } from "../kit/problems";
import { isCountry } from "./countries";
import type { Address, AddressChanges, NewAddress, Profile, ProfileChanges } from "./schemas";

interface ProfileRow {
    customer_id: string;
    email: string | null;
    name: string | null;
    phone: string | null;
    locale: string | null;
    preferred_currency: string | null;
    marketing_consent: boolean;
    marketing_consent_at: Date | null;
    created_at: Date;
    updated_at: Date;
}

interface AddressRow {
    address_id: string;
    label: string | null;
    recipient: string;
    phone: string;
    country: string;
    region: string;
    city: string;
    street: string;
    postal_code: string | null;
    landmark: string | null;
    is_default: boolean;
    created_at: Date;
    updated_at: Date;
}

/** At most this many addresses per customer: an address book, not a data store. */
export const MAX_ADDRESSES = 20;

const PROFILE_COLUMNS =
    "customer_id, email, name, phone, locale, preferred_currency, marketing_consent, marketing_consent_at, created_at, updated_at";
const ADDRESS_COLUMNS =
    "address_id, label, recipient, phone, country, region, city, street, postal_code, landmark, is_default, created_at, updated_at";

const ADDRESS_FIELDS: Record<keyof AddressChanges, string> = {
    label: "label",
    recipient: "recipient",
    phone: "phone",
    country: "country",
    region: "region",
    city: "city",
    street: "street",
    postalCode: "postal_code",
    landmark: "landmark",
};

export class Profiles {
    constructor(private readonly db: Postgres) {}

    /** The customer's profile, created empty on first use. */
    async get(customerId: string): Promise<Profile> {
        const [row] = await this.db.query<ProfileRow>(
            `WITH created AS (
                 INSERT INTO users.profiles (customer_id) VALUES ($1) ON CONFLICT (customer_id) DO NOTHING RETURNING ${PROFILE_COLUMNS}
             )
             SELECT ${PROFILE_COLUMNS} FROM created UNION ALL SELECT ${PROFILE_COLUMNS} FROM users.profiles WHERE customer_id = $1`,
            [customerId],
        );
        return toProfile(row);
    }

    async update(customerId: string, changes: ProfileChanges): Promise<Profile> {
        await this.get(customerId);
        const [row] = await this.db.query<ProfileRow>(
            `UPDATE users.profiles SET
                 name = CASE WHEN $2 THEN $3 ELSE name END,
                 phone = CASE WHEN $4 THEN $5 ELSE phone END,
                 locale = CASE WHEN $6 THEN $7 ELSE locale END,
                 preferred_currency = CASE WHEN $8 THEN $9 ELSE preferred_currency END,
                 -- The consent's time is when the customer last changed it, given or withdrawn.
                 marketing_consent_at = CASE WHEN $10::boolean IS NOT NULL AND $10 <> marketing_consent THEN now() ELSE marketing_consent_at END,
                 marketing_consent = coalesce($10, marketing_consent),
                 updated_at = now()
             WHERE customer_id = $1 RETURNING ${PROFILE_COLUMNS}`,
            [
                customerId,
                "name" in changes,
                changes.name ?? null,
                "phone" in changes,
                changes.phone ?? null,
                "locale" in changes,
                changes.locale ? canonicalLocale(changes.locale) : null,
                "preferredCurrency" in changes,
                changes.preferredCurrency ?? null,
                changes.marketingConsent ?? null,
            ],
        );
        return toProfile(row);
    }

    /** Records the e-mail address a Cognito-signed ID token proves. */
    async setVerifiedEmail(customerId: string, email: string): Promise<Profile> {
        await this.get(customerId);
        const [row] = await this.db.query<ProfileRow>(
            `UPDATE users.profiles SET email = $2, updated_at = now() WHERE customer_id = $1 RETURNING ${PROFILE_COLUMNS}`,
            [customerId, email],
        );
        return toProfile(row);
    }

    async addresses(customerId: string): Promise<Address[]> {
        const rows = await this.db.query<AddressRow>(
            `SELECT ${ADDRESS_COLUMNS} FROM users.addresses WHERE customer_id = $1 ORDER BY is_default DESC, created_at`,
            [customerId],
        );
        return rows.map(toAddress);
    }

    async address(customerId: string, addressId: string): Promise<Address> {
        const [row] = await this.db.query<AddressRow>(
            `SELECT ${ADDRESS_COLUMNS} FROM users.addresses WHERE customer_id = $1 AND address_id = $2`,
            [customerId, addressId],
        );
        if (!row) throw notFound("no such address");
        return toAddress(row);
    }

    /** Adds an address; the first one, or one marked so, becomes the default. */
    async addAddress(customerId: string, address: NewAddress): Promise<Address> {
        checkCountry(address.country);
        await this.get(customerId);
        return this.db.transaction(async (sql) => {
            // The profile row serialises this customer's address changes (one default, the cap).
            await sql.query("SELECT 1 FROM users.profiles WHERE customer_id = $1 FOR UPDATE", [customerId]);
            const { rows } = await sql.query<{ n: number }>(
                "SELECT count(*)::int AS n FROM users.addresses WHERE customer_id = $1",
                [customerId],
            );
            if (rows[0].n >= MAX_ADDRESSES)
                throw unprocessable(`an address book holds at most ${MAX_ADDRESSES} addresses`);
            const isDefault = address.isDefault === true || rows[0].n === 0;
            if (isDefault) await clearDefault(sql, customerId);
            const { rows: created } = await sql.query<AddressRow>(
                `INSERT INTO users.addresses (customer_id, label, recipient, phone, country, region, city, street, postal_code, landmark, is_default)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ADDRESS_COLUMNS}`,
                [
                    customerId,
                    address.label ?? null,
                    address.recipient,
                    address.phone,
                    address.country,
                    address.region,
                    address.city,
                    address.street,
                    address.postalCode ?? null,
                    address.landmark ?? null,
                    isDefault,
                ],
            );
            return toAddress(created[0]);
        });
    }

    async updateAddress(customerId: string, addressId: string, changes: AddressChanges): Promise<Address> {
        if (changes.country) checkCountry(changes.country);
        const entries = Object.entries(changes) as [keyof AddressChanges, unknown][];
        const [row] = await this.db.query<AddressRow>(
            `UPDATE users.addresses SET ${entries.map(([field], i) => `${ADDRESS_FIELDS[field]} = $${i + 3}`).join(", ")}, updated_at = now()
             WHERE customer_id = $1 AND address_id = $2 RETURNING ${ADDRESS_COLUMNS}`,
            [customerId, addressId, ...entries.map(([, value]) => value)],
        );
        if (!row) throw notFound("no such address");
        return toAddress(row);
    }

    async makeDefault(customerId: string, addressId: string): Promise<Address> {
        return this.db.transaction(async (sql) => {
            await sql.query("SELECT 1 FROM users.profiles WHERE customer_id = $1 FOR UPDATE", [customerId]);
            const { rows: found } = await sql.query(
                "SELECT 1 FROM users.addresses WHERE customer_id = $1 AND address_id = $2",
                [customerId, addressId],
            );
            if (found.length === 0) throw notFound("no such address");
            await clearDefault(sql, customerId);
            const { rows } = await sql.query<AddressRow>(
                `UPDATE users.addresses SET is_default = true, updated_at = now() WHERE customer_id = $1 AND address_id = $2
                 RETURNING ${ADDRESS_COLUMNS}`,
                [customerId, addressId],
            );
            return toAddress(rows[0]);
        });
    }

    /** Removes an address; if it was the default, the oldest remaining one becomes the default. */
    async removeAddress(customerId: string, addressId: string): Promise<void> {
        await this.db.transaction(async (sql) => {
            await sql.query("SELECT 1 FROM users.profiles WHERE customer_id = $1 FOR UPDATE", [customerId]);
            const { rows } = await sql.query<{ is_default: boolean }>(
                "DELETE FROM users.addresses WHERE customer_id = $1 AND address_id = $2 RETURNING is_default",
                [customerId, addressId],
            );
            if (rows.length === 0) throw notFound("no such address");
            if (rows[0].is_default) {
                await sql.query(
                    `UPDATE users.addresses SET is_default = true, updated_at = now() WHERE address_id = (
                         SELECT address_id FROM users.addresses WHERE customer_id = $1 ORDER BY created_at LIMIT 1)`,
                    [customerId],
                );
            }
        });
    }

    /** Admins: customers whose e-mail address or phone number starts with the query. */
    async search(query: { email?: string; phone?: string; limit?: number }): Promise<Profile[]> {
        const rows = await this.db.read<ProfileRow>(
            `SELECT ${PROFILE_COLUMNS} FROM users.profiles
             WHERE ($1::text IS NULL OR lower(email) LIKE $1 ESCAPE '\\')
               AND ($2::text IS NULL OR phone LIKE $2 ESCAPE '\\')
             ORDER BY lower(email) NULLS LAST, customer_id LIMIT $3`,
            [
                query.email ? `${escapeLike(query.email.toLowerCase())}%` : null,
                query.phone ? `${escapeLike(query.phone)}%` : null,
                query.limit ?? 20,
            ],
        );
        return rows.map(toProfile);
    }
}

async function clearDefault(sql: Sql, customerId: string): Promise<void> {
    await sql.query("UPDATE users.addresses SET is_default = false WHERE customer_id = $1 AND is_default", [
        customerId,
    ]);
}

function checkCountry(code: string): void {
    if (!isCountry(code))
        throw badRequest(`${code} is not an ISO 3166-1 country code`, [
            { field: "body.country", message: "not a country" },
        ]);
}

function canonicalLocale(locale: string): string {
    try {
        return Intl.getCanonicalLocales(locale)[0];
    } catch {
        throw badRequest(`${locale} is not a language tag`, [{ field: "body.locale", message: "not a language tag" }]);
    }
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function toProfile(row: ProfileRow): Profile {
    return {
        customerId: row.customer_id,
        email: row.email,
        name: row.name,
        phone: row.phone,
        locale: row.locale,
        preferredCurrency: row.preferred_currency as Profile["preferredCurrency"],
        marketingConsent: { given: row.marketing_consent, at: row.marketing_consent_at?.toISOString() ?? null },
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
    };
}

export function toAddress(row: AddressRow): Address {
    return {
        id: row.address_id,
        label: row.label,
        recipient: row.recipient,
        phone: row.phone,
        country: row.country,
        region: row.region,
        city: row.city,
        street: row.street,
        postalCode: row.postal_code,
        landmark: row.landmark,
        isDefault: row.is_default,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
    };
}

export type { AddressRow, ProfileRow };
