/**
 * Rebuilds infra/offline/cost/prices.json from the AWS Price List Query API (`npm run prices:refresh`).
 * Needs the network and AWS credentials allowed `pricing:GetProducts`; the tests never run it.
 * Every key of the current file (and every key of the catalogue without a parameter) must resolve
 * to exactly one On-Demand price, or nothing is written and each problem is listed.
 */
import { Filter, GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { writeFileSync } from "fs";
import { CATALOGUE, parsePriceKey, PriceQuery } from "./catalogue";
import { PRICE_FILE, PriceBook, PriceEntry, PriceFile } from "./price-book";

const REGIONS = ["us-east-1", "af-south-1"];
const SOURCE = "aws-price-list-api";

interface Product {
    product: { attributes: Record<string, string> };
    terms: { OnDemand?: Record<string, { priceDimensions: Record<string, PriceDimension> }> };
}

interface PriceDimension {
    unit: string;
    beginRange?: string;
    pricePerUnit: { USD?: string };
}

/** The GetProducts filters of a catalogue query, for a region (or none for a global price). */
export function filtersFor(query: PriceQuery, region: string | undefined): Filter[] {
    const filters: Filter[] = Object.entries(query.equals).map(([Field, Value]) => ({
        Type: "TERM_MATCH",
        Field,
        Value,
    }));
    for (const [Field, Value] of Object.entries(query.contains ?? {})) filters.push({ Type: "CONTAINS", Field, Value });
    if (region) filters.push({ Type: "TERM_MATCH", Field: "regionCode", Value: region });
    return filters;
}

/** The one On-Demand first-tier price of the products found, in the catalogue's unit; or why there is none. */
export function priceOf(products: Product[], query: PriceQuery): { usd: number; vcpu?: number } | string {
    const found = new Set<number>();
    let vcpu: number | undefined;
    for (const product of products)
        for (const term of Object.values(product.terms.OnDemand ?? {}))
            for (const dimension of Object.values(term.priceDimensions)) {
                if (query.unit && dimension.unit !== query.unit) continue;
                if (dimension.beginRange !== undefined && dimension.beginRange !== "0") continue;
                const usd = Number(dimension.pricePerUnit.USD);
                if (!(usd > 0)) continue;
                found.add(Number((usd * (query.scale ?? 1)).toPrecision(10)));
                if (product.product.attributes.vcpu) vcpu = Number(product.product.attributes.vcpu);
            }
    if (found.size === 0) return "no On-Demand price found";
    if (found.size > 1)
        return `${found.size} different prices (${[...found].join(", ")}): narrow the query in catalogue.ts`;
    return { usd: [...found][0], vcpu };
}

async function products(client: PricingClient, query: PriceQuery, region: string | undefined): Promise<Product[]> {
    const list: Product[] = [];
    let NextToken: string | undefined;
    do {
        const page = await client.send(
            new GetProductsCommand({
                ServiceCode: query.serviceCode,
                Filters: filtersFor(query, region),
                NextToken,
                MaxResults: 100,
            }),
        );
        for (const item of page.PriceList ?? []) list.push(JSON.parse(String(item)) as Product);
        NextToken = page.NextToken;
    } while (NextToken);
    return list;
}

async function main(): Promise<number> {
    const current = PriceBook.load().file;
    const client = new PricingClient({ region: "us-east-1" });
    const today = new Date().toISOString().slice(0, 10);
    const prices: PriceFile["prices"] = { global: {} };
    const instanceVcpus: Record<string, number> = {};
    const problems: string[] = [];

    for (const section of ["global", ...REGIONS]) {
        // The keys priced now, and every key without a parameter (a new instance type is added
        // to the file by hand, with any price, and priced here).
        const keys = new Set(Object.keys(current.prices[section] ?? {}));
        for (const [name, definition] of Object.entries(CATALOGUE))
            if (!definition.parameter && (definition.scope === "global") === (section === "global")) keys.add(name);
        const found: Record<string, PriceEntry> = {};
        for (const key of [...keys].sort()) {
            const { name, param } = parsePriceKey(key);
            const query = CATALOGUE[name].query(param);
            const result = priceOf(await products(client, query, section === "global" ? undefined : section), query);
            if (typeof result === "string") problems.push(`${section} ${key}: ${result}`);
            else {
                found[key] = { usd: result.usd, source: SOURCE };
                if (result.vcpu && param) instanceVcpus[param] = result.vcpu;
            }
        }
        prices[section] = found;
    }
    if (problems.length > 0) {
        console.error(
            `Not written: ${problems.length} price(s) could not be read:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        return 1;
    }
    const file: PriceFile = {
        ...current,
        version: `${today}.1`,
        compiledOn: today,
        compiledBy: "npm run prices:refresh: the AWS Price List Query API (GetProducts), On-Demand first-tier prices",
        sources: {
            [SOURCE]: {
                title: "AWS Price List Query API (GetProducts)",
                url: "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html",
                date: today,
                verified: true,
                note: "read from AWS's price list on the date given",
            },
        },
        instanceVcpus: { ...current.instanceVcpus, ...instanceVcpus },
        prices,
    };
    writeFileSync(PRICE_FILE, `${JSON.stringify(file, null, 2)}\n`);
    console.log(`Wrote ${PRICE_FILE} (${file.version}); run npx prettier --write on it and review the diff.`);
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => (process.exitCode = code),
        (err: unknown) => {
            console.error("The price refresh failed:", err instanceof Error ? err.message : err);
            process.exitCode = 1;
        },
    );
}
