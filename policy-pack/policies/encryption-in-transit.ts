import * as aws from "@pulumi/aws";
import { PolicyResource, ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { deniesInsecureTransport, Statement, statementsOf } from "./support/documents";
import { Identity, ResourceType, StackIndex } from "./support/stack-index";
import { BUCKETS, CLASSIC_LOAD_BALANCERS, LISTENER_RULES, LISTENERS, LOAD_BALANCERS } from "./support/type-groups";
import { checkEach } from "./support/unknowns";
import { InputProps, isSet } from "./support/values";

/** The security policies Security Hub ELB.17 recommends (TLS 1.3, restricted TLS 1.2 ciphers, FIPS, PQ). */
export const RECOMMENDED_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

interface ListenerConfig {
    allowedSslPolicies: string[];
    allowPlaintextToInternalLoadBalancers: boolean;
}

type Action = { type?: string; redirect?: { protocol?: string } };
const redirectsToHttps = (actions: Action[]) =>
    actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");

export const lbListenerEncryptedInTransit = stackPolicy(
    {
        name: "lb-listener-encrypted-in-transit",
        description:
            "Load balancer listeners use HTTPS/TLS with an allowed security policy and a certificate; an HTTP listener may only redirect to HTTPS (its rules included). Classic load balancers' inline listeners use HTTPS/SSL with a certificate and the TLS 1.2 security policy (a classic listener cannot redirect).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        fsbp: ["ELB.1", "ELB.3", "ELB.8", "ELB.17", "ELB.18"],
        remediation:
            "Listen with protocol HTTPS, a validated ACM certificate and an allowed sslPolicy; make the port 80 listener's only action a redirect to HTTPS (HTTP_301). On a classic load balancer, listen with lbProtocol HTTPS or SSL and attach ELBSecurityPolicy-TLS-1-2-2017-01 (an aws.elb.LoadBalancerPolicy with Reference-Security-Policy, through an aws.elb.ListenerPolicy), or better, move to an application load balancer.",
        configSchema: {
            properties: {
                allowedSslPolicies: {
                    type: "array",
                    items: { type: "string", pattern: "^ELBSecurityPolicy-" },
                    minItems: 1,
                    uniqueItems: true,
                    default: RECOMMENDED_SSL_POLICIES,
                    description:
                        "ELB security policies a TLS listener may use (default: the policies Security Hub ELB.17 recommends)",
                },
                allowPlaintextToInternalLoadBalancers: {
                    type: "boolean",
                    default: false,
                    description:
                        "Accept plaintext listeners on internal load balancers (the traffic still crosses the VPC unencrypted)",
                },
            },
        },
    },
    (args, report) => {
        const config = args.getConfig<ListenerConfig>();
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...LISTENERS),
            (l) => l.urn,
            (listener) => {
                const protocol = listener.props.protocol ?? defaultProtocol(index, listener);
                if (protocol === "HTTPS" || protocol === "TLS") {
                    if (!config.allowedSslPolicies.includes(listener.props.sslPolicy)) {
                        report(
                            `${protocol} listener uses ${listener.props.sslPolicy ?? "the default security policy"}; allowed: ${config.allowedSslPolicies.join(", ")}.`,
                            listener.urn,
                        );
                    }
                    if (!isSet(listener.props.certificateArn))
                        report(`${protocol} listener has no certificateArn.`, listener.urn);
                    return;
                }
                const internal = index
                    .sources(listener, "loadBalancerArn", ...LOAD_BALANCERS)
                    .some((lb) => lb.props.internal === true);
                if (config.allowPlaintextToInternalLoadBalancers && internal) return;
                if (protocol !== "HTTP") {
                    report(
                        `${protocol} listener carries plaintext; use TLS (Network Load Balancer) or HTTPS.`,
                        listener.urn,
                    );
                    return;
                }
                if (!redirectsToHttps((listener.props.defaultActions ?? []) as Action[])) {
                    report("HTTP listener does something other than redirect to HTTPS.", listener.urn);
                }
                for (const rule of index.referrers(listener, LISTENER_RULES, "listenerArn")) {
                    if (!redirectsToHttps((rule.props.actions ?? []) as Action[])) {
                        report(
                            `rule ${rule.name} of this HTTP listener serves plaintext instead of redirecting to HTTPS.`,
                            listener.urn,
                        );
                    }
                }
            },
        );
        checkEach(
            index.ofType(...CLASSIC_LOAD_BALANCERS),
            (l) => l.urn,
            (elb) => {
                const plaintextAllowed = config.allowPlaintextToInternalLoadBalancers && elb.props.internal === true;
                for (const listener of (elb.props.listeners ?? []) as InputProps[]) {
                    const protocol = String(listener.lbProtocol).toUpperCase();
                    const where = `${protocol} listener on port ${listener.lbPort}`;
                    if (protocol !== "HTTPS" && protocol !== "SSL") {
                        if (!plaintextAllowed)
                            report(
                                `${where} carries plaintext (a classic listener cannot redirect to HTTPS).`,
                                elb.urn,
                            );
                        continue;
                    }
                    if (!isSet(listener.sslCertificateId)) report(`${where} has no sslCertificateId.`, elb.urn);
                    const policy = classicSecurityPolicy(index, elb, listener.lbPort);
                    if (!CLASSIC_SSL_POLICIES.includes(String(policy)))
                        report(
                            `${where} uses ${policy ?? "the default security policy (ELBSecurityPolicy-2016-08, which accepts TLS 1.0)"}; use ${CLASSIC_SSL_POLICIES.join(", ")}.`,
                            elb.urn,
                        );
                }
            },
        );
    },
);

