import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ValidatedCertificateArgs {
    /** The names the certificate covers; the first is the subject. */
    names: string[];
    /** The public hosted zone that holds the names (the validation records go there). */
    zoneId: pulumi.Input<string>;
    /** The certificate's region, when it is not the parent's (CloudFront's are in us-east-1). */
    provider?: aws.Provider;
}

/**
 * A DNS-validated ACM certificate. Returns the validation's ARN, so that nothing attaches the
 * certificate (listener, distribution, custom domain) before ACM has issued it.
 */
export function validatedCertificate(
    name: string,
    args: ValidatedCertificateArgs,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const regionOpts = { parent, ...(args.provider ? { provider: args.provider } : {}) };
    const certificate = new aws.acm.Certificate(
        name,
        {
            domainName: args.names[0],
            subjectAlternativeNames: args.names.slice(1),
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
            tags: { Name: args.names[0] },
        },
        regionOpts,
    );

    const fqdns = args.names.map((domainName, i) => {
        const option = certificate.domainValidationOptions.apply((options) => {
            const found = options.find((o) => o.domainName === domainName);
            if (!found) throw new Error(`ACM returned no validation record for ${domainName}`);
            return found;
        });
        // Route 53 is global: the records go through the parent's provider whatever the certificate's region.
        return new aws.route53.Record(
            `${name}-validation-${i}`,
            {
                zoneId: args.zoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            },
            { parent },
        ).fqdn;
    });

    return new aws.acm.CertificateValidation(
        name,
        {
            certificateArn: certificate.arn,
            validationRecordFqdns: fqdns,
        },
        regionOpts,
    ).certificateArn;
}
