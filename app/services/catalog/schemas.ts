// The catalogue's HTTP shapes, as TypeBox schemas: validation, types and the OpenAPI document.
import { Type, type Static } from "typebox";
import { CURRENCIES } from "../../shared/currencies";

export const Currency = Type.Union(
    CURRENCIES.map((code) => Type.Literal(code)),
    { description: "ISO 4217 code of a market currency" },
);
export const Sku = Type.String({ pattern: "^[A-Z0-9][A-Z0-9-]{0,63}$", description: "e.g. TSHIRT-RED-M" });
export const Slug = Type.String({ pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 120 });
export const ProductId = Type.String({ format: "uuid" });
export const CategoryId = Type.String({ pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 60 });
export const Attributes = Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 200 }), {
    maxProperties: 50,
    description: "free-form facts as text: material, size, colour, capacity...",
});
export const Availability = Type.Union([Type.Literal("available"), Type.Literal("low"), Type.Literal("out_of_stock")]);
export const MinorUnits = Type.Integer({
    minimum: 0,
    maximum: 1e13,
    description: "integer count of the currency's minor unit",
});
/** A price per market currency; at least one. */
export const Prices = Type.Partial(Type.Object(Object.fromEntries(CURRENCIES.map((code) => [code, MinorUnits]))), {
    minProperties: 1,
    additionalProperties: false,
});

export const Image = Type.Object({
    url: Type.String({ description: "the largest rendition, on the site's domain" }),
    thumbnailUrl: Type.String({ description: "the smallest rendition" }),
    renditions: Type.Record(Type.String(), Type.String(), { description: "width in pixels -> URL" }),
    alt: Type.String(),
    position: Type.Integer(),
});

export const SkuView = Type.Object({
    sku: Sku,
    name: Type.String(),
    attributes: Attributes,
    prices: Type.Record(Type.String(), MinorUnits),
    availability: Availability,
});

export const ProductView = Type.Object({
    id: ProductId,
    slug: Slug,
    title: Type.String(),
    description: Type.String(),
    brand: Type.String(),
    category: Type.Object({ id: CategoryId, name: Type.String(), path: Type.Array(CategoryId) }),
    attributes: Attributes,
    images: Type.Array(Image),
    availability: Availability,
    skus: Type.Array(SkuView),
});
export type ProductView = Static<typeof ProductView>;

export const SORTS = ["relevance", "newest", "price_asc", "price_desc", "title"] as const;
export type Sort = (typeof SORTS)[number];

export const ListingQuery = Type.Object(
    {
        currency: Currency,
        q: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: "full-text search, typo tolerant" })),
        category: Type.Optional(CategoryId),
        minPrice: Type.Optional(MinorUnits),
        maxPrice: Type.Optional(MinorUnits),
        availability: Type.Optional(Type.Union([Type.Literal("in_stock"), Type.Literal("any")])),
        sort: Type.Optional(Type.Union(SORTS.map((sort) => Type.Literal(sort)))),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        cursor: Type.Optional(Type.String({ maxLength: 200, description: "nextCursor of the previous page" })),
    },
    { additionalProperties: false },
);
export type ListingQuery = Static<typeof ListingQuery>;

export const ListingItem = Type.Object({
    id: ProductId,
    slug: Slug,
    title: Type.String(),
    brand: Type.String(),
    categoryId: CategoryId,
    price: Type.Object({ currency: Currency, fromMinor: MinorUnits }),
    availability: Availability,
    thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
});

