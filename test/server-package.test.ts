import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { freePort } from "./support/free-port.js";

/**
 * The server as an operator installs it: `npm pack` of this repository, installed from the tarball
 * into an empty folder without dev dependencies, then `bridgelog serve` run from there: compiled
 * JavaScript, no tsx, and the vendored postgres.js fix carried inside the tarball.
 *
 * `npm pack` runs here with --ignore-scripts: its prepack (`npm run build`) would rebuild web/dist
 * under the dashboard test running beside this one. The compiled server it packs is the one the
 * integration setup just built (test/setup/compile.ts), so the tarball is what prepack makes,
 * the dashboard aside.
 */
const root = new URL("../", import.meta.url).pathname;
let folder: string;
let db: TestDatabase;
const installed = () => join(folder, "node_modules", "bridgelog");

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "bridgelog-server-package-"));
  db = await createTestDatabase({ empty: true });
  const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", folder, "--json"], root);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as [{ filename: string }];
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "an-operator", private: true }));
  const install = await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", join(folder, info.filename)], folder);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  await db?.drop();
});

describe("the packed server", () => {
  it("when installed from the tarball, then postgres is the vendored fix, bundled, and neither tsx nor TypeScript comes along", () => {
    const postgres = join(installed(), "node_modules", "postgres");
    expect(JSON.parse(readFileSync(join(postgres, "package.json"), "utf8")).version).toBe("3.4.9-bridgelog.1");
    expect(readFileSync(join(postgres, "src", "connection.js"), "utf8")).toContain("bridgelog patch");
    expect(existsSync(join(folder, "node_modules", "tsx"))).toBe(false);
    expect(existsSync(join(folder, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(join(installed(), "dist", "src", "main.js"))).toBe(true);
    expect(existsSync(join(installed(), "src"))).toBe(false);
  });

  it("when `bridgelog serve` runs from the install, then it migrates, serves, records and stops on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(installed(), "bin", "bridgelog.js"), "serve"], {
      cwd: folder,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: "127.0.0.1", BRIDGELOG_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
        health = await fetch(`${url}/healthz`).catch(() => undefined);
        if (health?.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status, stderr).toBe(200);
      // An operator's token from the installed CLI, and one record through the compiled recorder.
      const bin = join(installed(), "bin", "bridgelog.js");
      const created = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [bin, "token", "create", "--tenant", "pkg", "--scope", "record"], { env: { ...process.env, DATABASE_URL: db.url } }, (error, stdout) =>
          error === null ? resolve(stdout.trim()) : reject(error),
        ),
      );
      const recorded = await fetch(`${url}/bridgelog.v1.RecorderService/RecordInterception`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${created}` },
        body: JSON.stringify({
          interception: { id: randomUUID(), tenantId: "pkg", provider: "openai", startedAt: new Date().toISOString(), errorType: "timeout" },
        }),
      });
      expect(recorded.status, await recorded.clone().text()).toBe(200);
      expect(await recorded.json()).toMatchObject({ recorded: { created: true, errorType: "ERROR_TYPE_TIMEOUT" } });
      const [{ count }] = await db.sql<[{ count: string }]>`select count(*)::text from schema_migrations`;
      expect(Number(count)).toBeGreaterThan(0);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
