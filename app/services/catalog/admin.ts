// The catalogue's writes, for the admins group: products, SKUs, prices, stock levels, images and
// categories. Each is one transaction on the writer; once it has committed, the cache tags of
// what it changed are replaced (reads.ts), so no task serves the old version afterwards.
// Nothing is deleted that an order may reference: products and SKUs are archived.
import { DatabaseError } from "pg";
import type { Cache } from "../kit/cache";
import type { Postgres, Sql } from "../kit/postgres";
import { badRequest, conflict, notFound, unprocessable } from "../kit/problems";
import { CATEGORIES_TAG, LISTINGS_TAG, productTags } from "./reads";
import type {
    AdminProduct,
    CategoryBody,
    NewImage,
    NewProduct,
    NewSku,
    ProductChanges,
    SkuChanges,
    StockLevel,
} from "./schemas";

interface ProductKey {
    product_id: string;
    slug: string;
}

export class CatalogAdmin {
    constructor(
        private readonly db: Postgres,
        private readonly cache: Cache,
    ) {}

    async createProduct(body: NewProduct): Promise<AdminProduct> {
        const id = await this.write(async (sql) => {
            const [row] = (
                await sql.query<ProductKey>(
                    `INSERT INTO catalog.products (slug, title, description, brand, category_id, attributes)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING product_id, slug`,
                    [body.slug, body.title, body.description ?? "", body.brand, body.categoryId, body.attributes ?? {}],
                )
            ).rows;
            for (const [position, sku] of body.skus.entries()) await insertSku(sql, row.product_id, sku, position);
            return row;
        });
        return this.product(id.product_id);
    }

    async updateProduct(productId: string, changes: ProductChanges): Promise<AdminProduct> {
        const columns: Record<keyof ProductChanges, string> = {
            slug: "slug",
            title: "title",
            description: "description",
            brand: "brand",
            categoryId: "category_id",
            attributes: "attributes",
        };
        const entries = Object.entries(changes) as [keyof ProductChanges, unknown][];
        await this.write(async (sql) => {
            const before = await lockProduct(sql, productId);
            const [after] = (
                await sql.query<ProductKey>(
                    `UPDATE catalog.products SET ${entries.map(([field], i) => `${columns[field]} = $${i + 2}`).join(", ")},
                     updated_at = now() WHERE product_id = $1 RETURNING product_id, slug`,
                    [productId, ...entries.map(([, value]) => value)],
                )
            ).rows;
            return [before, after];
        });
        return this.product(productId);
    }

    async archiveProduct(productId: string): Promise<AdminProduct> {
        await this.write(async (sql) => {
            const product = await lockProduct(sql, productId);
            await sql.query(
                "UPDATE catalog.products SET status = 'archived', updated_at = now() WHERE product_id = $1",
                [productId],
            );
            return product;
        });
        return this.product(productId);
    }

    async addSku(productId: string, sku: NewSku): Promise<AdminProduct> {
        await this.write(async (sql) => {
            const product = await lockProduct(sql, productId);
            const { rows } = await sql.query<{ n: number }>(
                "SELECT count(*)::int AS n FROM catalog.skus WHERE product_id = $1",
                [productId],
            );
            await insertSku(sql, productId, sku, rows[0].n);
            return product;
        });
        return this.product(productId);
    }

    async updateSku(sku: string, changes: SkuChanges): Promise<AdminProduct> {
        const product = await this.write(async (sql) => {
            const owner = await lockSku(sql, sku);
            await sql.query(
                `UPDATE catalog.skus SET name = coalesce($2, name), attributes = coalesce($3, attributes),
                 position = coalesce($4, position), updated_at = now() WHERE sku = $1`,
                [sku, changes.name ?? null, changes.attributes ?? null, changes.position ?? null],
            );
            return owner;
        });
        return this.product(product.product_id);
    }

    async archiveSku(sku: string): Promise<AdminProduct> {
        const product = await this.write(async (sql) => {
            const owner = await lockSku(sql, sku);
            await sql.query("UPDATE catalog.skus SET status = 'archived', updated_at = now() WHERE sku = $1", [sku]);
            return owner;
        });
        return this.product(product.product_id);
    }

    /** Replaces the SKU's prices: a currency left out is no longer sold in. */
    async setPrices(sku: string, prices: Record<string, number>): Promise<AdminProduct> {
        const product = await this.write(async (sql) => {
            const owner = await lockSku(sql, sku);
            await sql.query("DELETE FROM catalog.prices WHERE sku = $1 AND currency <> ALL ($2)", [
                sku,
                Object.keys(prices),
            ]);
            await upsertPrices(sql, sku, prices);
            return owner;
        });
        return this.product(product.product_id);
    }

