import { type ChildProcess, spawn } from "node:child_process";
import { bridgelogCommand } from "./cli.js";

/** A `bridgelog serve` in its own process, so a test can kill it the way production dies. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `bin/bridgelog.js serve` on `port` and resolves once /healthz says SERVING. */
export async function spawnServer(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(...bridgelogCommand("serve"), {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BRIDGELOG_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`bridgelog serve exited with ${child.exitCode} before it was healthy`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, exited };
    } catch {
      // not listening yet
    }
    if (attempt > 300) throw new Error("bridgelog serve did not become healthy in 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
