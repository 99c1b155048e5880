import { pino } from "pino";
import type { Sql } from "postgres";
import { migrate } from "../../src/db/migrate.js";
import { openPool, withDatabase } from "../../test/support/pool.js";
import { startTemporaryPostgres } from "../../test/support/temporary-postgres.js";

export interface BenchDatabase {
  url: string;
  /** A small pool for seeding and counting. */
  sql: Sql;
  /** Ends the pool and drops the database (or stops the embedded server). */
  close(): Promise<void>;
}

/**
 * A migrated database of the bench's own: `bridgelog_bench_<name>` on the server DATABASE_URL
 * points at (dropped again on close, so a bench never touches real data nor leaves any), or an
 * embedded PostgreSQL in a temporary folder. Migrated from `migrationsDir` when given (another
 * checkout's, for a side-by-side baseline), else from this checkout's.
 */
export async function openBenchDatabase(name: string, migrationsDir?: string): Promise<BenchDatabase> {
  const log = pino({ level: "warn" });
  const serverUrl = process.env.DATABASE_URL;
  const database = `bridgelog_bench_${name}`;
  let url: string;
  let cleanup: () => Promise<void>;
  if (serverUrl !== undefined && serverUrl !== "") {
    const recreate = async (create: boolean) => {
      const admin = openPool(serverUrl);
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      if (create) await admin.unsafe(`create database ${database}`);
      await admin.end();
    };
    await recreate(true);
    url = withDatabase(serverUrl, database);
    cleanup = () => recreate(false);
  } else {
    const embedded = await startTemporaryPostgres(`bench-${name}`, log);
    url = embedded.url;
    cleanup = embedded.stop;
  }
  const sql = openPool(url, { max: 2 });
  await migrate(sql, log, migrationsDir);
  return {
    url,
    sql,
    async close() {
      await sql.end();
      await cleanup();
    },
  };
}
