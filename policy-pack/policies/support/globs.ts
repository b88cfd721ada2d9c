/**
 * Patterns of literal characters, one-character wildcards and any-run wildcards: an IAM policy's
 * resources ("arn:aws:s3:::shop-*", "*", policy variables such as ${aws:username}) and the ARN
 * formats of AWS's reference ("arn:${Partition}:s3:::${BucketName}/${ObjectName}").
 */
const ONE = 1;
const RUN = 2;
type Token = string | typeof ONE | typeof RUN;

/** A policy's resource: "*" any run, "?" one character, ${...} (a policy variable) any run. */
export function resourcePattern(resource: string): Token[] {
    return tokens(resource, true);
}

/** An ARN format of the reference: each ${Variable} any run. */
export function arnFormatPattern(format: string): Token[] {
    return tokens(format, false);
}

function tokens(text: string, wildcards: boolean): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "$" && text[i + 1] === "{") {
            const end = text.indexOf("}", i);
            if (end !== -1) {
                out.push(RUN);
                i = end;
                continue;
            }
        }
        if (wildcards && c === "*") out.push(RUN);
        else if (wildcards && c === "?") out.push(ONE);
        else out.push(c.toLowerCase());
    }
    return out;
}

/**
 * Whether some string matches both patterns (comparing case-insensitively, the lenient side for a
 * check that reports what can never match): a walk over the pairs of positions, where a run
 * wildcard may match nothing or one more character.
 */
export function patternsIntersect(a: Token[], b: Token[]): boolean {
    const width = b.length + 1;
    const seen = new Uint8Array((a.length + 1) * width);
    const stack: number[] = [0];
    seen[0] = 1;
    const visit = (i: number, j: number) => {
        const k = i * width + j;
        if (!seen[k]) {
            seen[k] = 1;
            stack.push(k);
        }
    };
    while (stack.length > 0) {
        const k = stack.pop() as number;
        const i = Math.floor(k / width);
        const j = k % width;
        if (i === a.length && j === b.length) return true;
        const x = a[i];
        const y = b[j];
        // A run wildcard matching nothing.
        if (x === RUN) visit(i + 1, j);
        if (y === RUN) visit(i, j + 1);
        // One character both sides accept.
        if (i < a.length && j < b.length) {
            const literal = typeof x === "string" && typeof y === "string";
            if (!literal || x === y) visit(x === RUN ? i : i + 1, y === RUN ? j : j + 1);
        }
    }
    return false;
}
