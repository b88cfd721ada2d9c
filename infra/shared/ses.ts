/**
 * SES names shared by every tier that sends e-mail as the platform's verified sender (the
 * notifier functions, the Cognito user pool), so that they name the same identity the same way.
 */

const sesArn = (region: string, accountId: string, resource: string) => `arn:aws:ses:${region}:${accountId}:${resource}`;

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
 * 7-bit ASCII, so a name with other characters goes as an RFC 2047 encoded word instead.
 */
export function namedMailbox(name: string, address: string): string {
    const display = /^[\x20-\x7e]*$/.test(name)
        ? `"${name.replace(/["\\]/g, "\\$&")}"`
        : `=?UTF-8?B?${Buffer.from(name, "utf8").toString("base64")}?=`;
    return `${display} <${address}>`;
}