/** The predefined policy ELB.8 asks of classic SSL listeners. */
const CLASSIC_SSL_POLICIES = ["ELBSecurityPolicy-TLS-1-2-2017-01"];

/** A ListenerPolicy names LoadBalancerPolicies by their `policyName`. */
const byPolicyName: Identity = (policy) => (isSet(policy.props.policyName) ? [policy.props.policyName] : undefined);

/**
 * The predefined security policy a classic listener references: through an aws.elb.ListenerPolicy
 * for its load balancer and port, the aws.elb.LoadBalancerPolicy whose Reference-Security-Policy it is.
 */
function classicSecurityPolicy(index: StackIndex, elb: PolicyResource, port: unknown): string | undefined {
    const loadBalancerPolicies = index.ofType(aws.elb.LoadBalancerPolicy);
    return index
        .referrers(elb, [aws.elb.ListenerPolicy], "loadBalancerName")
        .filter((l) => l.props.loadBalancerPort === port)
        .flatMap((l) => loadBalancerPolicies.filter((p) => index.refersTo(l, "policyNames", p, byPolicyName)))
        .flatMap((p) => (p.props.policyAttributes ?? []) as { name?: string; value?: string }[])
        .find((a) => a.name === "Reference-Security-Policy")?.value;
}

/** ALBs listen HTTP and NLBs TCP when no protocol is given. */
function defaultProtocol(index: StackIndex, listener: PolicyResource): string {
    const lb = index.sources(listener, "loadBalancerArn", ...LOAD_BALANCERS)[0];
    return lb && ["network", "gateway"].includes(lb.props.loadBalancerType) ? "TCP" : "HTTP";
}

interface ViewerConfig {
    allowedMinimumProtocolVersions: string[];
}

export const cloudfrontViewerHttps = resourcePolicy(
    {
        name: "cloudfront-viewer-https",
        description:
            "CloudFront serves viewers over HTTPS only (every behavior redirects or refuses HTTP) with a custom certificate over SNI and a modern minimum TLS version.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        fsbp: ["CloudFront.3", "CloudFront.7", "CloudFront.8", "CloudFront.15"],
        remediation:
            'Set viewerProtocolPolicy "redirect-to-https" on every cache behavior and viewerCertificate { acmCertificateArn (us-east-1), sslSupportMethod "sni-only", minimumProtocolVersion "TLSv1.2_2021" }.',
        configSchema: {
            properties: {
                allowedMinimumProtocolVersions: {
                    type: "array",
                    items: { type: "string", pattern: "^TLSv1\\.[23]_20[0-9]{2}$" },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
                    description: "Viewer security policies CloudFront may use",
                },
            },
        },
    },
    validateResourceOfType(aws.cloudfront.Distribution, (distribution, args, report) => {
        const behaviors: [string, string][] = [
            ["default (*)", distribution.defaultCacheBehavior.viewerProtocolPolicy],
            ...(distribution.orderedCacheBehaviors ?? []).map((b): [string, string] => [
                b.pathPattern,
                b.viewerProtocolPolicy,
            ]),
        ];
        for (const [path, protocol] of behaviors) {
            if (!["redirect-to-https", "https-only"].includes(protocol))
                report(`cache behavior ${path} allows HTTP (viewerProtocolPolicy ${protocol}).`);
        }
        const certificate = distribution.viewerCertificate;
        const { allowedMinimumProtocolVersions } = args.getConfig<ViewerConfig>();
        if (
            certificate.cloudfrontDefaultCertificate === true ||
            !(isSet(certificate.acmCertificateArn) || isSet(certificate.iamCertificateId))
        ) {
            report(
                "uses the *.cloudfront.net default certificate, which cannot enforce a minimum TLS version (TLSv1): use a custom ACM certificate.",
            );
            return;
        }
        if (certificate.sslSupportMethod !== "sni-only")
            report(
                `sslSupportMethod is ${certificate.sslSupportMethod ?? "unset"}, not sni-only (dedicated-IP "vip" serves legacy clients and costs extra).`,
            );
        if (!allowedMinimumProtocolVersions.includes(String(certificate.minimumProtocolVersion))) {
            report(
                `minimumProtocolVersion is ${certificate.minimumProtocolVersion ?? "TLSv1 (the default)"}; allowed: ${allowedMinimumProtocolVersions.join(", ")}.`,
            );
        }
    }),
);

