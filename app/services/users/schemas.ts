// The user-profiles service's HTTP shapes (TypeBox): validation, types, OpenAPI.
import { Type, type Static } from "typebox";
import { CURRENCIES } from "../../shared/currencies";

export const E164 = Type.String({ pattern: "^\\+[1-9][0-9]{6,14}$", description: "E.164, e.g. +254712345678" });
const Currency = Type.Union(CURRENCIES.map((code) => Type.Literal(code)));
const Locale = Type.String({
    pattern: "^[a-z]{2,3}(-[A-Z]{2})?$",
    description: "BCP 47 language[-REGION], e.g. en-ZA, sw-KE",
});
const Country = Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2, e.g. NG" });
const Timestamp = Type.String({ format: "date-time" });

export const Profile = Type.Object({
    customerId: Type.String({ description: "the Cognito user's subject" }),
    email: Type.Union([Type.String(), Type.Null()], { description: "verified by Cognito (PUT /users/me/email)" }),
    name: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([E164, Type.Null()]),
    locale: Type.Union([Locale, Type.Null()]),
    preferredCurrency: Type.Union([Currency, Type.Null()]),
    marketingConsent: Type.Object({
        given: Type.Boolean(),
        at: Type.Union([Timestamp, Type.Null()], { description: "when it was last given or withdrawn" }),
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
});
export type Profile = Static<typeof Profile>;

export const ProfileChanges = Type.Object(
    {
        name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
        phone: Type.Optional(Type.Union([E164, Type.Null()])),
        locale: Type.Optional(Type.Union([Locale, Type.Null()])),
        preferredCurrency: Type.Optional(Type.Union([Currency, Type.Null()])),
        marketingConsent: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, minProperties: 1 },
);
export type ProfileChanges = Static<typeof ProfileChanges>;

export const EmailProof = Type.Object(
    { idToken: Type.String({ minLength: 20, maxLength: 8192, description: "the Cognito ID token from sign-in" }) },
    { additionalProperties: false },
);

const addressFields = {
    label: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()], { description: "Home, Work..." }),
    recipient: Type.String({ minLength: 1, maxLength: 200 }),
    phone: E164,
    country: Country,
    region: Type.String({ minLength: 1, maxLength: 100, description: "province, state or county" }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    street: Type.String({ minLength: 1, maxLength: 300 }),
    postalCode: Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()], {
        description: "often none: leave it out",
    }),
    landmark: Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
        description: "a landmark or delivery instructions",
    }),
};

export const Address = Type.Object({
    id: Type.String({ format: "uuid" }),
    ...addressFields,
    isDefault: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
});
export type Address = Static<typeof Address>;

export const NewAddress = Type.Object(
    {
        label: Type.Optional(addressFields.label),
        recipient: addressFields.recipient,
        phone: addressFields.phone,
        country: addressFields.country,
        region: addressFields.region,
        city: addressFields.city,
        street: addressFields.street,
        postalCode: Type.Optional(addressFields.postalCode),
        landmark: Type.Optional(addressFields.landmark),
        isDefault: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
);
export type NewAddress = Static<typeof NewAddress>;

export const AddressChanges = Type.Partial(Type.Object(addressFields), {
    additionalProperties: false,
    minProperties: 1,
});
export type AddressChanges = Static<typeof AddressChanges>;

export const AddressId = Type.Object({ addressId: Type.String({ format: "uuid" }) });

export const Addresses = Type.Object({ addresses: Type.Array(Address) });

export const CustomerQuery = Type.Object(
    {
        email: Type.Optional(
            Type.String({ minLength: 3, maxLength: 254, description: "the address, or its beginning" }),
        ),
        phone: Type.Optional(Type.String({ pattern: "^\\+[0-9]{4,15}$", description: "E.164, or its beginning" })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    },
    { additionalProperties: false, minProperties: 1 },
);
export type CustomerQuery = Static<typeof CustomerQuery>;

export const Customers = Type.Object({ customers: Type.Array(Profile) });

/** Everything the shop holds about the customer (POPIA s23, NDPA, Kenya DPA s26: access). */
export const Export = Type.Object({
    generatedAt: Timestamp,
    profile: Type.Union([Profile, Type.Null()]),
    addresses: Type.Array(Address),
    orders: Type.Array(
        Type.Object({
            orderId: Type.String(),
            status: Type.String(),
            placedAt: Timestamp,
            currency: Type.Union([Type.String(), Type.Null()]),
            totalMinor: Type.Union([Type.Integer(), Type.Null()]),
            email: Type.Union([Type.String(), Type.Null()]),
            phone: Type.Union([Type.String(), Type.Null()]),
            lines: Type.Array(
                Type.Object({ sku: Type.String(), quantity: Type.Integer(), unitPriceMinor: Type.Integer() }),
            ),
        }),
    ),
    carts: Type.Array(
        Type.Object({
            cartId: Type.String(),
            status: Type.String(),
            updatedAt: Timestamp,
            items: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
        }),
    ),
});
export type Export = Static<typeof Export>;
