// The catalogue under test: built as main.ts builds it, from its environment, and a small
// catalogue created through its own admin routes.
import * as assert from "assert";
import type { Cache } from "../../../../app/services/kit/cache";
import type { ServiceKit } from "../../../../app/services/kit/service";
import { createCatalogService } from "../../../../app/services/catalog/service";
import { readCatalogSettings } from "../../../../app/services/catalog/settings";
import { bearer, capturedLogger, serviceEnv, type ServiceTestContext } from "./harness";

export async function startCatalog(
    context: ServiceTestContext,
    options: { env?: Record<string, string>; cache?: Cache } = {},
): Promise<ServiceKit & { logs: Record<string, unknown>[] }> {
    const { logger, lines } = capturedLogger();
    const kit = await createCatalogService(readCatalogSettings(serviceEnv(context, "catalog", options.env)), {
        logger,
        cache: options.cache,
    });
    await kit.app.ready();
    return Object.assign(kit, { logs: lines });
}

export const CATEGORIES = [
    { id: "home", name: "Home" },
    { id: "kitchen", name: "Kitchen", parentId: "home" },
    { id: "electronics", name: "Electronics", position: 1 },
    { id: "phones", name: "Phones", parentId: "electronics" },
];

export const PRODUCTS = [
    {
        slug: "electric-kettle",
        title: "Electric Kettle",
        description: "A 1.7 litre kettle that boils water fast, with an automatic switch-off.",
        brand: "Defy",
        categoryId: "kitchen",
        attributes: { capacity: "1.7 l" },
        skus: [
            {
                sku: "KETTLE-WHITE",
                name: "Electric Kettle, white",
                prices: { ZAR: 49900, NGN: 4200000, USD: 2700 },
                stock: { onHand: 50 },
            },
            {
                sku: "KETTLE-BLACK",
                name: "Electric Kettle, black",
                prices: { ZAR: 52900, USD: 2900 },
                stock: { onHand: 3, lowStockThreshold: 5 },
            },
        ],
    },
    {
        slug: "cast-iron-pot",
        title: "Cast Iron Pot",
        description: "A heavy pot for potjiekos and stews.",
        brand: "Le Creuset",
        categoryId: "kitchen",
        skus: [
            {
                sku: "POT-24",
                name: "Cast Iron Pot, 24 cm",
                prices: { ZAR: 89900, KES: 650000, USD: 4900 },
                stock: { onHand: 0 },
            },
        ],
    },
    {
        slug: "smartphone-x1",
        title: "Smartphone X1",
        description: "A dual-SIM phone with a battery that lasts two days.",
        brand: "Tecno",
        categoryId: "phones",
        skus: [
            {
                sku: "PHONE-X1-64",
                name: "Smartphone X1, 64 GB",
                prices: { ZAR: 399900, NGN: 19900000, KES: 2500000, GHS: 250000, USD: 21900 },
                stock: { onHand: 20 },
            },
        ],
    },
    {
        slug: "phone-case",
        title: "Rugged Phone Case",
        description: "Fits the Smartphone X1. Survives a fall from the kitchen counter, even next to the kettle.",
        brand: "Tecno",
        categoryId: "phones",
        skus: [
            { sku: "CASE-X1", name: "Rugged Phone Case, X1", prices: { ZAR: 14900, USD: 900 }, stock: { onHand: 100 } },
        ],
    },
    {
        slug: "bath-towel",
        title: "Bath Towel",
        description: "Soft cotton.",
        brand: "Sheraton",
        categoryId: "home",
        skus: [
            { sku: "TOWEL-BLUE", name: "Bath Towel, blue", prices: { ZAR: 19900, GHS: 15000 }, stock: { onHand: 10 } },
        ],
    },
];

/** Creates the categories and products through the admin routes; returns the products' ids by slug. */
export async function seedThroughApi(kit: ServiceKit, adminToken: string): Promise<Record<string, string>> {
    for (const { id, ...body } of CATEGORIES) {
        const response = await kit.app.inject({
            method: "PUT",
            url: `/catalog/admin/categories/${id}`,
            headers: bearer(adminToken),
            payload: body,
        });
        assert.strictEqual(response.statusCode, 204, response.body);
    }
    const ids: Record<string, string> = {};
    for (const product of PRODUCTS) {
        const response = await kit.app.inject({
            method: "POST",
            url: "/catalog/admin/products",
            headers: bearer(adminToken),
            payload: product,
        });
        assert.strictEqual(response.statusCode, 201, response.body);
        ids[product.slug] = response.json().id;
    }
    return ids;
}
