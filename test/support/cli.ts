import { spawn } from "node:child_process";

const BIN = new URL("../../bin/bridgelog.js", import.meta.url).pathname;

/**
 * The command line that runs `bin/bridgelog.js <args>` on the Node running the tests
 * (`process.execPath`), never on whatever `node` comes first on PATH; bin/bridgelog.js runs the
 * compiled server in dist/, which the integration setup builds (test/setup/compile.ts). For `spawn(...bridgelogCommand("serve"), options)`.
 */
export function bridgelogCommand(...args: string[]): [command: string, args: string[]] {
  return [process.execPath, [BIN, ...args]];
}

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
  const child = spawn(...bridgelogCommand(...args), {
    env: { ...process.env, DATABASE_URL: databaseUrl, BRIDGELOG_LOG_LEVEL: "warn", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}
