import { ServiceName, SERVICES } from "../workloads";
import {
    CPU_ARCHITECTURES,
    CpuArchitecture,
    FARGATE_CPU_UNITS,
    fargateMemoryOptions,
    fargateSizeProblem,
} from "./fargate";
import { ProductionMinimums } from "./minimums";
import { ConfigReader } from "./reader";
import { StackConfig } from "./stack";
import { ALB_TLS_POLICIES, AlbTlsPolicy } from "./web";

export const PROD_MIN_TASKS = 2;

/** What each microservice runs with; the app pipeline changes `imageTag` to roll out a version. */
export interface ServiceSettings {
    /** Fargate CPU units (1024 = 1 vCPU) and memory (MiB): a pair from Fargate's table. */
    cpu: number;
    memory: number;
    /** Auto scaling bounds; the service starts at minTasks. */
    minTasks: number;
    maxTasks: number;
    /** A tag in the service's ECR repository, or a digest `sha256:<64 hex>`. */
    imageTag: string;
    /** Target of the average-CPU scaling policy (%). */
    cpuTargetPercent: number;
    /** Target of the requests-per-task scaling policy (ALB requests per target per minute). */
    requestsPerTarget: number;
}

export interface ServicesConfig {
    cpuArchitecture: CpuArchitecture;
    /** The internal load balancer's HTTPS listener policy. */
    tlsPolicy: AlbTlsPolicy;
    /** Seconds a new task's failing load balancer health checks are ignored. */
    healthCheckGracePeriodSeconds: number;
    /** The HTTP API's default route throttling: steady requests per second and burst. */
    apiRateLimit: number;
    apiBurstLimit: number;
    /**
     * First deployment of a stack: every resource is created, but the services run no task until
     * the pipeline has pushed their images (see the README's "Rolling out a version").
     */
    bootstrap: boolean;
    settings: Record<ServiceName, ServiceSettings>;
}

/** Docker's tag grammar, and an image digest (pins the exact image whatever tags say). */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

const SERVICE_FIELDS = [
    "cpu",
    "memory",
    "minTasks",
    "maxTasks",
    "imageTag",
    "cpuTargetPercent",
    "requestsPerTarget",
] as const;
const STACK_FIELDS = [
    "cpuArchitecture",
    "tlsPolicy",
    "healthCheckGracePeriodSeconds",
    "apiRateLimit",
    "apiBurstLimit",
    "bootstrap",
] as const;

export function readServicesConfig(r: ConfigReader, stack: StackConfig, minimums: ProductionMinimums): ServicesConfig {
    r.section("services", [...STACK_FIELDS, ...SERVICES], { required: true });
    const settings = Object.fromEntries(
        SERVICES.map((service) => [service, readService(r, service, stack, minimums)]),
    ) as Record<ServiceName, ServiceSettings>;
    return {
        cpuArchitecture: r.oneOf("services.cpuArchitecture", CPU_ARCHITECTURES, { default: "ARM64" }),
        tlsPolicy: r.oneOf("services.tlsPolicy", ALB_TLS_POLICIES, { default: ALB_TLS_POLICIES[0] }),
        healthCheckGracePeriodSeconds: r.integer("services.healthCheckGracePeriodSeconds", {
            min: 0,
            max: 3600,
            default: 60,
        }),
        // API Gateway's account quota caps both (10,000 rps and 5,000 burst in most regions, less in some).
        apiRateLimit: r.integer("services.apiRateLimit", {
            min: 1,
            max: 10000,
            default: stack.isProduction ? 500 : 50,
        }),
        apiBurstLimit: r.integer("services.apiBurstLimit", {
            min: 1,
            max: 5000,
            default: stack.isProduction ? 1000 : 100,
        }),
        bootstrap: r.boolean("services.bootstrap", { default: false }),
        settings,
    };
}

function readService(
    r: ConfigReader,
    service: ServiceName,
    stack: StackConfig,
    minimums: ProductionMinimums,
): ServiceSettings {
    const key = (field: string) => `services.${service}.${field}`;
    r.section(`services.${service}`, SERVICE_FIELDS, { required: true });

    const cpu = r.integer(key("cpu"), { min: 256, max: 16384, default: stack.isProduction ? 512 : 256 });
    if (!FARGATE_CPU_UNITS.includes(cpu)) {
        r.problem(
            key("cpu"),
            cpu,
            `is not a Fargate task size`,
            r.fixWith(key("cpu"), `use one of ${FARGATE_CPU_UNITS.join(", ")} (CPU units; 1024 = 1 vCPU)`, "512"),
        );
    }
    const memory = r.integer(key("memory"), { min: 512, max: 122880, default: stack.isProduction ? 1024 : 512 });
    const sizeProblem = FARGATE_CPU_UNITS.includes(cpu) ? fargateSizeProblem(cpu, memory) : undefined;
    if (sizeProblem) {
        r.problem(
            key("memory"),
            memory,
            sizeProblem,
            r.fixWith(
                key("memory"),
                `pick a size Fargate pairs with ${cpu} CPU units`,
                String(fargateMemoryOptions(cpu)[0]),
            ),
        );
    }

    const minTasks = r.integer(key("minTasks"), { min: 1, max: 200, default: stack.isProduction ? PROD_MIN_TASKS : 1 });
    const maxTasks = r.integer(key("maxTasks"), { min: 1, max: 200, default: Math.max(minTasks * 3, 2) });
    if (maxTasks < minTasks) {
        r.problem(
            key("maxTasks"),
            maxTasks,
            `is below ${key("minTasks")} (${minTasks})`,
            r.fixWith(key("maxTasks"), `set it to ${key("minTasks")} or more`, String(minTasks * 3)),
        );
    }
    minimums.require(
        key("minTasks"),
        minTasks,
        minTasks >= PROD_MIN_TASKS,
        `at least ${PROD_MIN_TASKS} tasks, in different zones, so that losing a task or a zone leaves one serving`,
        `set ${PROD_MIN_TASKS} or more`,
    );

    const imageTag = r.string(key("imageTag"), {
        pattern: new RegExp(`${IMAGE_TAG.source}|${IMAGE_DIGEST.source}`),
        describe:
            "an image tag (letters, digits, _ . -; at most 128; not starting with . or -) or a digest sha256:<64 hex digits>",
        fix: `set the tag the pipeline pushed to the ${service} repository (stack output ecrRepositoryUrls)`,
        example: "1.4.2",
    });
    if (imageTag === "latest") {
        r.problem(
            key("imageTag"),
            imageTag,
            "names no version: the repository's tags are immutable, so `latest` can be pushed only once and a rollout could never change it",
            r.fixWith(key("imageTag"), "tag each build with its version or commit and set that tag", "1.4.2"),
        );
    }

    return {
        cpu,
        memory,
        minTasks,
        maxTasks,
        imageTag,
        cpuTargetPercent: r.integer(key("cpuTargetPercent"), { min: 10, max: 90, default: 60 }),
        requestsPerTarget: r.integer(key("requestsPerTarget"), { min: 10, max: 100000, default: 1000 }),
    };
}
