// The user-profiles service, assembled: the kit, the domain modules, the routes.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { createServiceKit, type KitOverrides, type ServiceKit } from "../kit/service";
import type { ServiceSettings } from "../kit/settings";
import { CognitoIdentityStore } from "./identity";
import { Privacy } from "./privacy";
import { Profiles } from "./profiles";
import { usersRoutes } from "./routes";

export const USERS_INFO = {
    version: "1.0.0",
    description: "Customers' profiles and address books, their data export and erasure, and customer search for admins",
};

export async function createUsersService(settings: ServiceSettings, overrides: KitOverrides = {}): Promise<ServiceKit> {
    const kit = await createServiceKit(settings, USERS_INFO, overrides);
    const identity = new CognitoIdentityStore(new CognitoIdentityProviderClient({}), settings.auth.userPoolId);
    usersRoutes(kit.app, {
        profiles: new Profiles(kit.db),
        privacy: new Privacy(kit.db, identity, kit.logger),
        auth: kit.auth,
    });
    return kit;
}
