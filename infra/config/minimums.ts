import { ConfigReader } from "./reader";

export const OVERRIDES_KEY = "productionOverrides";

/**
 * Production minimums: in a production stack a value below the minimum is an error unless the
 * key is listed in `productionOverrides`, which records the accepted risk in the stack file.
 */
export class ProductionMinimums {
    private readonly overrides: string[];
    private readonly checked = new Set<string>();

    constructor(
        private readonly reader: ConfigReader,
        readonly isProduction: boolean,
    ) {
        this.overrides = reader.stringList(OVERRIDES_KEY, { default: [], unique: true });
    }

    /**
     * Records that `key` has a production minimum and reports `value` when `meets` is false in
     * a production stack. `minimum` says what production needs, `fix` how to get there.
     */
    require(key: string, value: unknown, meets: boolean, minimum: string, fix: string): void {
        this.checked.add(key);
        if (!this.isProduction || meets || this.overrides.includes(key)) return;
        this.reader.problem(
            key,
            value,
            `is below the production minimum: ${minimum}`,
            `${fix}; or, to accept the risk, add "${key}" to ${this.reader.qualified(OVERRIDES_KEY)}`,
        );
    }

    /** An override naming a key without a minimum is a typo or a stale entry. */
    reportUnknownOverrides(): void {
        for (const key of this.overrides) {
            if (!this.checked.has(key)) {
                this.reader.problem(
                    OVERRIDES_KEY,
                    this.overrides,
                    `lists "${key}", which has no production minimum`,
                    `remove it; keys with minimums: ${[...this.checked].sort().join(", ")}`,
                );
            }
        }
    }
}
