import * as aws from "@pulumi/aws";
import { PolicyResource, ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { configsOf, receivesCloudFrontLogs } from "./s3-buckets";
import { documentValidations, RESOURCE_DOCUMENTS } from "./support/document-inputs";
import { isPublicAllow, list } from "./support/documents";
import { isSubnet, Network, SubnetTier } from "./support/network";
import { ResourceType, StackIndex } from "./support/stack-index";
import { BUCKETS, CLASSIC_LOAD_BALANCERS, LOAD_BALANCERS, VPCS } from "./support/type-groups";
import { checkEach, undecidedUntilKnown } from "./support/unknowns";
import { InputProps, isSet } from "./support/values";

export const ec2NoPublicIp = resourcePolicy(
    {
        name: "ec2-no-public-ip",
        description:
            "EC2 instances never get a public IPv4 address, whether from a launch template, a launch configuration, the instance (or spot request) itself or an Elastic IP attached to it or its network interface; they sit behind load balancers and reach out through NAT.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["EC2.9", "EC2.25"],
        remediation:
            'Remove associatePublicIpAddress (or set it to "false"), attach no Elastic IP to instances or their interfaces, and launch into private subnets.',
    },
    [
        validateResourceOfType(aws.ec2.LaunchTemplate, (template, _args, report) => {
            (template.networkInterfaces ?? []).forEach((ni, i) => {
                if (String(ni.associatePublicIpAddress) === "true")
                    report(`network interface ${ni.deviceIndex ?? i} associates a public IP address.`);
            });
        }),
        validateResourceOfType(aws.ec2.LaunchConfiguration, checkNoPublicIpOnLaunch),
        validateResourceOfType(aws.ec2.Instance, checkNoPublicIpOnLaunch),
        validateResourceOfType(aws.ec2.SpotInstanceRequest, checkNoPublicIpOnLaunch),
        validateResourceOfType(aws.ec2.Eip, (eip, _args, report) => {
            if (isSet(eip.instance) || isSet(eip.networkInterface))
                report("is attached to an instance or network interface, which becomes reachable at a public address.");
        }),
        validateResourceOfType(aws.ec2.EipAssociation, (association, _args, report) => {
            if (isSet(association.instanceId) || isSet(association.networkInterfaceId))
                report(
                    "attaches an Elastic IP to an instance or network interface, which becomes reachable at a public address.",
                );
        }),
    ],
);

function checkNoPublicIpOnLaunch(
    instance: { associatePublicIpAddress?: boolean },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (instance.associatePublicIpAddress === true) report("associatePublicIpAddress is true.");
}

export const ecsServiceNoPublicIp = resourcePolicy(
    {
        name: "ecs-service-no-public-ip",
        description: "ECS services do not assign public IP addresses to their tasks.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["ECS.2"],
        remediation:
            "Set networkConfiguration.assignPublicIp: false and run the service in private subnets (image pulls go through NAT or VPC endpoints).",
    },
    validateResourceOfType(aws.ecs.Service, (service, _args, report) => {
        if (service.networkConfiguration?.assignPublicIp === true)
            report("networkConfiguration.assignPublicIp is true.");
    }),
);

export const rdsNotPubliclyAccessible = resourcePolicy(
    {
        name: "rds-not-publicly-accessible",
        description: "RDS and Aurora instances are not publicly accessible.",
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["RDS.2"],
        remediation: "Set publiclyAccessible: false (the default) on every instance.",
    },
    [
        validateResourceOfType(aws.rds.ClusterInstance, checkNotPublic),
        validateResourceOfType(aws.rds.Instance, checkNotPublic),
    ],
);

function checkNotPublic(
    db: { publiclyAccessible?: boolean },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (db.publiclyAccessible === true)
        report("publiclyAccessible is true: the instance gets a public DNS name and address.");
}

export const subnetNoAutoPublicIp = resourcePolicy(
    {
        name: "subnet-no-auto-public-ip",
        description:
            "Subnets, the adopted default subnets included, do not assign public IPv4 addresses on launch; whatever needs one (NAT gateways, load balancers) gets it explicitly.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["EC2.15"],
        remediation: "Set mapPublicIpOnLaunch: false.",
    },
    [
        validateResourceOfType(aws.ec2.Subnet, checkNoAutoPublicIp),
        validateResourceOfType(aws.ec2.DefaultSubnet, checkNoAutoPublicIp),
    ],
);

function checkNoAutoPublicIp(
    subnet: { mapPublicIpOnLaunch?: boolean },
    _args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (subnet.mapPublicIpOnLaunch === true) report("mapPublicIpOnLaunch is true.");
}

export const vpcDefaultSecurityGroupClosed = stackPolicy(
    {
        name: "vpc-default-security-group-closed",
        description:
            "Every VPC's default security group (the adopted default VPC's included) is adopted by the stack (an aws.ec2.DefaultSecurityGroup whose `vpcId` names the VPC) and left without rules, so nothing can use it by accident.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["EC2.2"],
        remediation: "Add an aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress rules.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...VPCS),
            (v) => v.urn,
            (vpc) => {
                const adopted = index.referrers(vpc, [aws.ec2.DefaultSecurityGroup], "vpcId");
                if (adopted.length === 0)
                    report(
                        "its default security group is not adopted: AWS creates it allowing all traffic between its members and all egress.",
                        vpc.urn,
                    );
                for (const group of adopted) {
                    if ((group.props.ingress ?? []).length > 0 || (group.props.egress ?? []).length > 0) {
                        report(`default security group ${group.name} has rules.`, vpc.urn);
                    }
                }
            },
        );
    },
);

