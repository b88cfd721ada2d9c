// The catalogue's public reads: a product, the listing (filters, search, sorts, keyset pages)
// and the category tree, from the reader endpoint, cache-aside (kit/cache.ts). Each answer is
// built once as JSON text and cached as such, so a hit sends the stored bytes.
// Cache tags: a product's detail depends on "product:<id>" (or "slug:<slug>" when asked for by
// slug) and "categories"; listings on "listings"; the tree on "categories". admin.ts replaces
// the tags of what it changed.
import type { Cache, CacheRead } from "../kit/cache";
import type { Postgres } from "../kit/postgres";
import { badRequest, notFound } from "../kit/problems";
import type { ImageRow, ImageUrls } from "./media";
import type { Categories, Listing, ListingQuery, ProductView, Sort } from "./schemas";

export interface CatalogReadsOptions {
    productTtlSeconds: number;
    listingTtlSeconds: number;
}

const DEFAULT_PAGE = 24;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How a SKU's stock shows: available, low (at or under its threshold) or out of stock. */
const AVAILABILITY_SQL = `CASE WHEN st.on_hand - st.reserved > st.low_stock_threshold THEN 2
                              WHEN st.on_hand - st.reserved > 0 THEN 1 ELSE 0 END`;
const AVAILABILITY = ["out_of_stock", "low", "available"] as const;

export const productTags = (id: string, slug?: string) => [`product:${id}`, ...(slug ? [`slug:${slug}`] : [])];
export const LISTINGS_TAG = "listings";
export const CATEGORIES_TAG = "categories";

export class CatalogReads {
    constructor(
        private readonly db: Postgres,
        private readonly cache: Cache,
        private readonly images: ImageUrls,
        private readonly options: CatalogReadsOptions,
    ) {}

    /** A product on sale, by id or slug, with its SKUs' prices in every currency and stock. */
    product(idOrSlug: string): Promise<CacheRead> {
        const byId = UUID.test(idOrSlug);
        // A product shows its category's name and path: a category write makes it stale too.
        const tags = [...(byId ? productTags(idOrSlug) : [`slug:${idOrSlug}`]), CATEGORIES_TAG];
        return this.cache.fetch(`product:${idOrSlug}`, tags, this.options.productTtlSeconds, async () =>
            JSON.stringify(await this.loadProduct(byId ? { id: idOrSlug } : { slug: idOrSlug })),
        );
    }

    listing(query: ListingQuery): Promise<CacheRead> {
        const key = `listing:${JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)))}`;
        return this.cache.fetch(key, [LISTINGS_TAG], this.options.listingTtlSeconds, async () =>
            JSON.stringify(await this.loadListing(query)),
        );
    }

    categories(): Promise<CacheRead> {
        return this.cache.fetch("categories", [CATEGORIES_TAG], this.options.listingTtlSeconds, async () =>
            JSON.stringify(await this.loadCategories()),
        );
    }