    /** Sets the stock on hand (a delivery, a count); what confirmed orders hold stays reserved. */
    async setStock(sku: string, level: StockLevel): Promise<AdminProduct> {
        const product = await this.write(async (sql) => {
            const owner = await lockSku(sql, sku);
            const { rows } = await sql
                .query<{ reserved: number }>(
                    `UPDATE catalog.stock SET on_hand = $2, low_stock_threshold = coalesce($3, low_stock_threshold), updated_at = now()
                 WHERE sku = $1 RETURNING reserved`,
                    [sku, level.onHand, level.lowStockThreshold ?? null],
                )
                .catch((error: unknown) => {
                    if (error instanceof DatabaseError && error.constraint === "stock_reserved_within_on_hand")
                        throw conflict("onHand is below what confirmed orders have reserved");
                    throw error;
                });
            if (rows.length === 0) throw notFound(`no stock record for ${sku}`);
            return owner;
        });
        return this.product(product.product_id);
    }

    async addImage(productId: string, image: NewImage): Promise<AdminProduct> {
        if (!image.objectKey.startsWith(`uploads/products/${productId}/`))
            throw badRequest("objectKey must be an upload for this product (POST /catalog/admin/uploads)");
        await this.write(async (sql) => {
            const product = await lockProduct(sql, productId);
            await sql.query(
                `INSERT INTO catalog.product_images (product_id, position, object_key, alt_text) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (product_id, position) DO UPDATE SET object_key = EXCLUDED.object_key, alt_text = EXCLUDED.alt_text`,
                [productId, image.position, image.objectKey, image.alt ?? ""],
            );
            return product;
        });
        return this.product(productId);
    }

    async removeImage(productId: string, position: number): Promise<AdminProduct> {
        await this.write(async (sql) => {
            const product = await lockProduct(sql, productId);
            const { rowCount } = await sql.query(
                "DELETE FROM catalog.product_images WHERE product_id = $1 AND position = $2",
                [productId, position],
            );
            if (!rowCount) throw notFound(`the product has no image at position ${position}`);
            return product;
        });
        return this.product(productId);
    }

    /** Creates or updates a category; its parent must exist and not be itself or a descendant. */
    async putCategory(categoryId: string, body: CategoryBody): Promise<void> {
        await this.db.transaction(async (sql) => {
            if (body.parentId) {
                const { rows } = await sql.query<{ loops: boolean }>(
                    `WITH RECURSIVE up AS (
                         SELECT category_id, parent_id FROM catalog.categories WHERE category_id = $1
                         UNION ALL SELECT c.category_id, c.parent_id FROM catalog.categories c JOIN up ON c.category_id = up.parent_id
                     ) SELECT bool_or(category_id = $2) AS loops, count(*) > 0 AS found FROM up`,
                    [body.parentId, categoryId],
                );
                if (rows[0].loops) throw unprocessable("a category cannot be its own ancestor");
            }
            await sql
                .query(
                    `INSERT INTO catalog.categories (category_id, name, parent_id, position) VALUES ($1, $2, $3, coalesce($4, 0))
                     ON CONFLICT (category_id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id,
                     position = coalesce($4, catalog.categories.position)`,
                    [categoryId, body.name, body.parentId ?? null, body.position ?? null],
                )
                .catch(rethrowDataError);
        });
        await this.cache.invalidate([CATEGORIES_TAG, LISTINGS_TAG]);
    }

    /** 404 unless the product exists (archived or not). */
    async requireProduct(productId: string): Promise<void> {
        const [product] = await this.db.query("SELECT 1 FROM catalog.products WHERE product_id = $1", [productId]);
        if (!product) throw notFound("no such product");
    }

