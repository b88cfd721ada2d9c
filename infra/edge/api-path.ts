/** The storefront calls the HTTP API under this path of its own domain. */
export const API_PATH_PATTERN = "/api/*";
const API_PREFIX = "/api";

/**
 * A CloudFront Function (runtime cloudfront-js-2.0, viewer request) for the API behaviour: the
 * HTTP API's routes start at / (GET /catalog/...), so "/api" is taken off the path before the
 * request goes to API Gateway. The behaviour's pattern guarantees the prefix is there.
 */
export const STRIP_API_PREFIX_CODE = `function handler(event) {
    var request = event.request;
    request.uri = request.uri.slice(${API_PREFIX.length});
    return request;
}
`;