interface IngressConfig {
    allowedPorts: number[];
}

interface IngressRule {
    group: PolicyResource | undefined;
    owner: PolicyResource;
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    cidrs: string[];
}

const INTERNET = ["0.0.0.0/0", "::/0"];

export const securityGroupNoInternetIngress = stackPolicy(
    {
        name: "security-group-no-internet-ingress",
        description:
            "No security group admits the internet (0.0.0.0/0 or ::/0), except an internet-facing load balancer's group on the allowed ports (443 and the port 80 redirect), whether rules are inline or separate resources.",
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["EC2.18", "EC2.19"],
        securityHub: ["EC2.13", "EC2.14", "EC2.53", "EC2.54"],
        remediation:
            "Admit other security groups (referencedSecurityGroupId) or managed prefix lists (e.g. CloudFront's origin-facing list) instead of CIDR ranges open to the internet.",
        configSchema: {
            properties: {
                allowedPorts: {
                    type: "array",
                    items: { type: "integer", minimum: 0, maximum: 65535 },
                    uniqueItems: true,
                    default: [80, 443],
                    description: "TCP ports an internet-facing load balancer's security group may open to the internet",
                },
            },
        },
    },
    (args, report) => {
        const { allowedPorts } = args.getConfig<IngressConfig>();
        const index = StackIndex.of(args.resources);
        const publicLbGroups = new Set(
            index
                .ofType(...LOAD_BALANCERS, ...CLASSIC_LOAD_BALANCERS)
                .filter((lb) => lb.props.internal !== true)
                .flatMap((lb) => index.sources(lb, "securityGroups", aws.ec2.SecurityGroup))
                .map((g) => g.urn),
        );

        // Each rule source with the reading of its rules, so a value unknown in preview names its resource.
        const sources: { owner: PolicyResource; read: () => IngressRule[] }[] = [
            ...index.ofType(aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup).map((group) => ({
                owner: group,
                read: () =>
                    ((group.props.ingress ?? []) as InputProps[]).map((r) => ({
                        group,
                        owner: group,
                        protocol: r.protocol,
                        fromPort: r.fromPort,
                        toPort: r.toPort,
                        cidrs: [...list(r.cidrBlocks), ...list(r.ipv6CidrBlocks)] as string[],
                    })),
            })),
            ...index.ofType(aws.vpc.SecurityGroupIngressRule).map((rule) => ({
                owner: rule,
                read: () => [
                    {
                        group: index.sources(rule, "securityGroupId", aws.ec2.SecurityGroup)[0],
                        owner: rule,
                        protocol: rule.props.ipProtocol,
                        fromPort: rule.props.fromPort,
                        toPort: rule.props.toPort,
                        cidrs: [rule.props.cidrIpv4, rule.props.cidrIpv6].filter(isSet),
                    },
                ],
            })),
            ...index.ofType(aws.ec2.SecurityGroupRule).map((rule) => ({
                owner: rule,
                read: () =>
                    rule.props.type !== "ingress"
                        ? []
                        : [
                              {
                                  group: index.sources(rule, "securityGroupId", aws.ec2.SecurityGroup)[0],
                                  owner: rule,
                                  protocol: rule.props.protocol,
                                  fromPort: rule.props.fromPort,
                                  toPort: rule.props.toPort,
                                  cidrs: [
                                      ...list(rule.props.cidrBlocks),
                                      ...list(rule.props.ipv6CidrBlocks),
                                  ] as string[],
                              },
                          ],
            })),
        ];
        checkEach(
            sources,
            (source) => source.owner.urn,
            ({ read }) => {
                for (const rule of read()) {
                    const open = rule.cidrs.filter((c) => INTERNET.includes(c));
                    if (open.length === 0) continue;
                    const tcp = ["tcp", "6"].includes(String(rule.protocol).toLowerCase());
                    const port =
                        rule.fromPort === rule.toPort && typeof rule.fromPort === "number" ? rule.fromPort : undefined;
                    const allowed =
                        rule.group !== undefined &&
                        publicLbGroups.has(rule.group.urn) &&
                        tcp &&
                        port !== undefined &&
                        allowedPorts.includes(port);
                    if (!allowed) {
                        const where =
                            rule.group && rule.group !== rule.owner ? ` on security group ${rule.group.name}` : "";
                        const what = `${rule.protocol} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
                        report(
                            `admits ${open.join(" and ")} on ${what}${where}` +
                                (rule.group && publicLbGroups.has(rule.group.urn)
                                    ? ` (an internet-facing load balancer may open only tcp ${allowedPorts.join(", ")}).`
                                    : "."),
                            rule.owner.urn,
                        );
                    }
                }
            },
        );
    },
);

interface PlacementConfig {
    allowedTiers: SubnetTier[];
}

export const dataStoresInIsolatedSubnets = stackPolicy(
    {
        name: "data-stores-in-isolated-subnets",
        description:
            "Databases, caches and file systems live only in isolated subnets (no route to an internet or NAT gateway, judged from the route tables associated with each subnet): RDS and ElastiCache subnet groups, serverless caches' subnets and EFS mount targets; no data store (RDS cluster or instance, replication group or cache cluster) falls back to a default subnet group.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["ElastiCache.7", "EFS.6", "RDS.46"],
        remediation:
            "Build subnet groups and mount targets from the network's isolated subnets, and give every cluster, instance and replication group its subnet group.",
        configSchema: {
            properties: {
                allowedTiers: {
                    type: "array",
                    items: { type: "string", enum: ["isolated", "private"] },
                    minItems: 1,
                    uniqueItems: true,
                    default: ["isolated"],
                    description: "Subnet tiers data stores may use (public is never allowed)",
                },
            },
        },
    },
    (args, report) => {
        const { allowedTiers } = args.getConfig<PlacementConfig>();
        const index = StackIndex.of(args.resources);
        const network = Network.of(args.resources);
        const checkSubnets = (resource: PolicyResource, property: string, what: string) => {
            const { known, standIns } = index.references(resource, property);
            for (const s of known.filter(isSubnet)) {
                const tier = network.tierOf(s);
                if (!allowedTiers.includes(tier))
                    report(`${what} uses ${tier} subnet ${s.name}; allowed: ${allowedTiers.join(", ")}.`, resource.urn);
            }
            const { foreign } = network.placementOf(resource, property);
            if (foreign.length > 0)
                report(
                    `${what} uses subnets from outside this stack (${foreign.join(", ")}), whose routes it does not show; allowed: ${allowedTiers.join(", ")}.`,
                    resource.urn,
                );
            const outside = (standIns ?? []).filter((r) => isSubnet(r) && !allowedTiers.includes(network.tierOf(r)));
            if (outside.length > 0)
                undecidedUntilKnown(
                    `its ${property} is not known yet and came from ${outside.map((r) => r.name).join(", ")}, outside the allowed tiers`,
                );
        };
        checkEach(
            index.ofType(aws.rds.SubnetGroup, aws.elasticache.SubnetGroup),
            (r) => r.urn,
            (g) => checkSubnets(g, "subnetIds", "subnet group"),
        );
        checkEach(
            index.ofType(aws.efs.MountTarget),
            (r) => r.urn,
            (m) => checkSubnets(m, "subnetId", "mount target"),
        );
        checkEach(
            index.ofType(aws.elasticache.ServerlessCache),
            (r) => r.urn,
            (cache) => {
                if ((cache.props.subnetIds ?? []).length === 0)
                    report("has no subnetIds: it would use the default VPC's subnets.", cache.urn);
                checkSubnets(cache, "subnetIds", "serverless cache");
            },
        );
        const groupOf: [ResourceType, string][] = [
            [aws.rds.Cluster, "dbSubnetGroupName"],
            [aws.rds.Instance, "dbSubnetGroupName"],
            [aws.elasticache.ReplicationGroup, "subnetGroupName"],
            [aws.elasticache.Cluster, "subnetGroupName"],
        ];
        for (const [type, property] of groupOf) {
            checkEach(
                index.ofType(type),
                (r) => r.urn,
                (store) => {
                    // A member of a replication group lives in the group's subnets.
                    if (isSet(store.props.replicationGroupId)) return;
                    if (!isSet(store.props[property]))
                        report(
                            `has no ${property}: it would use the default subnet group (the default VPC's subnets).`,
                            store.urn,
                        );
                },
            );
        }
    },
);

export const s3BucketPublicAccessBlocked = stackPolicy(
    {
        name: "s3-bucket-public-access-blocked",
        description:
            "Every S3 bucket has all four public access block settings on: from an aws.s3.BucketPublicAccessBlock whose `bucket` names it, or from the account's aws.s3.AccountPublicAccessBlock.",
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["S3.8"],
        remediation:
            "Add an aws.s3.BucketPublicAccessBlock for the bucket (or an aws.s3.AccountPublicAccessBlock) with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true; serve content through CloudFront with Origin Access Control.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        const settings = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
        // The account's block applies to every bucket, on top of the bucket's own.
        const accountBlocks = index.ofType(aws.s3.AccountPublicAccessBlock);
        const byAccount = settings.filter((s) => accountBlocks.some((b) => b.props[s] === true));
        checkEach(
            index.ofType(...BUCKETS),
            (b) => b.urn,
            (bucket) => {
                const blocks = configsOf(index, bucket, [aws.s3.BucketPublicAccessBlock]);
                const off = settings.filter((s) => !byAccount.includes(s) && !blocks.some((b) => b.props[s] === true));
                if (off.length === 0) return;
                if (blocks.length > 0) report(`public access block leaves ${off.join(", ")} off.`, bucket.urn);
                else
                    report(
                        `has no public access block resource${byAccount.length > 0 ? ` (the account's leaves ${off.join(", ")} off)` : ""}.`,
                        bucket.urn,
                    );
            },
        );
    },
);

/** Objects a program writes, each with an optional canned ACL. */
const OBJECTS: ResourceType[] = [aws.s3.BucketObject, aws.s3.BucketObjectv2, aws.s3.ObjectCopy];
/** Canned object ACLs that grant nothing beyond the bucket owner. */
const OWNER_ONLY_OBJECT_ACLS = ["private", "bucket-owner-full-control"];

interface AclConfig {
    allowAclsForCloudFrontLogs: boolean;
}

export const s3BucketAclsDisabled = stackPolicy(
    {
        name: "s3-bucket-acls-disabled",
        description:
            "S3 buckets disable ACLs (object ownership BucketOwnerEnforced, from the ownership controls whose `bucket` names them) and grant nothing through them: no canned ACL or grants on the bucket, no BucketAcl resource, no object written with a canned ACL; buckets that receive CloudFront standard logs may keep ACLs, which that delivery needs.",
        severity: "medium",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["S3.12"],
        remediation:
            'Add an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced", remove acl/grants, BucketAcl resources and objects\' canned ACLs; grant access with the bucket policy.',
        configSchema: {
            properties: {
                allowAclsForCloudFrontLogs: {
                    type: "boolean",
                    default: true,
                    description:
                        "Let buckets that CloudFront standard logging writes to use BucketOwnerPreferred (the log delivery needs an ACL grant)",
                },
            },
        },
    },
    (args, report) => {
        const { allowAclsForCloudFrontLogs } = args.getConfig<AclConfig>();
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(...BUCKETS),
            (b) => b.urn,
            (bucket) => {
                const ownership = configsOf(index, bucket, [aws.s3.BucketOwnershipControls]).map(
                    (c) => c.props.rule?.objectOwnership,
                );
                const logBucket = allowAclsForCloudFrontLogs && receivesCloudFrontLogs(index, bucket);
                const accepted = logBucket ? ["BucketOwnerEnforced", "BucketOwnerPreferred"] : ["BucketOwnerEnforced"];
                if (!ownership.some((o) => accepted.includes(o))) {
                    report(
                        `object ownership is ${ownership[0] ?? "not declared"}; use ${accepted.join(" or ")}.`,
                        bucket.urn,
                    );
                }
                const acls = [
                    bucket.props.acl,
                    ...configsOf(index, bucket, [aws.s3.BucketAcl, aws.s3.BucketAclV2]).map(
                        (a) => a.props.acl ?? "grants",
                    ),
                ];
                // Objects may carry canned ACLs of their own (which a bucket without ACLs refuses).
                for (const object of configsOf(index, bucket, OBJECTS)) {
                    const acl = object.props.acl;
                    if (isSet(acl) && !OWNER_ONLY_OBJECT_ACLS.includes(acl))
                        report(`object ${object.name} is written with the canned ACL ${acl}.`, bucket.urn);
                }
                const granted = acls.filter(
                    (acl) => isSet(acl) && acl !== "private" && !(logBucket && acl === "log-delivery-write"),
                );
                // Grants to groups (everyone, any AWS account, log delivery); the owner's own grant is always listed.
                const groups = ((bucket.props.grants ?? []) as { uri?: string }[]).filter(
                    (g) => isSet(g.uri) && !(logBucket && g.uri.endsWith("/LogDelivery")),
                );
                if (granted.length > 0 || groups.length > 0)
                    report(
                        `grants access through ACLs (${[...granted, ...groups.map((g) => g.uri)].join(", ")}).`,
                        bucket.urn,
                    );
            },
        );
    },
);

/** S3 REST endpoints (bucket.s3.<region>.amazonaws.com); website endpoints are plain HTTP sites. */
const S3_REST_ENDPOINT = /\.s3(\.dualstack)?([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;
const S3_WEBSITE_ENDPOINT = /\.s3-website[.-]/;

export const cloudfrontS3OriginAccessControl = stackPolicy(
    {
        name: "cloudfront-s3-origin-access-control",
        description:
            "CloudFront reaches S3 origins only through Origin Access Control (SigV4-signed, always), never a public website endpoint or a legacy origin access identity.",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["CloudFront.13"],
        remediation:
            "Create an aws.cloudfront.OriginAccessControl (originAccessControlOriginType s3, signingBehavior always, signingProtocol sigv4), set the origin's originAccessControlId and domainName bucketRegionalDomainName, and let the bucket policy admit cloudfront.amazonaws.com for this distribution's ARN only.",
    },
    (args, report) => {
        const index = StackIndex.of(args.resources);
        checkEach(
            index.ofType(aws.cloudfront.Distribution),
            (d) => d.urn,
            (distribution) => {
                for (const origin of (distribution.props.origins ?? []) as InputProps[]) {
                    const domain = String(origin.domainName);
                    if (S3_WEBSITE_ENDPOINT.test(domain)) {
                        report(
                            `origin ${origin.originId} is an S3 website endpoint: the bucket must be public and is reached over HTTP.`,
                            distribution.urn,
                        );
                        continue;
                    }
                    if (!origin.s3OriginConfig && !S3_REST_ENDPOINT.test(domain)) continue;
                    if (!isSet(origin.originAccessControlId))
                        report(`S3 origin ${origin.originId} has no originAccessControlId.`, distribution.urn);
                    if (isSet(origin.s3OriginConfig?.originAccessIdentity))
                        report(`S3 origin ${origin.originId} uses a legacy origin access identity.`, distribution.urn);
                }
                for (const oac of index.sources(distribution, "origins", aws.cloudfront.OriginAccessControl)) {
                    const p = oac.props;
                    if (
                        p.originAccessControlOriginType === "s3" &&
                        (p.signingBehavior !== "always" || p.signingProtocol !== "sigv4")
                    ) {
                        report(
                            `origin access control ${oac.name} signs ${p.signingBehavior} with ${p.signingProtocol}; use always with sigv4.`,
                            distribution.urn,
                        );
                    }
                }
            },
        );
    },
);

/** Condition keys that narrow an Allow to anyone down to an account, organization, network or source. */
export const RESTRICTING_CONDITION_KEYS = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:userid",
    "kms:CallerAccount",
];

interface PublicPolicyConfig {
    restrictingConditionKeys: string[];
}

export const resourcePolicyNotPublic = resourcePolicy(
    {
        name: "resource-policy-not-public",
        description:
            'Resource-based policies (buckets and access points, queues, topics, keys, secrets, file systems, repositories, log groups, event buses, REST APIs, role trust; inline or as separate policy resources) never allow anyone ("*") without a condition that narrows the grant to an account, organization, network or source.',
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["SQS.3", "SNS.4", "KMS.5", "S3.6"],
        remediation:
            "Name the principal (an account, role or service) or add aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID conditions to the statement.",
        configSchema: {
            properties: {
                restrictingConditionKeys: {
                    type: "array",
                    items: { type: "string", pattern: "^[a-zA-Z0-9-]+:[a-zA-Z0-9-]+$" },
                    minItems: 1,
                    uniqueItems: true,
                    default: RESTRICTING_CONDITION_KEYS,
                    description: 'Condition keys that make an Allow to "*" acceptable',
                },
            },
        },
    },
    documentValidations(RESOURCE_DOCUMENTS, (statements, label, args, report) => {
        const { restrictingConditionKeys } = args.getConfig<PublicPolicyConfig>();
        for (const s of statements.filter((st) => isPublicAllow(st, restrictingConditionKeys)))
            report(
                `${label} statement ${s.Sid ?? list(s.Action).join(",")} allows anyone without a restricting condition.`,
            );
    }),
);

interface PermissionConfig {
    requireSourceForServicePrincipals: boolean;
}

export const lambdaPermissionNotPublic = resourcePolicy(
    {
        name: "lambda-permission-not-public",
        description:
            "Lambda invoke permissions never admit anyone, and admit an AWS service only for a named source (aws:SourceArn or SourceAccount), which prevents the confused deputy; function URLs require IAM authorization.",
        severity: "critical",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        fsbp: ["Lambda.1"],
        remediation:
            'Give the permission a specific principal and sourceArn (the bucket, rule, API or topic that invokes) or sourceAccount; set a function URL\'s authorizationType "AWS_IAM" (or put API Gateway in front).',
        configSchema: {
            properties: {
                requireSourceForServicePrincipals: {
                    type: "boolean",
                    default: true,
                    description: "Require sourceArn or sourceAccount when the principal is an AWS service",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.lambda.FunctionUrl, (url, _args, report) => {
            if (url.authorizationType !== "AWS_IAM")
                report(
                    `authorizationType is ${url.authorizationType}: anyone on the internet may invoke the function through its URL.`,
                );
        }),
        validateResourceOfType(aws.lambda.Permission, (permission, args, report) => {
            const scoped =
                isSet(permission.sourceArn) || isSet(permission.sourceAccount) || isSet(permission.principalOrgId);
            if (permission.principal === "*" && !scoped && permission.functionUrlAuthType !== "AWS_IAM") {
                report(
                    'admits principal "*" without sourceArn, sourceAccount or principalOrgId: anyone may invoke the function.',
                );
            } else if (
                /\.amazonaws\.com$/.test(String(permission.principal)) &&
                !scoped &&
                args.getConfig<PermissionConfig>().requireSourceForServicePrincipals
            ) {
                report(
                    `admits ${permission.principal} for any source: any account's ${permission.principal} resource could invoke the function.`,
                );
            }
        }),
    ],
);

interface PublicLbConfig {
    allowedPublicLoadBalancers: string[];
}

export const lbInternalUnlessAllowed = resourcePolicy(
    {
        name: "lb-internal-unless-allowed",
        description:
            "Load balancers (classic ones included) are internal, except those the pack's configuration names as public entry points (by logical resource name).",
        severity: "high",
        enforcementLevel: "mandatory",
        mandate: "private-network",
        remediation:
            "Set internal: true, or add the load balancer's logical name to this policy's allowedPublicLoadBalancers in the stack's pack config.",
        configSchema: {
            properties: {
                allowedPublicLoadBalancers: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    uniqueItems: true,
                    default: [],
                    description: "Logical names of the load balancers that may be internet-facing",
                },
            },
        },
    },
    [
        validateResourceOfType(aws.lb.LoadBalancer, checkInternal),
        validateResourceOfType(aws.alb.LoadBalancer, checkInternal),
        validateResourceOfType(aws.elb.LoadBalancer, checkInternal),
    ],
);

function checkInternal(lb: { internal?: boolean }, args: ResourceValidationArgs, report: ReportViolation): void {
    if (lb.internal === true) return;
    const { allowedPublicLoadBalancers } = args.getConfig<PublicLbConfig>();
    if (!allowedPublicLoadBalancers.includes(args.name)) {
        report(
            `is internet-facing and not in allowedPublicLoadBalancers (${allowedPublicLoadBalancers.join(", ") || "none"}).`,
        );
    }
}

export const privateNetworkPolicies = [
    ec2NoPublicIp,
    ecsServiceNoPublicIp,
    rdsNotPubliclyAccessible,
    subnetNoAutoPublicIp,
    vpcDefaultSecurityGroupClosed,
    securityGroupNoInternetIngress,
    dataStoresInIsolatedSubnets,
    s3BucketPublicAccessBlocked,
    s3BucketAclsDisabled,
    cloudfrontS3OriginAccessControl,
    resourcePolicyNotPublic,
    lambdaPermissionNotPublic,
    lbInternalUnlessAllowed,
];