    /** One statement (one round trip, prepared once per connection): the product, its category path, SKUs and images. */
    private async loadProduct(which: { id: string } | { slug: string }): Promise<ProductView> {
        const by = "id" in which ? "id" : "slug";
        const [product] = await this.db.read<{
            product_id: string;
            slug: string;
            title: string;
            description: string;
            brand: string;
            category_id: string;
            category_name: string;
            category_path: string[];
            attributes: Record<string, string>;
            skus: {
                sku: string;
                name: string;
                attributes: Record<string, string>;
                prices: Record<string, number>;
                availability: number;
            }[];
            images: ImageRow[];
        }>(
            {
                name: `catalog-product-by-${by}`,
                text: `WITH RECURSIVE product AS (
                     SELECT product_id, slug, title, description, brand, category_id, attributes FROM catalog.products
                     WHERE ${by === "id" ? "product_id = $1::uuid" : "slug = $1"} AND status = 'active'
                 ), up AS (
                     SELECT c.category_id, c.parent_id, c.name, 1 AS depth FROM catalog.categories c JOIN product USING (category_id)
                     UNION ALL
                     SELECT c.category_id, c.parent_id, c.name, up.depth + 1 FROM catalog.categories c JOIN up ON c.category_id = up.parent_id
                 )
                 SELECT p.*,
                        (SELECT name FROM up WHERE depth = 1) AS category_name,
                        (SELECT array_agg(category_id ORDER BY depth DESC) FROM up) AS category_path,
                        (SELECT coalesce(json_agg(json_build_object(
                                    'sku', s.sku, 'name', s.name, 'attributes', s.attributes,
                                    'prices', (SELECT coalesce(json_object_agg(pr.currency, pr.amount_minor), '{}') FROM catalog.prices pr WHERE pr.sku = s.sku),
                                    'availability', ${AVAILABILITY_SQL}) ORDER BY s.position, s.sku), '[]')
                         FROM catalog.skus s JOIN catalog.stock st USING (sku)
                         WHERE s.product_id = p.product_id AND s.status = 'active') AS skus,
                        (SELECT coalesce(json_agg(json_build_object('object_key', i.object_key, 'alt_text', i.alt_text, 'position', i.position)
                                  ORDER BY i.position), '[]')
                         FROM catalog.product_images i WHERE i.product_id = p.product_id) AS images
                 FROM product p`,
            },
            ["id" in which ? which.id : which.slug],
        );
        if (!product) throw notFound("no such product on sale");
        return {
            id: product.product_id,
            slug: product.slug,
            title: product.title,
            description: product.description,
            brand: product.brand,
            category: { id: product.category_id, name: product.category_name, path: product.category_path },
            attributes: product.attributes,
            images: product.images.map((row) => this.images.image(row)),
            availability: AVAILABILITY[Math.max(0, ...product.skus.map((sku) => sku.availability))],
            skus: product.skus.map((sku) => ({ ...sku, availability: AVAILABILITY[sku.availability] })),
        };
    }

    private async loadListing(query: ListingQuery): Promise<Listing> {
        const sort: Sort = query.sort ?? (query.q ? "relevance" : "newest");
        if (sort === "relevance" && !query.q) throw badRequest("sort=relevance needs a search query (q)");
        if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice)
            throw badRequest("minPrice is above maxPrice");
        const limit = query.limit ?? DEFAULT_PAGE;
        const values: unknown[] = [query.currency];
        const param = (value: unknown) => `$${values.push(value)}`;

