import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { createUndoStack } from "../../../src/lifecycle/undo-stack.js";
import { freePort } from "../../support/free-port.js";

/** Debian's PostgreSQL 15 server binaries (package postgresql-15), on every machine of this project. */
const BIN = "/usr/lib/postgresql/15/bin";

/** A PostgreSQL primary and a hot standby streaming from it, in a temporary folder, on loopback. */
export interface StreamingReplica {
  primaryUrl: string;
  replicaUrl: string;
  /** Fast shutdown of the replica; resolves once it has exited. */
  stopReplica(): Promise<void>;
  /** Starts the stopped replica again on the same folder and port; resolves once it takes queries. */
  startReplica(): Promise<void>;
  /** Stops both servers and removes their folder. */
  stop(): Promise<void>;
}

/**
 * Starts a primary (initdb) and a streaming replica made from it by `pg_basebackup -R`, the way
 * an operator makes one. As root, every PostgreSQL program runs as the `postgres` user, since
 * PostgreSQL refuses to run as root. Fails, naming what is missing, when the binaries are not there.
 */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  for (const program of ["initdb", "postgres", "pg_basebackup"]) {
    if (!existsSync(join(BIN, program))) {
      throw new Error(`${join(BIN, program)} is missing: this test runs its own primary and replica with PostgreSQL 15's server binaries (Debian package postgresql-15)`);
    }
  }
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const undo = createUndoStack();
  try {
    const root = await mkdtemp(join(tmpdir(), "bridgelog-replica-"));
    undo.push(() => rm(root, { recursive: true, force: true }));
    if (owner !== undefined) await chown(root, owner.uid, owner.gid);
    const run = (program: string, args: string[]) =>
      promisify(execFile)(join(BIN, program), args, { ...owner, env: { PATH: process.env.PATH, LC_ALL: "C" } });

    const primary = { dir: join(root, "primary"), port: await freePort() };
    await run("initdb", ["-D", primary.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const primaryServer = await startPostgres(primary.dir, primary.port, root, owner);
    undo.push(() => primaryServer.stop());
    const primaryUrl = `postgres://postgres@127.0.0.1:${primary.port}/bridgelog`;
    const admin = postgres(`postgres://postgres@127.0.0.1:${primary.port}/postgres`, { max: 1, onnotice: () => {} });
    await admin`create database bridgelog`.finally(() => admin.end());

    // -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby.
    const replica = { dir: join(root, "replica"), port: await freePort() };
    await run("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", replica.dir, "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
    let replicaServer: RunningProcess | undefined = await startPostgres(replica.dir, replica.port, root, owner);
    undo.push(() => replicaServer?.stop() ?? Promise.resolve());

    return {
      primaryUrl,
      replicaUrl: `postgres://postgres@127.0.0.1:${replica.port}/bridgelog`,
      async stopReplica() {
        await replicaServer?.stop();
        replicaServer = undefined;
      },
      async startReplica() {
        replicaServer ??= await startPostgres(replica.dir, replica.port, root, owner);
      },
      stop: () => undo.run(),
    };
  } catch (error) {
    await undo.runQuietly();
    throw error;
  }
}

interface RunningProcess {
  stop(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

async function postgresUser(): Promise<OsUser> {
  const line = (await readFile("/etc/passwd", "utf8")).split("\n").find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error("running as root, this test runs PostgreSQL as the `postgres` OS user, and there is none (it comes with Debian's postgresql-15)");
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Runs `postgres` on `dir` as a child of this process (no pg_ctl daemon, so its pid is ours to
 * stop) and resolves once it takes connections. Test settings: loopback only, sockets in the
 * test's folder, no fsync, no autovacuum (whose cleanup could cancel a replica's queries at random).
 */
async function startPostgres(dir: string, port: number, socketDir: string, owner: OsUser | undefined): Promise<RunningProcess> {
  const settings = [`port=${port}`, "listen_addresses=127.0.0.1", `unix_socket_directories=${socketDir}`, "fsync=off", "autovacuum=off"];
  const child: ChildProcess = spawn(join(BIN, "postgres"), ["-D", dir, ...settings.flatMap((s) => ["-c", s])], {
    ...owner,
    env: { PATH: process.env.PATH, LC_ALL: "C" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (chunk) => (output = (output + String(chunk)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT"); // fast shutdown: roll back open transactions, close connections, exit
    await exited;
  };
  const probe = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {}, connect_timeout: 2 });
  try {
    for (const deadline = Date.now() + 30_000; ; ) {
      if (child.exitCode !== null) throw new Error(`postgres on ${dir} exited with ${child.exitCode}:\n${output}`);
      try {
        await probe`select 1`;
        return { stop };
      } catch {
        if (Date.now() > deadline) throw new Error(`postgres on ${dir} took no connections in 30 s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await probe.end({ timeout: 1 });
  }
}
