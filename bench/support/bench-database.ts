import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { migrate } from "../../src/db/migrate.js";

export interface BenchDatabase {
  url: string;
  /** A small pool for seeding and counting. */
  sql: postgres.Sql;
  /** Ends the pool and drops the database (or stops the embedded server). */
  close(): Promise<void>;
}

/**
 * A migrated database of the bench's own: `bridgelog_bench_<name>` on the server DATABASE_URL
 * points at (dropped again on close, so a bench never touches real data nor leaves any), or an
 * embedded PostgreSQL in a temporary folder.
 */
export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const log = pino({ level: "warn" });
  const serverUrl = process.env.DATABASE_URL;
  const database = `bridgelog_bench_${name}`;
  let url: string;
  let cleanup: () => Promise<void>;
  if (serverUrl !== undefined && serverUrl !== "") {
    const recreate = async (create: boolean) => {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      if (create) await admin.unsafe(`create database ${database}`);
      await admin.end();
    };
    await recreate(true);
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${database}`;
    url = parsed.toString();
    cleanup = () => recreate(false);
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), `bridgelog-bench-${name}-`));
    // As root, PostgreSQL runs as its own user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
    url = embedded.url;
    cleanup = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  await migrate(sql, log);
  return {
    url,
    sql,
    async close() {
      await sql.end();
      await cleanup();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
