// Verifies the caller's Cognito access token again in the service, behind the API Gateway
// authorizer (which the public catalogue reads do not have): signature against the issuer's
// JWKS (RS256 and friends; `alg: none` and unknown keys are refused), issuer, expiry,
// `token_use: access` and the storefront's client id. One code path for Cognito and for a local
// provider of Cognito-shaped tokens (an http issuer on localhost, `npm run local`): only the
// issuer and the JWKS address differ (settings.ts).
// Customers are identified by the token's `sub`, and only by it: no route takes a customer id
// from a path or a body. The `admins` group (cognito:groups) opens the admin routes.
import { JwtVerifier } from "aws-jwt-verify";
import { FetchError } from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { FastifyReply, FastifyRequest } from "fastify";
import { forbidden, unauthorized, unavailable } from "./problems";
import type { AuthSettings } from "./settings";

/** The Cognito group whose members may use the admin routes (infra/edge/identity.ts creates it). */
export const ADMIN_GROUP = "admins";

export interface Principal {
    /** The Cognito user's subject: the customer id everywhere. */
    sub: string;
    /** Cognito's user name (what AdminDeleteUser takes); the subject in pools that sign in by e-mail. */
    username: string;
    groups: string[];
    isAdmin: boolean;
}

declare module "fastify" {
    interface FastifyRequest {
        /** Set by the authenticate hooks below; absent on public routes. */
        principal?: Principal;
    }
}

/** Fetches the JWKS over https, or http on localhost (settings refuse http anywhere else). */
const jwksFetcher: Fetcher = {
    async fetch(uri: string): Promise<ArrayBuffer> {
        const response = await fetch(uri, { signal: AbortSignal.timeout(3000), redirect: "error" });
        if (!response.ok) throw new FetchError(uri, `status ${response.status}`);
        return response.arrayBuffer();
    },
};

/** What a Cognito ID token proves about its user (the e-mail address, verified or not). */
export interface IdentityClaims {
    sub: string;
    email: string;
    emailVerified: boolean;
}

export class TokenVerifier {
    private readonly verifier;
    private readonly idVerifier;

    constructor(settings: AuthSettings) {
        const jwksCache = new SimpleJwksCache({ fetcher: jwksFetcher });
        this.verifier = JwtVerifier.create(
            {
                issuer: settings.issuer,
                jwksUri: settings.jwksUri,
                // Access tokens carry the client in `client_id`, not `aud` (checked below).
                audience: null,
                customJwtCheck: ({ payload }) => {
                    if (payload.token_use !== "access") throw new Error("not an access token");
                    if (payload.client_id !== settings.clientId) throw new Error("issued to another client");
                    if (typeof payload.sub !== "string" || !payload.sub) throw new Error("no subject");
                },
            },
            { jwksCache },
        );
        // ID tokens name the client in `aud`; they carry the e-mail address.
        this.idVerifier = JwtVerifier.create(
            {
                issuer: settings.issuer,
                jwksUri: settings.jwksUri,
                audience: settings.clientId,
                customJwtCheck: ({ payload }) => {
                    if (payload.token_use !== "id") throw new Error("not an ID token");
                },
            },
            { jwksCache },
        );
    }

    /** The claims of a valid ID token (the storefront has it from sign-in); a 401 problem otherwise. */
    async verifyIdToken(token: string): Promise<IdentityClaims> {
        const payload = await this.guard(this.idVerifier.verify(token));
        if (typeof payload.sub !== "string" || typeof payload.email !== "string")
            throw unauthorized("the ID token carries no e-mail address");
        return { sub: payload.sub, email: payload.email, emailVerified: payload.email_verified === true };
    }

    /** The principal of a valid token; a 401 problem (503 when the keys cannot be fetched) otherwise. */
    async verify(token: string): Promise<Principal> {
        const payload = await this.guard(this.verifier.verify(token));
        const groups = Array.isArray(payload["cognito:groups"]) ? (payload["cognito:groups"] as string[]) : [];
        const sub = payload.sub as string;
        return {
            sub,
            username: typeof payload.username === "string" ? payload.username : sub,
            groups,
            isAdmin: groups.includes(ADMIN_GROUP),
        };
    }

    /** A verification's failure as the client's problem: 401, or 503 when the keys cannot be fetched. */
    private async guard<T>(verification: Promise<T>): Promise<T> {
        try {
            return await verification;
        } catch (error) {
            if (error instanceof FetchError) throw unavailable("the sign-in keys cannot be fetched; try again");
            throw unauthorized("the token is not valid");
        }
    }

    /** Reads `Authorization: Bearer <token>` and verifies it. */
    async authenticate(request: FastifyRequest): Promise<Principal> {
        const header = request.headers.authorization;
        const match = header ? /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header) : null;
        if (!match) throw unauthorized("send an access token: Authorization: Bearer <token>");
        return this.verify(match[1]);
    }

    /** onRequest hook of a customer route: any signed-in user, acting on their own data only. */
    readonly customer = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
        request.principal = await this.authenticate(request);
    };

    /** onRequest hook of an admin route: members of the admins group only. */
    readonly admin = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
        const principal = await this.authenticate(request);
        if (!principal.isAdmin) throw forbidden(`this route is for the ${ADMIN_GROUP} group`);
        request.principal = principal;
    };
}

/** The signed-in caller of a route guarded by TokenVerifier.customer or .admin. */
export function principalOf(request: FastifyRequest): Principal {
    if (!request.principal) throw new Error(`route ${request.routeOptions.url} reads a principal it does not verify`);
    return request.principal;
}