        // The inner query is every product on sale in the currency, with its lowest price and its
        // best availability; the outer one filters, orders and pages it.
        const where = ["p.from_price IS NOT NULL"];
        let categories = "";
        if (query.category) {
            categories = `WITH RECURSIVE tree AS (
                SELECT category_id FROM catalog.categories WHERE category_id = ${param(query.category)}
                UNION ALL SELECT c.category_id FROM catalog.categories c JOIN tree ON c.parent_id = tree.category_id)`;
            where.push("p.category_id IN (SELECT category_id FROM tree)");
        }
        if (query.minPrice !== undefined) where.push(`p.from_price >= ${param(query.minPrice)}`);
        if (query.maxPrice !== undefined) where.push(`p.from_price <= ${param(query.maxPrice)}`);
        if (query.availability === "in_stock") where.push("p.availability > 0");
        let score = "NULL::numeric";
        if (query.q) {
            const q = param(query.q);
            // Words (stemmed; title and brand weigh more than the description) or, for typos, the
            // trigram word similarity of the query to the title.
            where.push(
                `(p.search @@ websearch_to_tsquery('english', ${q}) OR lower(p.title) OPERATOR(extensions.%>) lower(${q}))`,
            );
            score = `round((ts_rank(p.search, websearch_to_tsquery('english', ${q})) + extensions.word_similarity(lower(${q}), lower(p.title)))::numeric, 6)`;
        }
        const order = ORDER[sort];
        const after = order.direction === "ASC" ? ">" : "<";
        if (query.cursor) {
            const [key, id] = decodeCursor(query.cursor, sort);
            where.push(`(p.${order.column}, p.product_id) ${after} (${param(key)}::${order.type}, ${param(id)}::uuid)`);
        }
        const rows = await this.db.read<{
            product_id: string;
            slug: string;
            title: string;
            brand: string;
            category_id: string;
            from_price: string;
            availability: number;
            image_key: string | null;
            sort_key: string;
        }>(
            `${categories}
             SELECT p.product_id, p.slug, p.title, p.brand, p.category_id, p.from_price, p.availability, p.${order.column}::text AS sort_key,
                    (SELECT object_key FROM catalog.product_images i WHERE i.product_id = p.product_id ORDER BY position LIMIT 1) AS image_key
             FROM (
                 SELECT p.*, agg.from_price, agg.availability, ${score} AS score
                 FROM catalog.products p
                 CROSS JOIN LATERAL (
                     SELECT min(pr.amount_minor) AS from_price, max(${AVAILABILITY_SQL}) AS availability
                     FROM catalog.skus s
                     JOIN catalog.prices pr ON pr.sku = s.sku AND pr.currency = $1
                     JOIN catalog.stock st ON st.sku = s.sku
                     WHERE s.product_id = p.product_id AND s.status = 'active'
                 ) agg
                 WHERE p.status = 'active'
             ) p
             WHERE ${where.join(" AND ")}
             ORDER BY p.${order.column} ${order.direction}, p.product_id ${order.direction}
             LIMIT ${param(limit + 1)}`,
            values,
        );
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
            items: page.map((row) => ({
                id: row.product_id,
                slug: row.slug,
                title: row.title,
                brand: row.brand,
                categoryId: row.category_id,
                price: { currency: query.currency, fromMinor: Number(row.from_price) },
                availability: AVAILABILITY[row.availability],
                thumbnailUrl: row.image_key ? this.images.thumbnail(row.image_key) : null,
            })),
            nextCursor: rows.length > limit ? encodeCursor(sort, last.sort_key, last.product_id) : null,
        };
    }

    private async loadCategories(): Promise<Categories> {
        const rows = await this.db.read<{
            category_id: string;
            name: string;
            parent_id: string | null;
            path: string[];
            position: number;
        }>(
            `WITH RECURSIVE tree AS (
                 SELECT category_id, name, parent_id, position, ARRAY[category_id] AS path,
                        ARRAY[lpad(position::text, 6, '0') || category_id] AS ordering
                 FROM catalog.categories WHERE parent_id IS NULL
                 UNION ALL
                 SELECT c.category_id, c.name, c.parent_id, c.position, tree.path || c.category_id,
                        tree.ordering || (lpad(c.position::text, 6, '0') || c.category_id)
                 FROM catalog.categories c JOIN tree ON c.parent_id = tree.category_id
             )
             SELECT category_id, name, parent_id, path, position FROM tree ORDER BY ordering`,
        );
        return {
            categories: rows.map((row) => ({
                id: row.category_id,
                name: row.name,
                parentId: row.parent_id,
                path: row.path,
                position: row.position,
            })),
        };
    }
}

/** Each sort's key: a column of the listing's inner query, and its type (to read a cursor back). */
const ORDER: Record<Sort, { column: string; type: string; direction: "ASC" | "DESC"; valid: RegExp }> = {
    relevance: { column: "score", type: "numeric", direction: "DESC", valid: /^\d{1,6}(\.\d{1,6})?$/ },
    newest: {
        column: "created_at",
        type: "timestamptz",
        direction: "DESC",
        valid: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
    },
    price_asc: { column: "from_price", type: "bigint", direction: "ASC", valid: /^\d{1,15}$/ },
    price_desc: { column: "from_price", type: "bigint", direction: "DESC", valid: /^\d{1,15}$/ },
    title: { column: "title", type: "text", direction: "ASC", valid: /^.{1,200}$/s },
};

/** The sort and the last row's key (as PostgreSQL writes it: full precision) and id. */
const encodeCursor = (sort: Sort, key: string, id: string): string =>
    Buffer.from(JSON.stringify([sort, key, id])).toString("base64url");

function decodeCursor(cursor: string, sort: Sort): [string, string] {
    try {
        const [cursorSort, key, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
        if (
            cursorSort === sort &&
            typeof key === "string" &&
            ORDER[sort].valid.test(key) &&
            typeof id === "string" &&
            UUID.test(id)
        )
            return [key, id];
    } catch {
        // reported below
    }
    throw badRequest("cursor is not a cursor of this listing's sort; start again without it");
}
