/** IAM and resource-based policy documents, as JSON text or as objects. */

export interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** A value or list of values as a list. */
export function list<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/**
 * The statements of a policy document, or a string saying why there are none. Documents arrive as
 * JSON text (from JSON.stringify or a policy document output) or as structured objects.
 */
export function statementsOf(document: unknown): Statement[] | string {
    let doc = document;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return "is not valid JSON";
        }
    }
    if (doc === null || typeof doc !== "object") return "is not a policy document";
    return list((doc as { Statement?: Statement | Statement[] }).Statement);
}

/** Every principal a statement names, "*" for anyone ({"AWS": "*"} included). */
export function principalsOf(statement: Statement): string[] {
    const principal = statement.Principal;
    if (principal === undefined) return [];
    if (typeof principal === "string") return [principal];
    return Object.values(principal as Record<string, string | string[]>).flatMap((v) => list(v));
}

/** The lower-cased condition keys of a statement, whatever the operator. */
export function conditionKeysOf(statement: Statement): string[] {
    return Object.values(statement.Condition ?? {})
        .flatMap((block) => Object.keys(block ?? {}))
        .map((k) => k.toLowerCase());
}

/** An Allow to anyone that no condition narrows to an account, organization, network or source. */
export function isPublicAllow(statement: Statement, restrictingKeys: readonly string[]): boolean {
    if (statement.Effect !== "Allow") return false;
    const anyone = statement.NotPrincipal !== undefined || principalsOf(statement).includes("*");
    if (!anyone) return false;
    const keys = new Set(conditionKeysOf(statement));
    return !restrictingKeys.some((k) => keys.has(k.toLowerCase()));
}

/** Whether an action pattern list matches `action` ("*", "service:*", "service:Get*", exact). */
export function actionsMatch(patterns: string[], action: string): boolean {
    const target = action.toLowerCase();
    return patterns.some((p) => {
        const pattern = p.toLowerCase();
        if (pattern === "*") return true;
        if (!pattern.includes("*")) return pattern === target;
        const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
        return re.test(target);
    });
}

function escapeRegExp(text: string): string {
    return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether some statement denies every request that does not use TLS: Effect Deny, to anyone, for
 * every action of the service (`service:*` or `*`), on the condition aws:SecureTransport = false,
 * on resources that `coversResources` accepts.
 */
export function deniesInsecureTransport(
    statements: Statement[],
    service: string,
    coversResources: (resources: string[]) => boolean = () => true,
): boolean {
    return statements.some((s) => {
        if (s.Effect !== "Deny" || !principalsOf(s).includes("*") || !coversResources(list(s.Resource))) return false;
        const actions = list(s.Action);
        if (!actions.some((a) => a === "*" || a.toLowerCase() === `${service}:*`)) return false;
        return Object.entries(s.Condition ?? {}).some(
            ([operator, block]) =>
                /^Bool(IfExists)?$/.test(operator) &&
                Object.entries(block ?? {}).some(
                    ([key, value]) =>
                        key.toLowerCase() === "aws:securetransport" &&
                        list(value as string | string[])
                            .map(String)
                            .includes("false"),
                ),
        );
    });
}
