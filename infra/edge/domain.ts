import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface DomainArgs {
    /** The storefront's apex name, e.g. shop.example.co.za. */
    domainName: string;
    /** An existing public hosted zone for domainName; without it the zone is created. */
    hostedZoneId?: string;
    /** A provider for us-east-1: CloudFront only accepts certificates from there. */
    edgeProvider: aws.Provider;
}

/**
 * What the edge and its origins share, built before either: the hosted zone, the DNS-validated
 * certificates (the site's in us-east-1 for CloudFront, the origin's in the stack's region for the
 * public load balancer) and the secret header by which the load balancer recognises CloudFront.
 */
export class Domain extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    /** The zone's name servers when the stack created it (to delegate from the parent zone). */
    readonly nameServers?: pulumi.Output<string[]>;
    readonly siteDomainNames: string[];
    /** The name CloudFront connects to; an alias of the public load balancer. */
    readonly originDomainName: string;
    /** us-east-1 certificate for the site names, usable once validated. */
    readonly siteCertificateArn: pulumi.Output<string>;
    /** Regional certificate for the origin name, usable once validated. */
    readonly originCertificateArn: pulumi.Output<string>;
    /** The value of the X-Origin-Verify header CloudFront adds and the load balancer requires. */
    readonly originVerifySecret: pulumi.Output<string>;

    constructor(name: string, args: DomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("shop:edge:Domain", name, {}, opts);
        this.siteDomainNames = [args.domainName, `www.${args.domainName}`];
        this.originDomainName = `origin.${args.domainName}`;

        if (args.hostedZoneId) {
            this.zoneId = pulumi.output(args.hostedZoneId);
        } else {
            const zone = new aws.route53.Zone(`${name}-zone`, {
                name: args.domainName,
                comment: `Public zone of ${args.domainName}, managed by Pulumi`,
            }, { parent: this });
            this.zoneId = zone.zoneId;
            this.nameServers = zone.nameServers;
        }

        this.siteCertificateArn = this.validatedCertificate(`${name}-site`, this.siteDomainNames, args.edgeProvider);
        this.originCertificateArn = this.validatedCertificate(`${name}-origin`, [this.originDomainName]);

        this.originVerifySecret = pulumi.secret(new random.RandomPassword(`${name}-origin-verify`, {
            length: 48,
            special: false,
        }, { parent: this }).result);

        this.registerOutputs({ zoneId: this.zoneId, siteCertificateArn: this.siteCertificateArn, originCertificateArn: this.originCertificateArn });
    }

    /**
     * A DNS-validated certificate for `names` (the first is the subject). Dependents use the
     * validation's ARN, so nothing attaches the certificate before ACM has issued it.
     */
    private validatedCertificate(name: string, names: string[], provider?: aws.Provider): pulumi.Output<string> {
        const regionOpts = { parent: this, ...(provider ? { provider } : {}) };
        const certificate = new aws.acm.Certificate(name, {
            domainName: names[0],
            subjectAlternativeNames: names.slice(1),
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
            tags: { Name: names[0] },
        }, regionOpts);

        const fqdns = names.map((domainName, i) => {
            const option = certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === domainName);
                if (!found) throw new Error(`ACM returned no validation record for ${domainName}`);
                return found;
            });
            // Route 53 is global: the records go through the stack's provider whatever the certificate's region.
            return new aws.route53.Record(`${name}-validation-${i}`, {
                zoneId: this.zoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            }, { parent: this }).fqdn;
        });

        return new aws.acm.CertificateValidation(name, {
            certificateArn: certificate.arn,
            validationRecordFqdns: fqdns,
        }, regionOpts).certificateArn;
    }
}
