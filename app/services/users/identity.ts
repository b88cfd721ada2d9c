// The customer's Cognito user, which erasure removes (the service's one Cognito permission:
// cognito-idp:AdminDeleteUser on the shop's pool).
import {
    AdminDeleteUserCommand,
    CognitoIdentityProviderClient,
    UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";

export interface IdentityStore {
    /** Deletes the user; a user already gone counts as deleted (a retried erasure). */
    deleteUser(username: string): Promise<void>;
}

export class CognitoIdentityStore implements IdentityStore {
    constructor(
        private readonly client: CognitoIdentityProviderClient,
        private readonly userPoolId: string,
    ) {}

    async deleteUser(username: string): Promise<void> {
        try {
            await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
        } catch (error) {
            if (error instanceof UserNotFoundException) return;
            throw error;
        }
    }
}
