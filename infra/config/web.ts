import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";

/**
 * HTTPS listener policies the public load balancer may use: TLS 1.3 with TLS 1.2 still accepted
 * (CloudFront reaches its origins over TLS 1.2, so a TLS 1.3-only policy would cut it off) and
 * only forward-secret AEAD ciphers (no "Ext" policies with CBC suites). The first is AWS's current
 * recommendation (hybrid post-quantum key exchange).
 */
export const ALB_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
] as const;
export type AlbTlsPolicy = (typeof ALB_TLS_POLICIES)[number];

export const PROD_MIN_WEB_SERVERS = 2;

export interface WebConfig {
    instanceType: string;
    /**
     * The AMI the fleet runs, pinned in the stack's configuration (web.amiId): a deployment launches
     * exactly this image, and an instance refresh can roll back to the previous one (AWS refuses
     * automatic rollback for a template whose image is an SSM parameter).
     */
    imageId: string;
    rootVolumeGiB: number;
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    healthCheckGracePeriodSeconds: number;
    /** Target of the request-count-per-instance scaling policy. */
    requestsPerTarget: number;
    /** Target of the average-CPU scaling policy. */
    cpuTargetPercent: number;
    tlsPolicy: AlbTlsPolicy;
    /** CloudFront's origin-facing prefix list in the region; unset: looked up by name. */
    cloudFrontPrefixListId?: string;
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
/** Graviton families (t4g, m7g, c6gn, x2gd, ...) and a1 run arm64; everything else here is x86_64. */
const ARM_FAMILY = /^([a-z]+\d+g[a-z]*|a1)\./;

/** The Amazon Linux 2023 public parameter that names the latest AMI of the instance type's architecture. */
export function amazonLinuxParameter(instanceType: string): string {
    const architecture = ARM_FAMILY.test(instanceType) ? "arm64" : "x86_64";
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export function readWebConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): WebConfig {
    r.section("web", [
        "instanceType",
        "amiId",
        "rootVolumeGiB",
        "minSize",
        "maxSize",
        "desiredCapacity",
        "healthCheckGracePeriodSeconds",
        "requestsPerTarget",
        "cpuTargetPercent",
        "tlsPolicy",
        "cloudFrontPrefixListId",
    ]);

    const instanceType = r.string("web.instanceType", {
        default: stack.isProduction ? "m5.large" : "t3.small",
        pattern: INSTANCE_TYPE,
        describe: "an EC2 instance type (family.size)",
        example: "m5.large",
    });
    const amiId = r.string("web.amiId", {
        pattern: AMI_ID,
        describe: "an AMI id (ami-...)",
        fix: `set the AMI the web servers run, of the instance type's architecture; the latest Amazon Linux 2023 one is what \`aws ssm get-parameter --region ${stack.region} --name ${amazonLinuxParameter(instanceType)} --query Parameter.Value --output text\` prints`,
        example: "ami-0123456789abcdef0",
    });
    // Amazon Linux 2023 AMIs have an 8 GiB root snapshot; the volume cannot be smaller.
    const rootVolumeGiB = r.integer("web.rootVolumeGiB", { min: 8, max: 1024, default: 20 });

    const minSize = r.integer("web.minSize", { min: 1, max: 100, default: stack.isProduction ? 2 : 1 });
    const maxSize = r.integer("web.maxSize", { min: 1, max: 100, default: Math.max(minSize * 3, 2) });
    const desiredCapacity = r.integer("web.desiredCapacity", { min: 1, max: 100, default: minSize });
    if (maxSize < minSize) {
        r.problem(
            "web.maxSize",
            maxSize,
            `is below web.minSize (${minSize})`,
            r.fixWith("web.maxSize", "set it to web.minSize or more", String(minSize * 3)),
        );
    }
    if (desiredCapacity < minSize || desiredCapacity > maxSize) {
        r.problem(
            "web.desiredCapacity",
            desiredCapacity,
            `is outside web.minSize..web.maxSize (${minSize}..${maxSize})`,
            r.fixWith(
                "web.desiredCapacity",
                "set it between the two, or remove it to start at web.minSize",
                String(minSize),
            ),
        );
    }
    minimums.require(
        "web.minSize",
        minSize,
        minSize >= PROD_MIN_WEB_SERVERS,
        `at least ${PROD_MIN_WEB_SERVERS} web servers, so that losing an instance or a zone leaves one serving`,
        `set ${PROD_MIN_WEB_SERVERS} or more`,
    );

    return {
        instanceType,
        imageId: amiId,
        rootVolumeGiB,
        minSize,
        maxSize,
        desiredCapacity,
        healthCheckGracePeriodSeconds: r.integer("web.healthCheckGracePeriodSeconds", {
            min: 60,
            max: 3600,
            default: 300,
        }),
        requestsPerTarget: r.integer("web.requestsPerTarget", { min: 10, max: 100000, default: 1000 }),
        cpuTargetPercent: r.integer("web.cpuTargetPercent", { min: 10, max: 90, default: 60 }),
        tlsPolicy: r.oneOf("web.tlsPolicy", ALB_TLS_POLICIES, { default: ALB_TLS_POLICIES[0] }),
        cloudFrontPrefixListId: r.optionalString("web.cloudFrontPrefixListId", {
            pattern: PREFIX_LIST_ID,
            describe: "a prefix list id (pl-...)",
            fix: `set the id of com.amazonaws.global.cloudfront.origin-facing in ${stack.region}, or remove the key to look it up`,
            example: "pl-0123456789abcdef0",
        }),
    };
}
