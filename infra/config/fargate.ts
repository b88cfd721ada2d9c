/**
 * The task sizes Fargate accepts for Linux tasks (the "Task CPU and memory" table of the ECS
 * developer guide): per CPU value (CPU units, 1024 = 1 vCPU), the memory sizes (MiB) it may have.
 * ECS rejects any other pair when the task definition is registered.
 */
const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(min: number, max: number, step: number): number[] {
    return Array.from({ length: (max - min) / step + 1 }, (_, i) => min + i * step);
}

export const FARGATE_CPU_UNITS: readonly number[] = Object.keys(FARGATE_SIZES).map(Number);

export function fargateMemoryOptions(cpu: number): readonly number[] {
    return FARGATE_SIZES[cpu] ?? [];
}

/** Why Fargate would refuse this CPU/memory pair, or undefined when it is valid. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
    if (!FARGATE_CPU_UNITS.includes(cpu))
        return `${cpu} CPU units is not a Fargate task size (one of ${FARGATE_CPU_UNITS.join(", ")})`;
    const options = fargateMemoryOptions(cpu);
    if (options.includes(memory)) return undefined;
    const listed =
        options.length <= 4
            ? options.join(", ")
            : `${options[0]} to ${options[options.length - 1]} in steps of ${options[1] - options[0]}`;
    return `${memory} MiB is not a memory size Fargate offers with ${cpu} CPU units (${listed})`;
}

/** Fargate runs Linux tasks on Graviton (ARM64) or x86-64; images must be built for the one chosen. */
export const CPU_ARCHITECTURES = ["ARM64", "X86_64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];
