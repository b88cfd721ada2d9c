/** IPv4 CIDR arithmetic for laying out subnets offline. Addresses are unsigned 32-bit numbers. */
export interface Cidr {
    base: number;
    prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; returns a reason instead when the text is not a network address. */
export function parseCidr(text: string): Cidr | string {
    const match = CIDR_PATTERN.exec(text);
    if (!match) return "not an IPv4 CIDR block (a.b.c.d/n)";
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255)) return "an octet is above 255";
    if (prefix > 32) return "the prefix length is above 32";
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % blockSize(prefix) !== 0) {
        return `host bits are set (the network address is ${formatCidr({ base: base - (base % blockSize(prefix)), prefix })})`;
    }
    return { base, prefix };
}

export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

export function formatCidr({ base, prefix }: Cidr): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
    return (
        inner.prefix >= outer.prefix &&
        inner.base >= outer.base &&
        inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix)
    );
}

/** RFC 1918 private ranges and the shared address space AWS also accepts for VPCs. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(
    (c) => parseCidr(c) as Cidr,
);

export function isPrivateRange(cidr: Cidr): boolean {
    return PRIVATE_RANGES.some((range) => contains(range, cidr));
}

export interface BlockRequest<K> {
    key: K;
    prefix: number;
}

/**
 * Packs blocks into `within`, largest first so that every block lands on its natural boundary.
 * Equal-sized blocks keep their request order. Returns undefined when they do not fit.
 */
export function packBlocks<K>(within: Cidr, requests: readonly BlockRequest<K>[]): Map<K, Cidr> | undefined {
    const ordered = requests
        .map((r, index) => ({ ...r, index }))
        .sort((a, b) => a.prefix - b.prefix || a.index - b.index);
    const end = within.base + blockSize(within.prefix);
    const placed = new Map<K, Cidr>();
    let next = within.base;
    for (const request of ordered) {
        if (request.prefix < within.prefix || next + blockSize(request.prefix) > end) return undefined;
        placed.set(request.key, { base: next, prefix: request.prefix });
        next += blockSize(request.prefix);
    }
    return placed;
}

/** Total addresses the requests need, for error messages. */
export function addressesNeeded(requests: readonly BlockRequest<unknown>[]): number {
    return requests.reduce((sum, r) => sum + blockSize(r.prefix), 0);
}
