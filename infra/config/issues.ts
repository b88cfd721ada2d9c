import * as pulumi from "@pulumi/pulumi";

/** One invalid configuration value: which key, what was there, why it is wrong, how to fix it. */
export interface ConfigIssue {
    key: string;
    value: unknown;
    problem: string;
    fix: string;
}

/**
 * Thrown before any resource is registered when the stack configuration is invalid.
 * A RunError makes Pulumi print the message alone, without a JavaScript stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly issues: ConfigIssue[],
    ) {
        super(formatIssues(stack, issues));
        this.name = "ConfigError";
    }
}

export function formatIssues(stack: string, issues: ConfigIssue[]): string {
    const lines = issues.map((i) => `  - ${i.key} = ${showValue(i.value)}: ${i.problem}. Fix: ${i.fix}`);
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    return `Invalid configuration for stack "${stack}" (${count}):\n${lines.join("\n")}`;
}

function showValue(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Collects every problem so that one run reports all of them together. */
export class ConfigIssues {
    private readonly list: ConfigIssue[] = [];

    add(key: string, value: unknown, problem: string, fix: string): void {
        this.list.push({ key, value, problem, fix });
    }

    get all(): readonly ConfigIssue[] {
        return this.list;
    }

    throwIfAny(stack: string): void {
        if (this.list.length > 0) throw new ConfigError(stack, [...this.list]);
    }
}
