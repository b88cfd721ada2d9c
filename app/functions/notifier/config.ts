import { EnvReader, type Env } from "../../shared/env";
import type { EmailSettings } from "./channels";
import type { Store } from "./templates";

export interface NotifierConfig {
    email: EmailSettings;
    smsSenderId?: string;
    store: Store;
    deadLetterQueueUrl: string;
}

/** The environment contract; see app/functions/README.md. */
export function readNotifierConfig(env?: Env): NotifierConfig {
    const r = new EnvReader(env);
    const storeUrl = r.string("STORE_URL").replace(/\/+$/, "");
    if (storeUrl && !/^https:\/\/[^/]+/.test(storeUrl))
        r.problem(`STORE_URL is "${storeUrl}": expected an https:// URL`);
    const smsSenderId = r.optionalString("SMS_SENDER_ID");
    // SNS sender ids: 1-11 letters and digits, at least one letter.
    if (smsSenderId && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(smsSenderId)) {
        r.problem(`SMS_SENDER_ID is "${smsSenderId}": expected 1-11 letters and digits with at least one letter`);
    }
    const config: NotifierConfig = {
        email: { from: r.string("SENDER_EMAIL"), configurationSet: r.optionalString("SES_CONFIGURATION_SET") },
        smsSenderId,
        store: { name: r.optionalString("STORE_NAME") ?? "Shop", url: storeUrl },
        deadLetterQueueUrl: r.string("DEAD_LETTER_QUEUE_URL"),
    };
    r.done();
    return config;
}
