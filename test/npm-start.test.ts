import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceService } from "../gen/bridgelog/v1/device_service_pb.js";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { RecorderService } from "../gen/bridgelog/v1/recorder_service_pb.js";
import { transport } from "./support/clients.js";
import { freePort } from "./support/free-port.js";
import { waitFor } from "./support/wait-for.js";

/**
 * `npm start` on the embedded default, as a new user runs it and as a process manager stops it:
 * one real start (initdb, migrations, the embedded PostgreSQL), then a second start beside it, then
 * SIGTERM to npm.
 *
 * The first start passes `--ignore-scripts`, which skips only prestart (`npm run build`): building
 * here would take a minute and rewrite web/dist under other test files; the path a signal takes,
 * npm to its shell to serve, is the same. The second start runs prestart for real, since what it
 * checks is that prestart refuses before it builds.
 */
const root = new URL("..", import.meta.url).pathname;
// npm from PATH, as a user runs it; first on its PATH the Node running the tests, for npm and serve alike.
const nodeBin = dirname(process.execPath);
const dataDir = mkdtempSync(join(tmpdir(), "bridgelog-npm-start-"));
chmodSync(dataDir, 0o755); // run by root, PostgreSQL runs as its own user, which must enter it

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

function npmStart(args: string[], env: Record<string, string>): Started {
  const child = spawn("npm", ["start", ...args], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${nodeBin}:${process.env.PATH ?? ""}`,
      DATABASE_URL: "", // blank is unset: the embedded default
      BRIDGELOG_READ_DATABASE_URL: "",
      HOST: "127.0.0.1",
      BRIDGELOG_LOG_LEVEL: "info",
      ...env,
    },
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => (output.stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (output.stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output, exited };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidIn = (file: string) => (existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : undefined);
const postmasterPidFile = join(dataDir, "postgres", "postmaster.pid");

let port: number;
let first: Started;
let url: string;

beforeAll(async () => {
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  first = npmStart(["--ignore-scripts"], {
    PORT: String(port),
    BRIDGELOG_DATA_DIR: dataDir,
    BRIDGELOG_EMBEDDED_POSTGRES_PORT: String(await freePort()),
  });
  // Listening comes before the local tokens are made; the console line comes after them (on
  // whichever stream: the first test says which it must be).
  await waitFor(
    "npm start to print the console's address",
    () => {
      if (first.child.exitCode !== null) throw new Error(`npm start exited with ${first.child.exitCode}: ${first.output.stderr}`);
      return (first.output.stdout + first.output.stderr).includes("Console: ");
    },
    90_000,
  );
}, 120_000);

afterAll(async () => {
  // Whatever a failed test left running: serve (the pid it claimed the folder with), then PostgreSQL.
  for (const [file, signal] of [[join(dataDir, "bridgelog.pid"), "SIGTERM"], [postmasterPidFile, "SIGINT"]] as const) {
    const pid = pidIn(file);
    if (pid === undefined || !isAlive(pid)) continue;
    process.kill(pid, signal);
    await waitFor(`pid ${pid} to exit`, () => !isAlive(pid), 20_000);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("npm start on the embedded default", () => {
  it("prints the console's address apart from the JSON logs, with a read-only token, and no token at all where a process manager would log it", async () => {
    // stdout: npm's banner ("> bridgelog@... start") and JSON log lines, nothing else.
    const lines = first.output.stdout.split("\n").filter((line) => line !== "" && !line.startsWith(">"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();

    // stderr is not a terminal here, as under a process manager: the address, and where the token is.
    const consoleTokenFile = join(dataDir, "console-token");
    expect(first.output.stderr).toContain(`Console: ${url}/ (sign in with the read-only token kept in ${consoleTokenFile})`);
    expect(first.output.stdout + first.output.stderr).not.toContain("blg_");

    // Both tokens are kept for their owner alone; the console's can read every tenant and nothing else.
    const adminTokenFile = join(dataDir, "local-admin-token");
    expect(statSync(consoleTokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(adminTokenFile).mode & 0o777).toBe(0o600);
    const consoleToken = readFileSync(consoleTokenFile, "utf8").trim();
    expect(consoleToken).not.toBe(readFileSync(adminTokenFile, "utf8").trim());
    const asConsole = transport("connect-json", url, consoleToken);
    await expect(createClient(QueryService, asConsole).listTenants({})).resolves.toBeDefined();
    const codeOf = (call: Promise<unknown>) => call.then(() => "ok", (error: unknown) => ConnectError.from(error).code);
    expect(await codeOf(createClient(RecorderService, asConsole).recordInterception({}))).toBe(Code.PermissionDenied);
    expect(await codeOf(createClient(DeviceService, asConsole).registerDevice({}))).toBe(Code.PermissionDenied);
  });

  it("a second start, beside the running one, refuses before it builds anything", async () => {
    const webDist = join(root, "web", "dist");
    const built = () => [webDist, join(webDist, "index.html")].map((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs);
    const before = built();

    // On the same data folder (another port), then on the same port (another data folder).
    const otherDataDir = mkdtempSync(join(tmpdir(), "bridgelog-npm-start-other-"));
    try {
      const cases = [
        { env: { PORT: String(await freePort()), BRIDGELOG_DATA_DIR: dataDir }, reason: `the data folder ${dataDir} is in use by another bridgelog process` },
        { env: { PORT: String(port), BRIDGELOG_DATA_DIR: otherDataDir }, reason: `127.0.0.1:${port} is already in use` },
      ];
      for (const { env, reason } of cases) {
        const second = npmStart([], { ...env, BRIDGELOG_EMBEDDED_POSTGRES_PORT: String(await freePort()) });
        expect(await second.exited).not.toBe(0);
        expect(second.output.stderr).toContain(`npm start: not starting, nothing was built: ${reason}`);
        expect(second.output.stdout).not.toMatch(/^> bridgelog@\S+ build$/m);
      }
    } finally {
      rmSync(otherDataDir, { recursive: true, force: true });
    }
    expect(built()).toEqual(before);
    expect((await fetch(`${url}/healthz`)).ok).toBe(true); // and the first one runs on
  }, 180_000);

  it("runs serve with V8's young generation bounded (docs/operations.md, Memory)", () => {
    const servePid = pidIn(join(dataDir, "bridgelog.pid"))!;
    const argv = readFileSync(`/proc/${servePid}/cmdline`, "utf8").split("\0").slice(0, -1); // NUL-terminated
    expect(argv).toContain("--max-semi-space-size=16");
    expect(argv.slice(-2)).toEqual([expect.stringMatching(/bin\/bridgelog\.js$/), "serve"]);
  });

  it("stops serve and its PostgreSQL on SIGTERM to npm, as a process manager sends it, and exits 0", async () => {
    const postgresPid = pidIn(postmasterPidFile)!;
    expect(isAlive(postgresPid)).toBe(true);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output.stdout).toContain('"msg":"stopped"');
    expect(isAlive(postgresPid)).toBe(false);
    expect(existsSync(postmasterPidFile)).toBe(false);
    expect(existsSync(join(dataDir, "bridgelog.pid"))).toBe(false);
  }, 60_000);
});
