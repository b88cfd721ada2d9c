// A realistic demo catalogue, generated deterministically (the same seed, the same catalogue):
// a category tree, a few hundred products from brands sold across the markets, variants, a
// price per market currency in integer minor units (rounded as shops price: ...99 or whole
// units), some SKUs not sold in every market, and stock from plenty to none.
import type { CategoryBody, NewProduct } from "./schemas";

export interface DemoCatalogue {
    categories: (CategoryBody & { id: string })[];
    products: NewProduct[];
}

interface Family {
    category: string;
    brands: string[];
    nouns: string[];
    /** Base price range in rand (ZAR, whole units). */
    rand: [number, number];
    variants: { attribute: string; values: string[] };
    blurb: string;
}

const CATEGORIES: (CategoryBody & { id: string })[] = [
    { id: "electronics", name: "Electronics", position: 0 },
    { id: "phones", name: "Phones", parentId: "electronics", position: 0 },
    { id: "laptops", name: "Laptops", parentId: "electronics", position: 1 },
    { id: "audio", name: "Audio", parentId: "electronics", position: 2 },
    { id: "home", name: "Home", position: 1 },
    { id: "kitchen", name: "Kitchen", parentId: "home", position: 0 },
    { id: "bedding", name: "Bedding", parentId: "home", position: 1 },
    { id: "fashion", name: "Fashion", position: 2 },
    { id: "men", name: "Men", parentId: "fashion", position: 0 },
    { id: "women", name: "Women", parentId: "fashion", position: 1 },
    { id: "shoes", name: "Shoes", parentId: "fashion", position: 2 },
    { id: "beauty", name: "Beauty", position: 3 },
    { id: "groceries", name: "Groceries", position: 4 },
    { id: "staples", name: "Staples", parentId: "groceries", position: 0 },
    { id: "beverages", name: "Beverages", parentId: "groceries", position: 1 },
];

const FAMILIES: Family[] = [
    {
        category: "phones",
        brands: ["Tecno", "Infinix", "Samsung", "itel", "Nokia"],
        nouns: ["Smartphone", "Feature Phone", "Power Bank", "Phone Case", "Charger"],
        rand: [149, 8999],
        variants: { attribute: "storage", values: ["64 GB", "128 GB", "256 GB"] },
        blurb: "dependable on long days away from a plug",
    },
    {
        category: "laptops",
        brands: ["HP", "Lenovo", "Dell", "Asus"],
        nouns: ["Laptop", "Notebook", "Chromebook", "Laptop Bag"],
        rand: [399, 19999],
        variants: { attribute: "memory", values: ["8 GB", "16 GB"] },
        blurb: "light enough to carry to class and fast enough for work",
    },
    {
        category: "audio",
        brands: ["JBL", "Sony", "Oraimo", "Hisense"],
        nouns: ["Bluetooth Speaker", "Earbuds", "Headphones", "Soundbar", "Radio"],
        rand: [199, 4999],
        variants: { attribute: "colour", values: ["Black", "Blue", "Red"] },
        blurb: "clear sound and deep bass for the weekend braai",
    },
    {
        category: "kitchen",
        brands: ["Defy", "Russell Hobbs", "Binatone", "Kenwood", "Scanfrost"],
        nouns: [
            "Electric Kettle",
            "Blender",
            "Rice Cooker",
            "Toaster",
            "Gas Stove",
            "Pressure Cooker",
            "Cast Iron Pot",
        ],
        rand: [199, 6999],
        variants: { attribute: "colour", values: ["White", "Black", "Silver"] },
        blurb: "built for a busy kitchen, easy to clean",
    },
    {
        category: "bedding",
        brands: ["Sheraton", "Vitafoam", "Mouka"],
        nouns: ["Duvet Cover", "Pillow", "Mattress", "Bed Sheet Set", "Mosquito Net"],
        rand: [149, 7999],
        variants: { attribute: "size", values: ["Single", "Double", "Queen", "King"] },
        blurb: "soft cotton that stays cool on warm nights",
    },
    {
        category: "men",
        brands: ["Mr Price", "Woolworths", "Vlisco"],
        nouns: ["Shirt", "Chinos", "Kaftan", "Polo Shirt", "Jacket"],
        rand: [149, 1999],
        variants: { attribute: "size", values: ["S", "M", "L", "XL"] },
        blurb: "a clean cut in breathable fabric",
    },
    {
        category: "women",
        brands: ["Mr Price", "Woolworths", "Vlisco", "Truworths"],
        nouns: ["Ankara Dress", "Blouse", "Skirt", "Head Wrap", "Jumpsuit"],
        rand: [149, 2499],
        variants: { attribute: "size", values: ["S", "M", "L", "XL"] },
        blurb: "bold prints and a comfortable fit",
    },
    {
        category: "shoes",
        brands: ["Bata", "Adidas", "Nike", "Puma"],
        nouns: ["Sneakers", "Sandals", "Running Shoes", "School Shoes", "Boots"],
        rand: [199, 2999],
        variants: { attribute: "size", values: ["6", "7", "8", "9", "10"] },
        blurb: "made for long days on your feet",
    },
    {
        category: "beauty",
        brands: ["Nivea", "Dove", "Black Opal", "Shea Moisture", "Zaron"],
        nouns: ["Body Lotion", "Shea Butter", "Hair Oil", "Face Cream", "Sunscreen"],
        rand: [39, 499],
        variants: { attribute: "size", values: ["100 ml", "250 ml", "400 ml"] },
        blurb: "rich moisture for skin and hair in dry weather",
    },
    {
        category: "staples",
        brands: ["Iwisa", "Dangote", "Golden Penny", "Tastic", "Jogoo"],
        nouns: ["Maize Meal", "Rice", "Semolina", "Wheat Flour", "Sugar"],
        rand: [29, 349],
        variants: { attribute: "weight", values: ["1 kg", "2 kg", "5 kg", "10 kg"] },
        blurb: "a pantry staple for every day",
    },
    {
        category: "beverages",
        brands: ["Kericho Gold", "Milo", "Five Roses", "Nescafe", "Rooibos Co"],
        nouns: ["Tea", "Coffee", "Cocoa Drink", "Rooibos Tea", "Malt Drink"],
        rand: [29, 299],
        variants: { attribute: "pack", values: ["50 bags", "100 bags", "200 g", "500 g"] },
        blurb: "the taste of home in every cup",
    },
];

