import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

/**
 * CloudFront price classes that serve from edge locations in Africa (South Africa, Kenya,
 * Nigeria, Egypt). PriceClass_100 covers only North America, Europe and Israel: our customers
 * would be served from Europe.
 */
export const AFRICAN_PRICE_CLASSES = ["PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof AFRICAN_PRICE_CLASSES)[number];

/** CloudFront rejects a Content-Security-Policy value longer than this in a response headers policy. */
export const MAX_CSP_LENGTH = 1783;
/** WAF's bounds for a rate-based rule's limit (requests per evaluation window per IP). */
export const RATE_LIMIT_BOUNDS = { min: 10, max: 2_000_000_000 } as const;

/** Paths that must never be served from the bucket: the API and the thumbnail pipeline's raw uploads. */
const NOT_STATIC = ["/api/", "/uploads/"];

/**
 * The thumbnailer's output (`thumbnails/` of the assets bucket), which the catalogue links to on
 * the site's domain: always served from the bucket, by a behavior of its own.
 */
export const THUMBNAILS_PATH_PATTERN = "/thumbnails/*";

const DEFAULT_CSP =
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; font-src 'self'; " +
    "connect-src 'self' https://*.amazoncognito.com; object-src 'none'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'; upgrade-insecure-requests";

export interface EdgeConfig {
    priceClass: PriceClass;
    contentSecurityPolicy: string;
    /** Requests one client IP may send in 5 minutes before WAF blocks it. */
    rateLimitPer5Minutes: number;
    /** Block VPNs, proxies and Tor (AWS managed anonymous IP list). */
    blockAnonymousIps: boolean;
    /** CloudFront path patterns served from the assets bucket (everything else goes to the web servers). */
    staticPathPatterns: string[];
    /** The page shown when the web servers are down (502, 503, 504); served from the bucket. */
    errorPagePath: string;
    /** The path the Route 53 health check requests through CloudFront. */
    healthCheckPath: string;
    /** Days a replaced or deleted asset version is kept before S3 deletes it. */
    assetVersionRetentionDays: number;
}

const FIELDS = [
    "priceClass",
    "contentSecurityPolicy",
    "rateLimitPer5Minutes",
    "blockAnonymousIps",
    "staticPathPatterns",
    "errorPagePath",
    "healthCheckPath",
    "assetVersionRetentionDays",
] as const;

// CloudFront's path pattern characters; at most 255 of them.
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.*?$/~"'@:+&]{0,254}$/;
const URL_PATH = /^\/[A-Za-z0-9_\-./~%]{0,254}$/;

export function readEdgeConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): EdgeConfig {
    r.section("edge", FIELDS);

    const priceClass = readPriceClass(r);

    const contentSecurityPolicy = r.string("edge.contentSecurityPolicy", { default: DEFAULT_CSP });
    if (contentSecurityPolicy.length > MAX_CSP_LENGTH) {
        r.problem(
            "edge.contentSecurityPolicy",
            contentSecurityPolicy,
            `is ${contentSecurityPolicy.length} characters; CloudFront accepts at most ${MAX_CSP_LENGTH}`,
            "shorten it (drop redundant sources, use wildcards for sibling hosts)",
        );
    } else if (/[^\x20-\x7e]/.test(contentSecurityPolicy)) {
        r.problem(
            "edge.contentSecurityPolicy",
            contentSecurityPolicy,
            "contains a character that is not printable ASCII",
            "write it on one line, with ASCII characters only",
        );
    }

    const rateLimitPer5Minutes = r.integer("edge.rateLimitPer5Minutes", { ...RATE_LIMIT_BOUNDS, default: 2000 });

    const blockAnonymousIps = r.boolean("edge.blockAnonymousIps", { default: stack.isProduction });
    minimums.require(
        "edge.blockAnonymousIps",
        blockAnonymousIps,
        blockAnonymousIps,
        "VPN, proxy and Tor traffic blocked by the AWS anonymous IP list",
        "set it to true",
    );

    const staticPathPatterns = r.stringList("edge.staticPathPatterns", {
        default: ["/static/*", "/images/*"],
        minItems: 1,
        maxItems: 20,
        unique: true,
        check: checkStaticPattern,
        fix: "list CloudFront path patterns under a prefix of their own, e.g. /static/*",
        example: '["/static/*", "/images/*"]',
    });

    const errorPagePath = r.string("edge.errorPagePath", {
        default: "/static/errors/5xx.html",
        pattern: URL_PATH,
        describe: "an absolute URL path",
    });
    if (!staticPathPatterns.some((pattern) => globMatches(pattern, errorPagePath))) {
        r.problem(
            "edge.errorPagePath",
            errorPagePath,
            `is not under any of edge.staticPathPatterns (${staticPathPatterns.join(", ")})`,
            "put the error page under a static path: it is shown when the web servers are down, so it must come from the bucket",
        );
    }

    const healthCheckPath = r.string("edge.healthCheckPath", {
        default: "/health",
        pattern: URL_PATH,
        describe: "an absolute URL path",
    });
    const servedByBucket = staticPathPatterns.find((pattern) => globMatches(pattern, healthCheckPath));
    if (servedByBucket) {
        r.problem(
            "edge.healthCheckPath",
            healthCheckPath,
            `matches the static path pattern ${servedByBucket}, so it would test the bucket, not the web servers`,
            "use a path the web servers answer, e.g. /health",
        );
    }

    const assetVersionRetentionDays = r.integer("edge.assetVersionRetentionDays", {
        min: 1,
        max: 3650,
        default: stack.isProduction ? 30 : 7,
    });

    return {
        priceClass,
        contentSecurityPolicy,
        rateLimitPer5Minutes,
        blockAnonymousIps,
        staticPathPatterns,
        errorPagePath,
        healthCheckPath,
        assetVersionRetentionDays,
    };
}

function readPriceClass(r: ConfigReader): PriceClass {
    const value = r.value("edge.priceClass");
    if (value === "PriceClass_100") {
        r.problem(
            "edge.priceClass",
            value,
            "serves no edge location in Africa (North America, Europe and Israel only)",
            r.fixWith(
                "edge.priceClass",
                "use PriceClass_200 (adds South Africa, Kenya, Nigeria, Egypt) or PriceClass_All",
                "PriceClass_200",
            ),
        );
        return "PriceClass_200";
    }
    return r.oneOf("edge.priceClass", AFRICAN_PRICE_CLASSES, { default: "PriceClass_200" });
}

function checkStaticPattern(pattern: string): string | undefined {
    if (!PATH_PATTERN.test(pattern))
        return "is not a CloudFront path pattern (starts with /, at most 255 of A-Z a-z 0-9 _ - . * ? $ / ~ \" ' @ : + &)";
    if (pattern === THUMBNAILS_PATH_PATTERN) return "is always served from the bucket (the thumbnails): leave it out";
    const captured = NOT_STATIC.find((prefix) => globMatches(pattern, `${prefix}x`));
    if (captured) return `would also send ${captured}* to the bucket`;
    return undefined;
}

/** Whether a CloudFront path pattern (`*` any characters, `?` one) matches `path`. */
export function globMatches(pattern: string, path: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(path);
}
