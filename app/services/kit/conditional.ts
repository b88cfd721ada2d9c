// Public GETs that CloudFront and browsers may cache and revalidate cheaply: a strong ETag of the
// exact bytes, Cache-Control, and 304 Not Modified when the client already has them. The body is
// sent as the JSON text it is (often straight from the cache), never serialized again.
import { createHash } from "crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface Freshness {
    /** Browsers. */
    maxAgeSeconds: number;
    /** Shared caches (CloudFront); a stale copy may be served while it revalidates. */
    sharedMaxAgeSeconds: number;
}

export const etagOf = (body: string): string =>
    `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
    if (!ifNoneMatch) return false;
    if (ifNoneMatch.trim() === "*") return true;
    // Weak comparison, as RFC 9110 asks for If-None-Match.
    return ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** Sends `read` (JSON text and its ETag, as the cache gives them), or 304 if the client has it. */
export function sendCacheable(
    request: FastifyRequest,
    reply: FastifyReply,
    read: { value: string; etag: string },
    freshness: Freshness,
) {
    const { value: body, etag } = read;
    reply
        .header("etag", etag)
        .header(
            "cache-control",
            `public, max-age=${freshness.maxAgeSeconds}, s-maxage=${freshness.sharedMaxAgeSeconds}, stale-while-revalidate=${freshness.sharedMaxAgeSeconds}`,
        )
        .header("vary", "accept-encoding");
    if (matches(request.headers["if-none-match"], etag)) return reply.code(304).send();
    return reply.type("application/json; charset=utf-8").send(body);
}
