/**
 * The subset of JSON Schema that policy config schemas use, checked the way the Pulumi CLI checks
 * pack config (gojsonschema): a value that does not fit gets one message per problem, with its path.
 * A schema using any other keyword is rejected, so a schema can never be half-checked.
 */
export interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    items?: JsonSchema;
    minItems?: number;
    maxItems?: number;
    uniqueItems?: boolean;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: boolean | JsonSchema;
    required?: string[];
    default?: unknown;
    description?: string;
}

const SUPPORTED = new Set([
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "additionalProperties",
    "required",
    "default",
    "description",
]);

/** Throws when a schema (or a nested one) uses a keyword this checker does not implement. */
export function assertSupported(schema: JsonSchema, where: string): void {
    for (const key of Object.keys(schema)) {
        if (!SUPPORTED.has(key))
            throw new Error(`${where}: JSON Schema keyword "${key}" is not supported by the offline policy checker`);
    }
    if (schema.items) assertSupported(schema.items, `${where}.items`);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) assertSupported(sub, `${where}.${name}`);
    if (typeof schema.additionalProperties === "object") assertSupported(schema.additionalProperties, `${where}.*`);
}

function typeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

function fitsType(value: unknown, type: string): boolean {
    const actual = typeOf(value);
    return actual === type || (type === "number" && actual === "integer");
}

const show = (value: unknown) => JSON.stringify(value);

/** The problems of `value` against `schema`; empty when it fits. */
export function validate(value: unknown, schema: JsonSchema, path: string): string[] {
    const problems: string[] = [];
    const fail = (message: string) => problems.push(`${path}: ${message}`);
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        if (!types.some((t) => fitsType(value, t))) {
            fail(
                `${show(value)} is ${typeOf(value) === "integer" ? "a number" : `of type ${typeOf(value)}`}, expected ${types.join(" or ")}`,
            );
            return problems;
        }
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        fail(`${show(value)} is not one of ${schema.enum.map(show).join(", ")}`);
    }
    if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value))
        fail(`must be ${show(schema.const)}`);
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum)
            fail(`${value} is less than the minimum ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum)
            fail(`${value} is greater than the maximum ${schema.maximum}`);
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
            fail(`${value} must be greater than ${schema.exclusiveMinimum}`);
        if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
            fail(`${value} must be less than ${schema.exclusiveMaximum}`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength)
            fail(`${show(value)} is shorter than ${schema.minLength} characters`);
        if (schema.maxLength !== undefined && value.length > schema.maxLength)
            fail(`${show(value)} is longer than ${schema.maxLength} characters`);
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
            fail(`${show(value)} does not match ${schema.pattern}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems)
            fail(`has ${value.length} item(s), at least ${schema.minItems} required`);
        if (schema.maxItems !== undefined && value.length > schema.maxItems)
            fail(`has ${value.length} items, at most ${schema.maxItems} allowed`);
        if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
            fail("has duplicate items");
        if (schema.items)
            value.forEach((item, i) => problems.push(...validate(item, schema.items as JsonSchema, `${path}[${i}]`)));
    }
    if (typeOf(value) === "object") {
        const obj = value as Record<string, unknown>;
        for (const key of schema.required ?? []) if (!(key in obj)) fail(`${key} is required`);
        for (const [key, item] of Object.entries(obj)) {
            const sub = schema.properties?.[key];
            if (sub) problems.push(...validate(item, sub, `${path}.${key}`));
            else if (schema.additionalProperties === false) fail(`${key} is not a known property`);
            else if (typeof schema.additionalProperties === "object")
                problems.push(...validate(item, schema.additionalProperties, `${path}.${key}`));
        }
    }
    return problems;
}