interface OriginConfig {
    allowedOriginSslProtocols: string[];
}

export const cloudfrontOriginHttps = resourcePolicy(
    {
        name: "cloudfront-origin-https",
        description: "CloudFront reaches custom origins over HTTPS only, with TLS 1.2 or later.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        fsbp: ["CloudFront.9", "CloudFront.10"],
        remediation:
            'Set customOriginConfig.originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"] on every custom origin; give the origin a certificate for the name CloudFront connects to.',
        configSchema: {
            properties: {
                allowedOriginSslProtocols: {
                    type: "array",
                    items: { type: "string", enum: ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["TLSv1.2"],
                    description: "Protocols CloudFront may offer a custom origin",
                },
            },
        },
    },
    validateResourceOfType(aws.cloudfront.Distribution, (distribution, args, report) => {
        const { allowedOriginSslProtocols } = args.getConfig<OriginConfig>();
        for (const origin of distribution.origins) {
            const custom = origin.customOriginConfig;
            if (!custom) continue;
            if (custom.originProtocolPolicy !== "https-only") {
                report(`origin ${origin.originId} is reached with ${custom.originProtocolPolicy}, not https-only.`);
            }
            const weak = (custom.originSslProtocols ?? []).filter((p) => !allowedOriginSslProtocols.includes(p));
            if (weak.length > 0) report(`origin ${origin.originId} allows ${weak.join(", ")}.`);
        }
    }),
);

interface CacheTransitConfig {
    requireAuthentication: boolean;
}

export const elasticacheEncryptedInTransit = resourcePolicy(
    {
        name: "elasticache-encrypted-in-transit",
        description:
            "ElastiCache requires TLS from every client and authenticates them (AUTH token or RBAC user groups): replication groups, serverless caches (always TLS) and standalone cache clusters (which can use TLS but cannot authenticate clients).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        fsbp: ["ElastiCache.5", "ElastiCache.6"],
        remediation:
            'Set transitEncryptionEnabled: true (transitEncryptionMode "required" or unset) and an authToken from a generated secret, or userGroupIds; a serverless cache takes a userGroupId; a standalone cache cluster becomes a replication group.',
        configSchema: {
            properties: {
                requireAuthentication: {
                    type: "boolean",
                    default: true,
                    description: "Require an AUTH token or RBAC user groups",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, report) => {
            if (group.transitEncryptionEnabled !== true)
                report("transitEncryptionEnabled is not true: clients connect in plaintext.");
            else if (group.transitEncryptionMode === "preferred")
                report('transitEncryptionMode is "preferred": plaintext connections are still accepted.');
            const authenticated =
                isSet(group.authToken) || isSet(group.authTokenWo) || (group.userGroupIds ?? []).length > 0;
            if (args.getConfig<CacheTransitConfig>().requireAuthentication && !authenticated) {
                report(
                    "has neither an AUTH token nor RBAC user groups: any client that reaches the port can use the cache.",
                );
            }
        }),
        validateResourceOfType(aws.elasticache.ServerlessCache, (cache, args, report) => {
            if (args.getConfig<CacheTransitConfig>().requireAuthentication && !isSet(cache.userGroupId))
                report("has no userGroupId: any client that reaches the endpoint can use the cache.");
        }),
        // A member of a replication group takes the group's settings.
        validateResourceOfType(aws.elasticache.Cluster, (cluster, args, report) => {
            if (isSet(cluster.replicationGroupId)) return;
            if (cluster.transitEncryptionEnabled !== true)
                report("transitEncryptionEnabled is not true: clients connect in plaintext.");
            if (args.getConfig<CacheTransitConfig>().requireAuthentication)
                report(
                    `is a standalone ${cluster.engine ?? "cache"} cluster, which cannot authenticate clients: use a replication group with an AUTH token or user groups.`,
                );
        }),
    ],
);

/** The statements of the policies attached to a resource: separate policy resources and an inline `policy`. */
function attachedStatements(
    index: StackIndex,
    target: PolicyResource,
    policyTypes: ResourceType[],
    linkProperty: string,
): Statement[] | string {
    const documents = [
        ...index.referrers(target, policyTypes, linkProperty).map((p) => p.props.policy),
        ...(target.props.policy !== undefined && target.props.policy !== "" ? [target.props.policy] : []),
    ];
    const statements: Statement[] = [];
    for (const document of documents) {
        const parsed = statementsOf(document);
        if (typeof parsed === "string") return `its policy ${parsed}`;
        statements.push(...parsed);
    }
    return statements;
}

function denyInsecureTransportPolicy(options: {
    name: string;
    description: string;
    fsbp?: string[];
    remediation: string;
    targets: ResourceType[];
    policyTypes: ResourceType[];
    linkProperty: string;
    service: string;
    coversResources?: (resources: string[]) => boolean;
}) {
    return stackPolicy(
        {
            name: options.name,
            description: options.description,
            severity: "medium",
            enforcementLevel: "mandatory",
            mandate: "encryption-in-transit",
            fsbp: options.fsbp,
            remediation: options.remediation,
        },
        (args, report) => {
            const index = StackIndex.of(args.resources);
            checkEach(
                index.ofType(...options.targets),
                (r) => r.urn,
                (target) => {
                    const statements = attachedStatements(index, target, options.policyTypes, options.linkProperty);
                    if (typeof statements === "string") report(`${statements}.`, target.urn);
                    else if (!deniesInsecureTransport(statements, options.service, options.coversResources)) {
                        report(
                            `no attached policy denies requests without TLS (Deny, Principal "*", ${options.service}:*, aws:SecureTransport = false).`,
                            target.urn,
                        );
                    }
                },
            );
        },
    );
}

export const s3BucketDeniesInsecureTransport = denyInsecureTransportPolicy({
    name: "s3-bucket-denies-insecure-transport",
    description:
        "Every S3 bucket's policy (an aws.s3.BucketPolicy linked by its `bucket` input) denies requests that do not use TLS, on the bucket and its objects.",
    fsbp: ["S3.5"],
    remediation:
        'Add to the bucket\'s BucketPolicy a statement { Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    targets: BUCKETS,
    policyTypes: [aws.s3.BucketPolicy],
    linkProperty: "bucket",
    service: "s3",
    coversResources: (resources) => resources.some((r) => r === "*" || r.endsWith("/*")),
});

export const sqsQueueDeniesInsecureTransport = denyInsecureTransportPolicy({
    name: "sqs-queue-denies-insecure-transport",
    description:
        "Every SQS queue's policy (an aws.sqs.QueuePolicy linked by its `queueUrl` input, or the queue's own) denies requests that do not use TLS.",
    remediation:
        'Attach an aws.sqs.QueuePolicy to the queue with a statement { Effect: Deny, Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    targets: [aws.sqs.Queue],
    policyTypes: [aws.sqs.QueuePolicy],
    linkProperty: "queueUrl",
    service: "sqs",
});

export const efsFileSystemPolicyEnforcesTls = denyInsecureTransportPolicy({
    name: "efs-file-system-policy-enforces-tls",
    description:
        "Every EFS file system's policy (an aws.efs.FileSystemPolicy linked by its `fileSystemId` input) denies mounts and requests that do not use TLS.",
    remediation:
        'Attach an aws.efs.FileSystemPolicy with a statement { Effect: Deny, Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    targets: [aws.efs.FileSystem],
    policyTypes: [aws.efs.FileSystemPolicy],
    linkProperty: "fileSystemId",
    service: "elasticfilesystem",
});

/** The parameter that makes each engine refuse connections without TLS. */
const TLS_PARAMETERS: Record<string, { name: string; values: string[] }> = {
    "aurora-postgresql": { name: "rds.force_ssl", values: ["1"] },
    postgres: { name: "rds.force_ssl", values: ["1"] },
    "aurora-mysql": { name: "require_secure_transport", values: ["1", "ON", "on"] },
    mysql: { name: "require_secure_transport", values: ["1", "ON", "on"] },
};

export const rdsEnforcesTls = stackPolicy(
    {
        name: "rds-enforces-tls",
        description:
            "RDS clusters and instances use a parameter group of their own (linked by the parameter group name input) that refuses connections without TLS, and whose family matches the engine's major version (RDS rejects a mismatch at deploy time).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        remediation:
            "Create an aws.rds.ClusterParameterGroup whose family is the engine and major version (e.g. aurora-postgresql16) with rds.force_ssl = 1 (require_secure_transport = ON for MySQL) and pass its name to the cluster.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        const check = (db: PolicyResource, property: string, groupTypes: ResourceType[]) => {
            const tls = TLS_PARAMETERS[db.props.engine];
            if (!tls) return;
            const groups = index.sources(db, property, ...groupTypes);
            if (groups.length === 0) {
                report(
                    `uses no parameter group of this stack (${property}): the default group does not set ${tls.name}.`,
                    db.urn,
                );
                return;
            }
            for (const group of groups) {
                const parameter = ((group.props.parameters ?? []) as { name: string; value: string }[]).find(
                    (p) => p.name === tls.name,
                );
                if (!parameter || !tls.values.includes(String(parameter.value))) {
                    report(`parameter group ${group.name} does not set ${tls.name} = ${tls.values[0]}.`, db.urn);
                }
                const major = postgresMajor(db.props.engine, db.props.engineVersion);
                if (major && group.props.family !== `${db.props.engine}${major}`) {
                    report(
                        `parameter group ${group.name} has family ${group.props.family}, but engine ${db.props.engine} ${db.props.engineVersion} needs ${db.props.engine}${major}.`,
                        db.urn,
                    );
                }
            }
        };
        checkEach(
            index.ofType(aws.rds.Cluster),
            (r) => r.urn,
            (c) => check(c, "dbClusterParameterGroupName", [aws.rds.ClusterParameterGroup]),
        );
        checkEach(
            index.ofType(aws.rds.Instance),
            (r) => r.urn,
            (i) => check(i, "parameterGroupName", [aws.rds.ParameterGroup]),
        );
    },
);

/** PostgreSQL families are named by major version: "16.4" or "16" -> "16". */
function postgresMajor(engine: string, version: unknown): string | undefined {
    if (!["aurora-postgresql", "postgres"].includes(engine) || typeof version !== "string") return undefined;
    return /^(\d+)(\.|$)/.exec(version)?.[1];
}

interface EfsVolumeConfig {
    requireIamAuthorization: boolean;
}

export const ecsEfsVolumesEncryptedInTransit = resourcePolicy(
    {
        name: "ecs-efs-volumes-encrypted-in-transit",
        description: "ECS task definitions mount EFS volumes with transit encryption and IAM authorization.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "encryption-in-transit",
        remediation:
            'Set efsVolumeConfiguration.transitEncryption "ENABLED" and authorizationConfig { iam: "ENABLED", accessPointId } on every EFS volume.',
        configSchema: {
            properties: {
                requireIamAuthorization: {
                    type: "boolean",
                    default: true,
                    description: "Require authorizationConfig.iam ENABLED (needs transit encryption)",
                },
            },
        },
    },
    validateResourceOfType(aws.ecs.TaskDefinition, checkEfsVolumes),
);

function checkEfsVolumes(
    task: {
        volumes?: {
            name: string;
            efsVolumeConfiguration?: { transitEncryption?: string; authorizationConfig?: { iam?: string } };
        }[];
    },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    for (const volume of task.volumes ?? []) {
        const efs = volume.efsVolumeConfiguration;
        if (!efs) continue;
        if (efs.transitEncryption !== "ENABLED")
            report(`EFS volume ${volume.name} is mounted without transit encryption.`);
        if (args.getConfig<EfsVolumeConfig>().requireIamAuthorization && efs.authorizationConfig?.iam !== "ENABLED") {
            report(`EFS volume ${volume.name} is mounted without IAM authorization.`);
        }
    }
}

export const encryptionInTransitPolicies = [
    lbListenerEncryptedInTransit,
    cloudfrontViewerHttps,
    cloudfrontOriginHttps,
    elasticacheEncryptedInTransit,
    s3BucketDeniesInsecureTransport,
    sqsQueueDeniesInsecureTransport,
    efsFileSystemPolicyEnforcesTls,
    rdsEnforcesTls,
    ecsEfsVolumesEncryptedInTransit,
];
