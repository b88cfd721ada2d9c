import { PolicyViolation } from "./engine";

const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** The policy report: counts, then every violation grouped by severity (most severe first). */
export function renderPolicyReport(
    violations: PolicyViolation[],
    pack: { name: string; version: string },
    configSource: string,
): string {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const lines = [
        `Policy pack ${pack.name}@v${pack.version} (config: ${configSource}): ` +
            (violations.length === 0
                ? "no violations."
                : `${violations.length} violation(s), ${mandatory} mandatory, ${violations.length - mandatory} advisory.`),
    ];
    const groups = [...SEVERITIES, undefined].map((severity) => ({
        severity,
        items: violations.filter((v) => v.severity === severity),
    }));
    for (const { severity, items } of groups) {
        if (items.length === 0) continue;
        lines.push("", `${(severity ?? "unspecified").toUpperCase()} (${items.length})`);
        const rank = (v: PolicyViolation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
        for (const v of [...items].sort((a, b) => rank(a) - rank(b) || a.policy.localeCompare(b.policy))) {
            lines.push(`  [${v.enforcementLevel}] ${v.policy}  ${v.urn ?? "(stack)"}`, `      ${v.message}`);
        }
    }
    return lines.join("\n");
}
