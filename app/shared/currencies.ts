// The markets' currencies (ISO 4217), in which every SKU has a price in integer minor units. The
// database holds the same list (catalog.currencies, migrations/0002_catalog.sql); a test keeps
// the two in step.
export const CURRENCIES = ["ZAR", "NGN", "KES", "GHS", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];
