// A token issuer for the service tests: an RSA key pair whose public half is served as a JWKS
// over http on loopback, and Cognito-shaped access tokens signed with it (or deliberately wrong:
// another issuer, another client, expired, an ID token, unsigned with `alg: none`, signed by a
// key the JWKS does not have).
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "crypto";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";

export const CLIENT_ID = "storefront-test-client";
export const USER_POOL_ID = "af-south-1_TestPool1";

export interface TokenOptions {
    sub?: string;
    username?: string;
    groups?: string[];
    clientId?: string;
    issuer?: string;
    tokenUse?: "access" | "id";
    /** Seconds from now; negative for an expired token. */
    expiresIn?: number;
    /** Sign with a key the JWKS does not publish. */
    foreignKey?: boolean;
    /** Extra claims (an ID token's email...). */
    claims?: Record<string, unknown>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export class TestIssuer {
    private readonly key = generateKeyPairSync("rsa", { modulusLength: 2048 });
    private readonly foreign = generateKeyPairSync("rsa", { modulusLength: 2048 });
    private readonly kid = randomUUID();
    private server?: Server;
    /** http://127.0.0.1:<port>/<pool>: where the tokens say they come from. */
    issuer = "";
    jwksRequests = 0;

    async start(): Promise<void> {
        const jwks = JSON.stringify({
            keys: [{ ...this.key.publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" }],
        });
        this.server = createServer((request, response) => {
            if (request.url === `/${USER_POOL_ID}/.well-known/jwks.json`) {
                this.jwksRequests++;
                response.writeHead(200, { "content-type": "application/json" }).end(jwks);
            } else response.writeHead(404).end();
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${USER_POOL_ID}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** The settings a service needs to trust this issuer (as `npm run local` would set them). */
    env(): Record<string, string> {
        return { COGNITO_USER_POOL_ID: USER_POOL_ID, COGNITO_CLIENT_ID: CLIENT_ID, AUTH_ISSUER: this.issuer };
    }

    token(options: TokenOptions = {}): string {
        const now = Math.floor(Date.now() / 1000);
        const sub = options.sub ?? randomUUID();
        const use = options.tokenUse ?? "access";
        const payload = {
            sub,
            iss: options.issuer ?? this.issuer,
            token_use: use,
            ...(use === "access"
                ? { client_id: options.clientId ?? CLIENT_ID, scope: "openid email profile" }
                : { aud: options.clientId ?? CLIENT_ID }),
            username: options.username ?? sub,
            ...(options.groups ? { "cognito:groups": options.groups } : {}),
            auth_time: now,
            iat: now,
            exp: now + (options.expiresIn ?? 3600),
            jti: randomUUID(),
            ...options.claims,
        };
        const input = `${b64({ kid: this.kid, alg: "RS256" })}.${b64(payload)}`;
        const key: KeyObject = options.foreignKey ? this.foreign.privateKey : this.key.privateKey;
        return `${input}.${createSign("RSA-SHA256").update(input).sign(key).toString("base64url")}`;
    }

    /** The same claims, unsigned: `alg: none`. */
    unsignedToken(options: TokenOptions = {}): string {
        const [, payload] = this.token(options).split(".");
        return `${b64({ kid: this.kid, alg: "none" })}.${payload}.`;
    }
}
