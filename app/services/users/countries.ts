// ISO 3166-1 alpha-2 country codes, as the ICU data Node ships knows them: a code that has a
// region name and is not one of the few non-country codes ICU also names (EU, UN, ...).
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"]);
const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

export function isCountry(code: string): boolean {
    return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && names.of(code) !== code;
}