    /** The whole product as admins see it: archived parts, stock reserved by orders, raw image keys. */
    async product(productId: string): Promise<AdminProduct> {
        const [row] = await this.db.query<{
            product_id: string;
            slug: string;
            title: string;
            description: string;
            brand: string;
            category_id: string;
            attributes: Record<string, string>;
            status: "active" | "archived";
            created_at: Date;
            updated_at: Date;
            images: AdminProduct["images"];
            skus: AdminProduct["skus"];
        }>(
            `SELECT p.product_id, p.slug, p.title, p.description, p.brand, p.category_id, p.attributes, p.status,
                    p.created_at, p.updated_at,
                    coalesce((SELECT jsonb_agg(jsonb_build_object('objectKey', i.object_key, 'alt', i.alt_text, 'position', i.position)
                              ORDER BY i.position) FROM catalog.product_images i WHERE i.product_id = p.product_id), '[]') AS images,
                    coalesce((SELECT jsonb_agg(jsonb_build_object(
                                  'sku', s.sku, 'name', s.name, 'attributes', s.attributes, 'status', s.status, 'position', s.position,
                                  'prices', coalesce((SELECT jsonb_object_agg(pr.currency, pr.amount_minor) FROM catalog.prices pr WHERE pr.sku = s.sku), '{}'),
                                  'stock', jsonb_build_object('onHand', st.on_hand, 'reserved', st.reserved, 'lowStockThreshold', st.low_stock_threshold))
                              ORDER BY s.position, s.sku)
                              FROM catalog.skus s JOIN catalog.stock st USING (sku) WHERE s.product_id = p.product_id), '[]') AS skus
             FROM catalog.products p WHERE p.product_id = $1`,
            [productId],
        );
        if (!row) throw notFound("no such product");
        return {
            id: row.product_id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            brand: row.brand,
            categoryId: row.category_id,
            attributes: row.attributes,
            status: row.status,
            images: row.images,
            skus: row.skus,
            createdAt: row.created_at.toISOString(),
            updatedAt: row.updated_at.toISOString(),
        };
    }

    /**
     * Runs a write that returns the product(s) it touched (before and after, when the slug may
     * change); once committed, their cache tags and the listings' are replaced.
     */
    private async write(work: (sql: Sql) => Promise<ProductKey | ProductKey[]>): Promise<ProductKey> {
        const touched = [await this.db.transaction(work).catch(rethrowDataError)].flat();
        await this.cache.invalidate([...touched.flatMap((p) => productTags(p.product_id, p.slug)), LISTINGS_TAG]);
        return touched[touched.length - 1];
    }
}

async function lockProduct(sql: Sql, productId: string): Promise<ProductKey> {
    const { rows } = await sql.query<ProductKey>(
        "SELECT product_id, slug FROM catalog.products WHERE product_id = $1 FOR UPDATE",
        [productId],
    );
    if (!rows[0]) throw notFound("no such product");
    return rows[0];
}

async function lockSku(sql: Sql, sku: string): Promise<ProductKey> {
    const { rows } = await sql.query<ProductKey>(
        `SELECT p.product_id, p.slug FROM catalog.skus s JOIN catalog.products p USING (product_id)
         WHERE s.sku = $1 FOR UPDATE OF s`,
        [sku],
    );
    if (!rows[0]) throw notFound(`no SKU ${sku}`);
    return rows[0];
}

async function insertSku(sql: Sql, productId: string, sku: NewSku, position: number): Promise<void> {
    await sql.query(
        "INSERT INTO catalog.skus (sku, product_id, name, attributes, position) VALUES ($1, $2, $3, $4, $5)",
        [sku.sku, productId, sku.name, sku.attributes ?? {}, position],
    );
    await upsertPrices(sql, sku.sku, sku.prices as Record<string, number>);
    await sql.query("INSERT INTO catalog.stock (sku, on_hand, low_stock_threshold) VALUES ($1, $2, coalesce($3, 5))", [
        sku.sku,
        sku.stock.onHand,
        sku.stock.lowStockThreshold ?? null,
    ]);
}

async function upsertPrices(sql: Sql, sku: string, prices: Record<string, number>): Promise<void> {
    await sql.query(
        `INSERT INTO catalog.prices (sku, currency, amount_minor)
         SELECT $1, currency, amount FROM unnest($2::text[], $3::bigint[]) AS p(currency, amount)
         ON CONFLICT (sku, currency) DO UPDATE SET amount_minor = EXCLUDED.amount_minor, updated_at = now()`,
        [sku, Object.keys(prices), Object.values(prices)],
    );
}

/** PostgreSQL's verdicts on the data, as the client's problems; anything else is ours (500). */
function rethrowDataError(error: unknown): never {
    if (error instanceof DatabaseError) {
        if (error.code === "23505") throw conflict(`already exists: ${uniqueWhat(error)}`);
        if (error.code === "23503")
            throw unprocessable(`refers to something that does not exist: ${error.detail ?? ""}`.trim());
    }
    throw error;
}

const uniqueWhat = (error: DatabaseError): string =>
    (error.detail ?? "").replace(/^Key \((.*)\)=\((.*)\) already exists\.$/, "$1 $2") || "a unique value";
