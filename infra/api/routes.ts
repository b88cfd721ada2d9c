import { SERVICES } from "../workloads";

/** A route of the HTTP API: its key (`METHOD /path`) and whether callers need a valid JWT. */
export interface ApiRoute {
    routeKey: string;
    authorized: boolean;
}

/**
 * The services' routes. CloudFront strips `/api`, so they start at `/`, and the internal load
 * balancer forwards `/<service>*` unchanged. Reading the catalogue is public; everything else
 * (catalogue writes included) needs a token from the user pool. API Gateway prefers a route with
 * the request's method over ANY, so `GET /catalog/...` is public while other methods there are
 * not, and a route another tier adds (the asynchronous tier's `POST /orders`) takes precedence over
 * `ANY /orders` without conflict.
 */
export const API_ROUTES: readonly ApiRoute[] = [
    { routeKey: "GET /catalog", authorized: false },
    { routeKey: "GET /catalog/{proxy+}", authorized: false },
    ...SERVICES.flatMap((service) => [
        { routeKey: `ANY /${service}`, authorized: true },
        { routeKey: `ANY /${service}/{proxy+}`, authorized: true },
    ]),
];

/** "GET /catalog/{proxy+}" -> "get-catalog-proxy": a resource name for a route key. */
export function routeSlug(routeKey: string): string {
    return routeKey
        .toLowerCase()
        .replace(/[{}+]/g, "")
        .split(/[\s/]+/)
        .filter(Boolean)
        .join("-");
}
