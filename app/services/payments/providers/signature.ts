// Signatures and tokens, computed and compared without leaking through timing.
import { createHash, createHmac, timingSafeEqual } from "crypto";

export function hmacHex(algorithm: "sha256" | "sha512", key: string, data: Buffer | string): string {
    return createHmac(algorithm, key).update(data).digest("hex");
}

/**
 * Compares in time independent of where the strings differ. Both sides are hashed first, so
 * timingSafeEqual gets equal lengths and the comparison leaks neither content nor length.
 */
export function equalInConstantTime(a: string, b: string): boolean {
    const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
    return timingSafeEqual(digest(a), digest(b));
}
