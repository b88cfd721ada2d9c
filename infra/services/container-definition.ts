import { IMAGE_DIGEST } from "../config/services";
import { CONTAINER_PORT, CONTAINER_USER, HEALTH_CHECK_PATH, TMP_VOLUME } from "./contract";

/** ECS's container health check bounds (seconds; retries a count). */
export const HEALTH_CHECK = { interval: 15, timeout: 5, retries: 3, startPeriod: 30 } as const;
export const HEALTH_CHECK_LIMITS = {
    interval: [5, 300],
    timeout: [2, 120],
    retries: [1, 10],
    startPeriod: [0, 300],
} as const;

/** `<repository>:<tag>`, or `<repository>@sha256:...` for a digest. */
export function imageReference(repositoryUrl: string, imageTag: string): string {
    return IMAGE_DIGEST.test(imageTag) ? `${repositoryUrl}@${imageTag}` : `${repositoryUrl}:${imageTag}`;
}

export interface ContainerSpec {
    name: string;
    image: string;
    /** Plain settings only: endpoints, names, ports, URLs. Never a secret value. */
    environment: Record<string, string>;
    /** Variable name -> Secrets Manager reference (`<secret arn>:<json key>::`), injected at start. */
    secrets: Record<string, string>;
    logGroupName: string;
    region: string;
    /** An EFS volume of the task definition and where it is mounted. */
    fileMount?: { volume: string; path: string };
}

/**
 * The service's only container: non-root, read-only root file system with a writable /tmp,
 * no Linux capabilities, an init process to reap children, a health check ECS acts on, logs to the
 * service's log group without blocking the application when CloudWatch is slow.
 */
export function containerDefinition(spec: ContainerSpec) {
    const byName = (entries: Record<string, string>) => Object.keys(entries).sort();
    return {
        name: spec.name,
        image: spec.image,
        essential: true,
        user: CONTAINER_USER,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: CONTAINER_PORT, protocol: "tcp", name: "http", appProtocol: "http" }],
        environment: byName(spec.environment).map((name) => ({ name, value: spec.environment[name] })),
        secrets: byName(spec.secrets).map((name) => ({ name, valueFrom: spec.secrets[name] })),
        mountPoints: [
            // A bind mount starts root-owned 0755 unless the image declares VOLUME /tmp with its
            // own ownership: the README's container contract asks images to.
            { sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false },
            ...(spec.fileMount
                ? [{ sourceVolume: spec.fileMount.volume, containerPath: spec.fileMount.path, readOnly: false }]
                : []),
        ],
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
        healthCheck: {
            command: [
                "CMD-SHELL",
                `curl -fsS -o /dev/null http://127.0.0.1:${CONTAINER_PORT}${HEALTH_CHECK_PATH} || exit 1`,
            ],
            ...HEALTH_CHECK,
        },
        stopTimeout: 30,
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": spec.logGroupName,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": spec.name,
                mode: "non-blocking",
                "max-buffer-size": "25m",
            },
        },
    };
}
