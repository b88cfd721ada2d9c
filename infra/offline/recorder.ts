import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { PlanResource } from "./graph";

const rt = pulumi.runtime as unknown as Record<string, string>;
const SIG = rt.specialSigKey;
const SECRET = rt.specialSecretSig;
const RESOURCE = rt.specialResourceSig;
const ASSET = rt.specialAssetSig;
const ARCHIVE = rt.specialArchiveSig;
const OUTPUT_VALUE = rt.specialOutputValueSig;
const UNKNOWN = rt.unknownValue;

/** The parts of the SDK's RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean;
    getIgnorechangesList(): string[];
}

/** The parts of the SDK's RegisterResourceResponse the recorder reads. */
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (err: Error | null, resp?: RegisterResponse) => void;
interface Monitor {
    registerResource(req: RegisterRequest, callback: Callback): unknown;
    newUrn(parent: string, type: string, name: string): string;
}

/** A registration as the engine would receive it, minus the region (resolved later). */
export type RecordedResource = Omit<PlanResource, "region"> & { providerRef: string | null };

/**
 * Captures every resource registration the program makes: the raw request carries what
 * `MockResourceArgs` omits (parent, dependencies, protect, ignoreChanges).
 */
export class Recorder {
    readonly resources: RecordedResource[] = [];
    readonly byUrn = new Map<string, RecordedResource>();

    /** Wraps the mock monitor installed by `setMocks`; call right after it. */
    attach(project: string, stack: string): void {
        const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
        monitor.newUrn = (parent, type, name) => engineUrn(project, stack, parent, type, name);
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) =>
            register(req, (err, resp) => {
                if (!err && resp) {
                    const record = this.capture(req, resp);
                    this.resources.push(record);
                    this.byUrn.set(record.urn, record);
                }
                callback(err, resp);
            });
    }

    private capture(req: RegisterRequest, resp: RegisterResponse): RecordedResource {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, key) => {
            propertyDependencies[key] = [...value.getUrnsList()];
        });
        const dependencies = new Set(req.getDependenciesList());
        for (const urns of Object.values(propertyDependencies)) urns.forEach((u) => dependencies.add(u));
        const providerRef = req.getProvider() || null;
        const arn = req.getCustom() ? resp.getObject()?.toJavaScript().arn : undefined;
        return {
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            id: resp.getId() || null,
            arn: typeof arn === "string" ? arn : null,
            custom: req.getCustom(),
            parent: req.getParent() || null,
            provider: providerRef ? providerUrn(providerRef) : null,
            providerRef,
            inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            dependencies: [...dependencies],
            propertyDependencies,
            protect: req.getProtect(),
            ignoreChanges: [...req.getIgnorechangesList()],
        };
    }
}

/**
 * URNs as the engine forms them: the type is qualified by the parent's qualified type, except
 * under the stack root (the mock monitor qualifies by the parent's last type only, and includes
 * the root's).
 */
function engineUrn(project: string, stack: string, parent: string, type: string, name: string): string {
    const parentType = parent ? parent.split("::")[2] : "";
    const qualified = !parentType || parentType === "pulumi:pulumi:Stack" ? type : `${parentType}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** A provider reference is "<urn>::<id>"; URNs themselves contain "::". */
export function providerUrn(ref: string): string {
    return ref.slice(0, ref.lastIndexOf("::"));
}

/** Turns the wire form of a property value into plain JSON. */
export function plainValue(value: unknown): unknown {
    if (value === UNKNOWN) return null;
    if (Array.isArray(value)) return value.map(plainValue);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[SIG]) {
        case SECRET:
        case OUTPUT_VALUE:
            return plainValue(obj.value);
        case RESOURCE:
            return obj.urn;
        case ASSET:
            return summariseAsset("asset", obj);
        case ARCHIVE:
            return summariseAsset("archive", obj);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = plainValue(v);
    return out;
}

/** Assets keep their path or URI; inline text is replaced by its size and digest. */
function summariseAsset(kind: "asset" | "archive", obj: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { kind };
    if (typeof obj.path === "string") out.path = obj.path;
    if (typeof obj.uri === "string") out.uri = obj.uri;
    if (typeof obj.text === "string") {
        out.bytes = Buffer.byteLength(obj.text);
        out.sha256 = createHash("sha256").update(obj.text).digest("hex");
    }
    if (obj.assets && typeof obj.assets === "object") {
        out.assets = Object.fromEntries(
            Object.entries(obj.assets as Record<string, unknown>).map(([k, v]) => [k, plainValue(v)]),
        );
    }
    return out;
}
