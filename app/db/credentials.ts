// The credentials behind a pool (see connection.ts). An IAM authentication token is valid for
// 15 minutes and is checked only when a connection opens, so one token serves every connection
// opened while it is fresh and a new one is signed before it expires; signing is local (SigV4
// with the role's credentials), no call to AWS.
import { Signer } from "@aws-sdk/rds-signer";
import type { Credentials, DatabaseAuth } from "./connection";

/** RDS accepts a token for 15 minutes; sign a new one well before. */
export const IAM_TOKEN_REFRESH_MS = 10 * 60 * 1000;

export interface TokenSigner {
    getAuthToken(): Promise<string>;
}

/** One endpoint's IAM token, signed on first use and again once it is IAM_TOKEN_REFRESH_MS old. */
export class IamTokenCredentials implements Credentials {
    private token?: { value: Promise<string>; signedAt: number };

    constructor(
        private readonly username: string,
        private readonly signer: TokenSigner,
        private readonly now: () => number = Date.now,
    ) {}

    static forEndpoint(auth: { user: string; region: string }, hostname: string, port: number): IamTokenCredentials {
        return new IamTokenCredentials(
            auth.user,
            new Signer({ hostname, port, username: auth.user, region: auth.region }),
        );
    }

    async user(): Promise<string> {
        return this.username;
    }

    password(): Promise<string> {
        const now = this.now();
        if (!this.token || now - this.token.signedAt >= IAM_TOKEN_REFRESH_MS) {
            const value = this.signer.getAuthToken();
            // A failed signing (no credentials yet) is not kept: the next connection tries again.
            value.catch(() => (this.token = undefined));
            this.token = { value, signedAt: now };
        }
        return this.token.value;
    }

    invalidate(): void {
        this.token = undefined;
    }
}

/** A fixed role and password: a local PostgreSQL. */
export class PasswordCredentials implements Credentials {
    constructor(private readonly auth: { user: string; password: string }) {}

    async user(): Promise<string> {
        return this.auth.user;
    }

    async password(): Promise<string> {
        return this.auth.password;
    }

    invalidate(): void {}
}

/** Reads {"username", "password"} from Secrets Manager; `fresh` skips any cache. */
export type SecretCredentialsReader = (
    secretArn: string,
    fresh: boolean,
) => Promise<{ username: string; password: string }>;

/** The RDS-managed master secret, read again after a refused login (RDS rotated it). */
export class SecretCredentials implements Credentials {
    private stale = false;

    constructor(
        private readonly secretArn: string,
        private readonly read: SecretCredentialsReader,
    ) {}

    async user(): Promise<string> {
        return (await this.read(this.secretArn, false)).username;
    }

    async password(): Promise<string> {
        const fresh = this.stale;
        this.stale = false;
        return (await this.read(this.secretArn, fresh)).password;
    }

    invalidate(): void {
        this.stale = true;
    }
}

/** The credentials of one endpoint for the configured authentication. */
export function credentialsFor(
    auth: DatabaseAuth,
    endpoint: { host: string; port: number },
    readSecret?: SecretCredentialsReader,
): Credentials {
    switch (auth.kind) {
        case "iam":
            return IamTokenCredentials.forEndpoint(auth, endpoint.host, endpoint.port);
        case "password":
            return new PasswordCredentials(auth);
        case "secret":
            if (!readSecret) throw new Error("the master secret is the migrator's only: this program cannot read it");
            return new SecretCredentials(auth.secretArn, readSecret);
    }
}
