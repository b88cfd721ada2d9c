import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KeyPurpose, keyPolicy } from "./key-policies";

export interface KeyRingArgs {
    accountId: string;
    /** The region of the provider the ring is created with; service principals are regional. */
    region: string;
    purposes: readonly KeyPurpose[];
    /** Alias names are "alias/<aliasPrefix>-<purpose>", unique per account and region. */
    aliasPrefix: string;
    /** Days between a scheduled deletion and the key's destruction (7-30). */
    deletionWindowInDays: number;
    /** The trail that encrypts with the audit key, admitted by its ARN (see key-policies.ts). */
    cloudTrailArn?: string;
}

/**
 * Customer-managed KMS keys by purpose: symmetric, rotated every year, each with an alias and a
 * key policy that admits exactly the services that use it.
 */
export class KeyRing extends pulumi.ComponentResource {
    private readonly keys = new Map<KeyPurpose, aws.kms.Key>();

    constructor(name: string, args: KeyRingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:security:KeyRing", name, {}, opts);
        if (args.purposes.length === 0) throw new Error(`KeyRing ${name}: purposes must not be empty`);
        if (args.deletionWindowInDays < 7 || args.deletionWindowInDays > 30) {
            throw new Error(`KeyRing ${name}: deletionWindowInDays must be 7-30, got ${args.deletionWindowInDays}`);
        }

        for (const purpose of args.purposes) {
            const key = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${args.aliasPrefix} ${purpose} encryption key`,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: args.deletionWindowInDays,
                    policy: JSON.stringify(keyPolicy(purpose, args)),
                },
                { parent: this },
            );
            new aws.kms.Alias(
                `${name}-${purpose}`,
                {
                    name: `alias/${args.aliasPrefix}-${purpose}`,
                    targetKeyId: key.keyId,
                },
                { parent: this },
            );
            this.keys.set(purpose, key);
        }

        this.registerOutputs(Object.fromEntries([...this.keys].map(([purpose, key]) => [`${purpose}KeyArn`, key.arn])));
    }

    /** The ARN of the key for `purpose`; asking for a purpose the ring was not built with is a bug. */
    arn(purpose: KeyPurpose): pulumi.Output<string> {
        const key = this.keys.get(purpose);
        if (!key) throw new Error(`KeyRing has no ${purpose} key (purposes: ${[...this.keys.keys()].join(", ")})`);
        return key.arn;
    }
}
