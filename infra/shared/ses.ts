/**
 * SES names shared by every tier that sends e-mail as the platform's verified sender (the
 * notifier functions, the Cognito user pool), so that they name the same identity the same way.
 */

const sesArn = (region: string, accountId: string, resource: string) =>
    `arn:aws:ses:${region}:${accountId}:${resource}`;

/**
 * The ARN of a verified SES identity (a domain or an address). SES authorises sending against
 * exactly this ARN, and Cognito checks it at CreateUserPool/UpdateUserPool: it must be the
 * identity that was verified (the domain when the domain was verified, not an address in it).
 */
export function sesIdentityArn(region: string, accountId: string, identity: string): string {
    return sesArn(region, accountId, `identity/${identity}`);
}

export function sesConfigurationSetArn(region: string, accountId: string, configurationSet: string): string {
    return sesArn(region, accountId, `configuration-set/${configurationSet}`);
}

/** Whether SES lets `address` send as `identity`: the address itself, or an address of the domain. */
export function identityCovers(identity: string, address: string): boolean {
    return address === identity || address.endsWith(`@${identity}`);
}

/**
 * A From header's mailbox with a display name: `"Name" <address>`. The name is an RFC 5322
 * quoted string (store names may hold `(`, `,` or `.`, which are special there); SES takes only
 * 7-bit ASCII, so a name with other characters goes as RFC 2047 encoded words instead.
 */
export function namedMailbox(name: string, address: string): string {
    const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, "\\$&")}"` : encodedWords(name);
    return `${display} <${address}>`;
}

/** RFC 2047 words of at most 75 characters (45 bytes each), never splitting a character. */
function encodedWords(text: string): string {
    const chunks = [""];
    for (const char of text) {
        if (Buffer.byteLength(chunks[chunks.length - 1] + char) > 45) chunks.push("");
        chunks[chunks.length - 1] += char;
    }
    return chunks.map((chunk) => `=?UTF-8?B?${Buffer.from(chunk).toString("base64")}?=`).join(" ");
}