const ADJECTIVES = ["Classic", "Pro", "Lite", "Max", "Plus", "Essential", "Premium", "Everyday", "Compact", "Deluxe"];

/** Rand per unit of each market currency (illustrative rates). */
const PER_RAND: Record<string, number> = { ZAR: 1, NGN: 85, KES: 7.1, GHS: 0.78, USD: 1 / 18.2 };

/** mulberry32: a small seeded PRNG, so the catalogue is the same on every machine. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A shop's price in minor units: ...99 below 100 units, whole tens of units above. */
function shopPrice(units: number): number {
    if (units < 100) return Math.max(1, Math.round(units)) * 100 - 1;
    return Math.round(units / 10) * 1000;
}

const slugify = (text: string) =>
    text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");

export function demoCatalogue(productsPerFamily = 28, seed = 2026): DemoCatalogue {
    const next = random(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const products: NewProduct[] = [];
    const slugs = new Set<string>();
    for (const family of FAMILIES) {
        for (
            let i = 0;
            products.filter((p) => p.categoryId === family.category).length < productsPerFamily && i < 1000;
            i++
        ) {
            const brand = pick(family.brands);
            const noun = pick(family.nouns);
            const title = `${brand} ${pick(ADJECTIVES)} ${noun}`;
            const slug = slugify(title);
            if (slugs.has(slug)) continue;
            slugs.add(slug);
            const base = family.rand[0] + (family.rand[1] - family.rand[0]) * next() ** 2;
            const variantCount = 1 + Math.floor(next() * Math.min(3, family.variants.values.length));
            const code = slug
                .toUpperCase()
                .replace(/[^A-Z0-9]+/g, "-")
                .slice(0, 48);
            products.push({
                slug,
                title,
                brand,
                categoryId: family.category,
                description: `The ${title}: ${family.blurb}. Delivered across South Africa, Nigeria, Kenya and Ghana.`,
                attributes: { origin: pick(["South Africa", "Nigeria", "Kenya", "Ghana", "Imported"]) },
                skus: family.variants.values.slice(0, variantCount).map((value, n) => {
                    const rand = base * (1 + n * 0.15);
                    const prices: Record<string, number> = {};
                    for (const [currency, rate] of Object.entries(PER_RAND)) {
                        // About one SKU in eight is not sold in a given market other than South Africa.
                        if (currency !== "ZAR" && next() < 0.125) continue;
                        prices[currency] = shopPrice(rand * rate);
                    }
                    const roll = next();
                    return {
                        sku: `${code}-${String(n + 1).padStart(2, "0")}`,
                        name: `${title}, ${value}`,
                        attributes: { [family.variants.attribute]: value },
                        prices,
                        stock: {
                            onHand:
                                roll < 0.08
                                    ? 0
                                    : roll < 0.2
                                      ? 1 + Math.floor(next() * 5)
                                      : 10 + Math.floor(next() * 200),
                            lowStockThreshold: 5,
                        },
                    };
                }),
            });
        }
    }
    return { categories: CATEGORIES, products };
}
