// The catalogue's routes: small handlers over reads.ts (public, cached) and admin.ts (the admins
// group). Paths keep the /catalog prefix: the internal load balancer forwards /catalog* as is.
import { Type } from "typebox";
import type { TokenVerifier } from "../kit/auth";
import { sendCacheable, type Freshness } from "../kit/conditional";
import { problemResponses, type ServiceApp } from "../kit/http";
import type { CatalogAdmin } from "./admin";
import type { CatalogReads } from "./reads";
import type { UploadSigner } from "./uploads";
import {
    AdminProduct,
    Categories,
    CategoryBody,
    CategoryId,
    Listing,
    ListingQuery,
    NewImage,
    NewProduct,
    NewSku,
    Prices,
    ProductChanges,
    ProductId,
    ProductView,
    Sku,
    SkuChanges,
    StockLevel,
    UploadForm,
    UploadRequest,
} from "./schemas";

export interface CatalogRoutesDeps {
    reads: CatalogReads;
    admin: CatalogAdmin;
    uploads: UploadSigner;
    auth: TokenVerifier;
    /** Browser and CloudFront lifetimes of the public reads. */
    freshness: { product: Freshness; listing: Freshness };
}

export function catalogRoutes(app: ServiceApp, deps: CatalogRoutesDeps): void {
    const { reads, admin, uploads, auth, freshness } = deps;
    const publicRoute = { tags: ["public"] };
    const adminRoute = { tags: ["admin"], security: [{ cognito: [] }] };

    // --- public reads (no token needed; a token sent anyway is ignored: nothing here is personal)

    app.get(
        "/catalog/categories",
        { schema: { ...publicRoute, summary: "The category tree", response: { 200: Categories } } },
        async (request, reply) => sendCacheable(request, reply, await reads.categories(), freshness.listing),
    );

    app.get(
        "/catalog/products",
        {
            schema: {
                ...publicRoute,
                summary: "List and search products on sale in a currency: filters, sorts, keyset pages",
                querystring: ListingQuery,
                response: { 200: Listing, ...problemResponses(400) },
            },
        },
        async (request, reply) => sendCacheable(request, reply, await reads.listing(request.query), freshness.listing),
    );

    app.get(
        "/catalog/products/:product",
        {
            schema: {
                ...publicRoute,
                summary: "A product on sale, by id or slug, with every SKU's prices and availability",
                params: Type.Object({
                    product: Type.String({ minLength: 1, maxLength: 120, pattern: "^[a-z0-9-]+$" }),
                }),
                response: { 200: ProductView, ...problemResponses(404) },
            },
        },
        async (request, reply) =>
            sendCacheable(request, reply, await reads.product(request.params.product), freshness.product),
    );

    // --- admin (the admins group)

    // Authentication comes first (onRequest): without a valid token nothing else, not even the
    // body's validation, answers.
    const guarded = { onRequest: auth.admin };
    const productParams = Type.Object({ productId: ProductId });
    const skuParams = Type.Object({ sku: Sku });
    const adminResponses = (status: number) => ({
        [status]: AdminProduct,
        ...problemResponses(400, 401, 403, 404, 409, 422),
    });

    app.get(
        "/catalog/admin/products/:productId",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "A product as admins see it",
                params: productParams,
                response: adminResponses(200),
            },
        },
        async (request, reply) =>
            reply.header("cache-control", "no-store").send(await admin.product(request.params.productId)),
    );

    app.post(
        "/catalog/admin/products",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Create a product with its SKUs, prices and stock",
                body: NewProduct,
                response: adminResponses(201),
            },
        },
        async (request, reply) => {
            const product = await admin.createProduct(request.body);
            return reply.code(201).header("location", `/catalog/admin/products/${product.id}`).send(product);
        },
    );

    app.patch(
        "/catalog/admin/products/:productId",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Change a product's details",
                params: productParams,
                body: ProductChanges,
                response: adminResponses(200),
            },
        },
        async (request) => admin.updateProduct(request.params.productId, request.body),
    );

    app.post(
        "/catalog/admin/products/:productId/archive",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Stop showing and selling a product (orders keep it)",
                params: productParams,
                response: adminResponses(200),
            },
        },
        async (request) => admin.archiveProduct(request.params.productId),
    );

    app.post(
        "/catalog/admin/products/:productId/skus",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Add a SKU with its prices and stock",
                params: productParams,
                body: NewSku,
                response: adminResponses(201),
            },
        },
        async (request, reply) => reply.code(201).send(await admin.addSku(request.params.productId, request.body)),
    );

    app.patch(
        "/catalog/admin/skus/:sku",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Change a SKU's name, attributes or position",
                params: skuParams,
                body: SkuChanges,
                response: adminResponses(200),
            },
        },
        async (request) => admin.updateSku(request.params.sku, request.body),
    );

    app.post(
        "/catalog/admin/skus/:sku/archive",
        {
            ...guarded,
            schema: { ...adminRoute, summary: "Stop selling a SKU", params: skuParams, response: adminResponses(200) },
        },
        async (request) => admin.archiveSku(request.params.sku),
    );

    app.put(
        "/catalog/admin/skus/:sku/prices",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Replace a SKU's prices (a currency left out is no longer sold in)",
                params: skuParams,
                body: Prices,
                response: adminResponses(200),
            },
        },
        async (request) => admin.setPrices(request.params.sku, request.body as Record<string, number>),
    );

    app.put(
        "/catalog/admin/skus/:sku/stock",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Set a SKU's stock on hand and low-stock threshold",
                params: skuParams,
                body: StockLevel,
                response: adminResponses(200),
            },
        },
        async (request) => admin.setStock(request.params.sku, request.body),
    );

    app.post(
        "/catalog/admin/uploads",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "A presigned S3 POST form for one product image under uploads/ (size and type limited)",
                body: UploadRequest,
                response: { 201: UploadForm, ...problemResponses(400, 401, 403, 404) },
            },
        },
        async (request, reply) => {
            await admin.requireProduct(request.body.productId);
            return reply.code(201).send(await uploads.sign(request.body.productId, request.body.contentType));
        },
    );

    app.post(
        "/catalog/admin/products/:productId/images",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Show an uploaded image at a position",
                params: productParams,
                body: NewImage,
                response: adminResponses(200),
            },
        },
        async (request) => admin.addImage(request.params.productId, request.body),
    );

    app.delete(
        "/catalog/admin/products/:productId/images/:position",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Take an image off a product",
                params: Type.Object({ productId: ProductId, position: Type.Integer({ minimum: 0, maximum: 100 }) }),
                response: adminResponses(200),
            },
        },
        async (request) => admin.removeImage(request.params.productId, request.params.position),
    );

    app.put(
        "/catalog/admin/categories/:categoryId",
        {
            ...guarded,
            schema: {
                ...adminRoute,
                summary: "Create or change a category (name, parent, position)",
                params: Type.Object({ categoryId: CategoryId }),
                body: CategoryBody,
                response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 422) },
            },
        },
        async (request, reply) => {
            await admin.putCategory(request.params.categoryId, request.body);
            return reply.code(204).send(null);
        },
    );
}
