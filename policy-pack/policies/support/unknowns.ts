import { UnknownValueError } from "@pulumi/policy";

// The engine wraps every property bag in a proxy that throws UnknownValueError when a policy reads
// a value that is unknown during `pulumi preview` (an id of a resource not created yet, a value
// computed from one), and reports the escaping error as an advisory "can't run policy ... during
// preview". @pulumi/policy exports the class without its constructor's type.
const UnknownError = UnknownValueError as unknown as new (
    sentinel: unknown,
    path: PropertyKey[],
) => Error & {
    unknownTypeSentinel: unknown;
    props: PropertyKey[];
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal to @pulumi/policy, untyped
const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
/** The engine's sentinel for a string not known during preview (the error's constructor wants one). */
const UNKNOWN_STRING = proxy.unknownStringValue;
/** The sentinels that stand for unknown values of each type. */
const SENTINELS = new Set(
    ["Boolean", "Number", "String", "Array", "Asset", "Archive", "Object"].map((t) => proxy[`unknown${t}Value`]),
);

/** Whether a raw value (read without the engine's proxy) is unknown during preview. */
export const isUnknownValue = (value: unknown): boolean => typeof value === "string" && SENTINELS.has(value);

/**
 * The plain object behind the engine's unknown-checking proxy: reading it throws nothing, so a
 * walk over many values need not pay for a proxy per nested object (check isUnknownValue instead).
 */
export function withoutProxy<T extends object>(props: T): T {
    return ((props as Record<string, unknown>)[proxy.getSpecialProxyTarget] as T | undefined) ?? props;
}

export function isUnknown(err: unknown): err is InstanceType<typeof UnknownError> {
    return err instanceof UnknownError;
}

/**
 * Stops a check that cannot be decided until values are known (during a preview): the engine
 * reports it, with `message`, as an advisory "can't run policy during preview".
 */
export function undecidedUntilKnown(message: string): never {
    const err = new UnknownError(UNKNOWN_STRING, []);
    err.message = message;
    throw err;
}

/** `read()`, or `fallback` when it reads a value that is unknown during preview. */
export function knownOr<T, F>(read: () => T, fallback: F): T | F {
    try {
        return read();
    } catch (err) {
        if (isUnknown(err)) return fallback;
        throw err;
    }
}

/**
 * Runs `check` on every item. An item whose check reads an unknown value is set aside so that the
 * others are still checked; afterwards one UnknownValueError names every item set aside and the
 * value it waited for, so that an item the policy could not verify is reported (by the engine, as
 * an advisory "can't run policy during preview") instead of passing silently.
 */
export function checkEach<T>(items: Iterable<T>, label: (item: T) => string, check: (item: T) => void): void {
    const unknown: { label: string; err: InstanceType<typeof UnknownError> }[] = [];
    for (const item of items) {
        try {
            check(item);
        } catch (err) {
            if (!isUnknown(err)) throw err;
            unknown.push({ label: label(item), err });
        }
    }
    if (unknown.length === 0) return;
    const first = unknown[0].err;
    const combined = new UnknownError(first.unknownTypeSentinel, first.props);
    combined.message =
        `${unknown.length} resource(s) could not be verified: ` +
        unknown.map((u) => `${u.label} (${u.err.message})`).join("; ");
    throw combined;
}
