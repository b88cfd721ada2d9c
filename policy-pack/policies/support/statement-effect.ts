import { ReportViolation } from "@pulumi/policy";
import { list, Statement } from "./documents";
import { arnFormatPattern, patternsIntersect, resourcePattern } from "./globs";
import { actionsOf, arnFormatsOf, conditionKeyExists } from "./iam-reference";

/** An action of a statement as the reference resolves it. */
interface ResolvedAction {
    name: string;
    /** Whether the statement names it exactly (not through a wildcard). */
    named: boolean;
    /** The ARN formats of its resource types: empty when it works only on "*", undefined when not known. */
    formats: string[] | undefined;
}

const compiledFormats = new Map<string, ReturnType<typeof arnFormatPattern>>();
const formatPattern = (format: string) => {
    let pattern = compiledFormats.get(format);
    if (!pattern) {
        pattern = arnFormatPattern(format);
        compiledFormats.set(format, pattern);
    }
    return pattern;
};

/** The literal service of an ARN (or ARN format), or undefined when a wildcard hides it. */
function serviceOfArn(arn: string): string | undefined {
    const service = arn.split(":")[2];
    return arn.startsWith("arn:") && service !== undefined && !/[*?$]/.test(service)
        ? service.toLowerCase()
        : undefined;
}

/** Whether a policy's resource can name a resource of this ARN format. */
function resourceMatches(resource: string, format: string): boolean {
    const service = serviceOfArn(resource);
    if (service !== undefined && service !== serviceOfArn(format)) return false;
    return patternsIntersect(resourcePattern(resource), formatPattern(format));
}

const resolved = new Map<string, ResolvedAction[] | string>();
/** The reference's actions an action pattern of a statement names, or a reason it names none. */
function resolve(pattern: string): ResolvedAction[] | string {
    let actions = resolved.get(pattern);
    if (actions === undefined) {
        actions = lookUp(pattern);
        resolved.set(pattern, actions);
    }
    return actions;
}

function lookUp(pattern: string): ResolvedAction[] | string {
    const colon = pattern.indexOf(":");
    if (colon <= 0) return `${pattern} is not of the form service:action`;
    const service = pattern.slice(0, colon);
    const name = pattern.slice(colon + 1).toLowerCase();
    const actions = actionsOf(service);
    if (!actions) return `${pattern} names no AWS service (${service})`;
    const wildcard = /[*?]/.test(name);
    const matching = wildcard
        ? Object.entries(actions).filter(([key]) => patternsIntersect(resourcePattern(name), [...key]))
        : name in actions
          ? [[name, actions[name]] as const]
          : [];
    if (matching.length === 0) return `action ${pattern} does not exist`;
    return matching.map(([, action]) => ({
        name: `${service}:${action.name}`,
        named: !wildcard,
        formats: arnFormatsOf(service, action),
    }));
}

/**
 * Reports what keeps a statement from taking effect: actions and condition keys that do not exist,
 * resources no action of the statement can apply to, actions none of its resources can name, and
 * actions that work only on "*" granted on something else.
 */
export function checkStatementTakesEffect(statement: Statement, where: string, report: ReportViolation): void {
    const actions: ResolvedAction[] = [];
    for (const pattern of [...list(statement.Action), ...list(statement.NotAction)]) {
        if (pattern === "*") continue;
        const resolved = resolve(pattern);
        if (typeof resolved === "string") report(`${where}: ${resolved}.`);
        else if (list(statement.Action).includes(pattern)) actions.push(...resolved);
    }
    for (const key of Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}))) {
        if (!conditionKeyExists(key)) report(`${where}: condition key ${key} does not exist.`);
    }
    // Which resources an action applies to is decided for named actions on named resources only.
    const resources = list(statement.Resource);
    if (resources.length === 0 || list(statement.Action).includes("*") || actions.length === 0) return;
    const onEverything = resources.some((r) => patternsIntersect(resourcePattern(r), ["*"]));
    for (const action of actions.filter((a) => a.named)) {
        if (action.formats === undefined) continue;
        if (action.formats.length === 0) {
            if (!onEverything)
                report(
                    `${where}: ${action.name} works only on "*" (it has no resource types), so granting it on ${resources.join(", ")} grants nothing.`,
                );
        } else if (!resources.some((r) => action.formats?.some((f) => resourceMatches(r, f)))) {
            report(
                `${where}: ${action.name} can apply to none of the statement's resources (${resources.join(", ")}); its resources are ${action.formats.join(", ")}.`,
            );
        }
    }
    const formats = actions.map((a) => a.formats);
    if (formats.some((f) => f === undefined)) return;
    for (const resource of resources) {
        if (resource === "*") continue;
        if (!formats.some((f) => (f ?? []).some((format) => resourceMatches(resource, format))))
            report(`${where}: resource ${resource} matches the resource types of none of the statement's actions.`);
    }
}
