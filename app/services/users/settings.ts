// The user-profiles service reads only the kit's settings (the Cognito pool among them).
import { EnvReader, type Env } from "../../shared/env";
import { readServiceSettings, type ServiceSettings } from "../kit/settings";

export function readUsersSettings(env?: Env): ServiceSettings {
    const r = new EnvReader(env);
    const settings = readServiceSettings(r, "users");
    r.done();
    return settings;
}
