import { readFileSync } from "fs";
import * as path from "path";
import { CATALOGUE, parsePriceKey } from "./catalogue";

/** The versioned price data file: every price with the source it came from. */
export interface PriceFile {
    version: string;
    currency: "USD";
    hoursPerMonth: number;
    compiledOn: string;
    compiledBy: string;
    sources: Record<string, PriceSource>;
    /** vCPUs of the instance types priced (GuardDuty bills some protections per vCPU). */
    instanceVcpus: Record<string, number>;
    /** "global" and one section per region, each mapping price keys to prices. */
    prices: Record<string, Record<string, PriceEntry>>;
}

export interface PriceSource {
    title: string;
    url: string;
    /** When the figures were read (or published, when the page says so). */
    date: string;
    /** False for figures not checked against AWS's price list or a copy of it. */
    verified: boolean;
    note: string;
}

export interface PriceEntry {
    usd: number;
    source: string;
}

export const PRICE_FILE = path.join(__dirname, "prices.json");

/** A price found for a key in a region (or globally), with its source. */
export interface Price {
    key: string;
    usd: number;
    unit: string;
    source: string;
}

/** Prices as the estimate reads them: regional first, then global, by catalogue key. */
export class PriceBook {
    constructor(readonly file: PriceFile) {}

    static load(file = PRICE_FILE): PriceBook {
        return new PriceBook(JSON.parse(readFileSync(file, "utf8")) as PriceFile);
    }

    get hoursPerMonth(): number {
        return this.file.hoursPerMonth;
    }

    /** The price of `key` for a resource in `region`, or undefined when the file has none. */
    find(key: string, region: string): Price | undefined {
        const definition = CATALOGUE[parsePriceKey(key).name];
        if (!definition) throw new Error(`no price key ${key} in the catalogue (infra/offline/cost/catalogue.ts)`);
        const section = definition.scope === "global" ? "global" : region;
        const entry = this.file.prices[section]?.[key];
        return entry && { key, usd: entry.usd, unit: definition.unit, source: entry.source };
    }

    vcpus(instanceType: string): number | undefined {
        return this.file.instanceVcpus[instanceType];
    }
}
