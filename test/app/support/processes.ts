// Runs a TypeScript file of this repository in a node process of its own, asynchronously: the
// child may call back into this process (the local AWS endpoint), which must keep serving.
import { spawn } from "child_process";

export interface Exit {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

export function runTypeScript(file: string, env: NodeJS.ProcessEnv, input = "", timeoutMs = 60000): Promise<Exit> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", "./infra/offline/ts-loader.js", file], { env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
        child.on("error", reject);
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        child.stdin.end(input);
    });
}
