import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { validatedCertificate } from "../shared/certificate";

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
    /** The HTTP API's custom domain: CloudFront's origin for `/api/*`. */
    readonly apiDomainName: string;
    /** The internal load balancer's certificate name, verified by the API; no record resolves it. */
    readonly internalServicesDomainName: string;
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
        this.apiDomainName = `api.${args.domainName}`;
        this.internalServicesDomainName = `services.internal.${args.domainName}`;

        if (args.hostedZoneId) {
            this.zoneId = pulumi.output(args.hostedZoneId);
        } else {
            const zone = new aws.route53.Zone(
                `${name}-zone`,
                {
                    name: args.domainName,
                    comment: `Public zone of ${args.domainName}, managed by Pulumi`,
                },
                { parent: this },
            );
            this.zoneId = zone.zoneId;
            this.nameServers = zone.nameServers;
        }

        this.siteCertificateArn = validatedCertificate(
            `${name}-site`,
            { names: this.siteDomainNames, zoneId: this.zoneId, provider: args.edgeProvider },
            this,
        );
        this.originCertificateArn = validatedCertificate(
            `${name}-origin`,
            { names: [this.originDomainName], zoneId: this.zoneId },
            this,
        );

        this.originVerifySecret = pulumi.secret(
            new random.RandomPassword(
                `${name}-origin-verify`,
                {
                    length: 48,
                    special: false,
                },
                { parent: this },
            ).result,
        );

        this.registerOutputs({
            zoneId: this.zoneId,
            siteCertificateArn: this.siteCertificateArn,
            originCertificateArn: this.originCertificateArn,
        });
    }
}
