import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin/bridgelog.js` with `args` against `databaseUrl`, as an operator would, and collects
 * what it printed. `env` adds to (or, with "", clears) the test process's environment.
 */
export async function runBridgelog(databaseUrl: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  const child = spawn(process.execPath, [new URL("../../bin/bridgelog.js", import.meta.url).pathname, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BRIDGELOG_LOG_LEVEL: "warn", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}