export const Listing = Type.Object({
    items: Type.Array(ListingItem),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type Listing = Static<typeof Listing>;

export const CategoryView = Type.Object({
    id: CategoryId,
    name: Type.String(),
    parentId: Type.Union([CategoryId, Type.Null()]),
    /** The ids from the root down to this category. */
    path: Type.Array(CategoryId),
    position: Type.Integer(),
});

/** The category tree, depth first (a parent before its children, siblings by position). */
export const Categories = Type.Object({ categories: Type.Array(CategoryView) });
export type Categories = Static<typeof Categories>;

// --- admin bodies

export const NewSku = Type.Object(
    {
        sku: Sku,
        name: Type.String({ minLength: 1, maxLength: 200 }),
        attributes: Type.Optional(Attributes),
        prices: Prices,
        stock: Type.Object(
            {
                onHand: Type.Integer({ minimum: 0, maximum: 1e9 }),
                lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
            },
            { additionalProperties: false },
        ),
    },
    { additionalProperties: false },
);
export type NewSku = Static<typeof NewSku>;

const productFields = {
    slug: Slug,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 5000 }),
    brand: Type.String({ minLength: 1, maxLength: 100 }),
    categoryId: CategoryId,
    attributes: Attributes,
};

export const NewProduct = Type.Object(
    {
        ...productFields,
        description: Type.Optional(productFields.description),
        attributes: Type.Optional(Attributes),
        skus: Type.Array(NewSku, { minItems: 1, maxItems: 100 }),
    },
    { additionalProperties: false },
);
export type NewProduct = Static<typeof NewProduct>;

export const ProductChanges = Type.Partial(Type.Object(productFields), {
    additionalProperties: false,
    minProperties: 1,
});
export type ProductChanges = Static<typeof ProductChanges>;

export const SkuChanges = Type.Object(
    {
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        attributes: Type.Optional(Attributes),
        position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    },
    { additionalProperties: false, minProperties: 1 },
);
export type SkuChanges = Static<typeof SkuChanges>;

export const StockLevel = Type.Object(
    {
        onHand: Type.Integer({ minimum: 0, maximum: 1e9 }),
        lowStockThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9 })),
    },
    { additionalProperties: false },
);
export type StockLevel = Static<typeof StockLevel>;

export const CategoryBody = Type.Object(
    {
        name: Type.String({ minLength: 1, maxLength: 100 }),
        parentId: Type.Optional(Type.Union([CategoryId, Type.Null()])),
        position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    },
    { additionalProperties: false },
);
export type CategoryBody = Static<typeof CategoryBody>;

export const UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

export const UploadRequest = Type.Object(
    {
        productId: ProductId,
        contentType: Type.Union(UPLOAD_CONTENT_TYPES.map((type) => Type.Literal(type))),
    },
    { additionalProperties: false },
);
export type UploadRequest = Static<typeof UploadRequest>;

export const UploadForm = Type.Object({
    url: Type.String({ description: "POST the form here (multipart/form-data), the file last" }),
    fields: Type.Record(Type.String(), Type.String()),
    objectKey: Type.String(),
    maxBytes: Type.Integer(),
    expiresAt: Type.String({ format: "date-time" }),
});

const AdminSku = Type.Object({
    sku: Sku,
    name: Type.String(),
    attributes: Attributes,
    status: Type.Union([Type.Literal("active"), Type.Literal("archived")]),
    position: Type.Integer(),
    prices: Type.Record(Type.String(), MinorUnits),
    stock: Type.Object({ onHand: Type.Integer(), reserved: Type.Integer(), lowStockThreshold: Type.Integer() }),
});

/** A product as admins see it: archived parts, stock reserved by orders, raw image keys. */
export const AdminProduct = Type.Object({
    id: ProductId,
    slug: Slug,
    title: Type.String(),
    description: Type.String(),
    brand: Type.String(),
    categoryId: CategoryId,
    attributes: Attributes,
    status: Type.Union([Type.Literal("active"), Type.Literal("archived")]),
    images: Type.Array(Type.Object({ objectKey: Type.String(), alt: Type.String(), position: Type.Integer() })),
    skus: Type.Array(AdminSku),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
});
export type AdminProduct = Static<typeof AdminProduct>;

export const NewImage = Type.Object(
    {
        objectKey: Type.String({ pattern: "^uploads/products/[0-9a-f-]{36}/[A-Za-z0-9_.-]+$" }),
        alt: Type.Optional(Type.String({ maxLength: 300 })),
        position: Type.Integer({ minimum: 0, maximum: 100 }),
    },
    { additionalProperties: false },
);
export type NewImage = Static<typeof NewImage>;
