import { pino } from "pino";
import type { Sql } from "postgres";
import { migrate } from "../../src/db/migrate.js";
import { openPool, withDatabase } from "../../test/support/pool.js";
import { startTemporaryPostgres } from "../../test/support/temporary-postgres.js";

export interface BenchDatabase {
  url: string;
  /** A small pool for seeding and counting. */
  sql: Sql;
  /** Whether the database was there already (kept by an earlier run with `keep`). */
  existed: boolean;
  /** Ends the pool and drops the database (or stops the embedded server); a kept one stays. */
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /** Another checkout's migrations, for a side-by-side baseline. */
  migrationsDir?: string;
  /**
   * Keep the database on close and reuse it on open (DATABASE_URL only), so a bench whose seed
   * takes longer than its measuring can be run again on the same rows.
   */
  keep?: boolean;
}

/**
 * A migrated database of the bench's own: `bridgelog_bench_<name>` on the server DATABASE_URL
 * points at (dropped again on close, so a bench never touches real data nor leaves any), or an
 * embedded PostgreSQL in a temporary folder. Migrated from `migrationsDir` when given (another
 * checkout's, for a side-by-side baseline), else from this checkout's.
 */
export async function openBenchDatabase(name: string, { migrationsDir, keep = false }: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  const log = pino({ level: "warn" });
  const serverUrl = process.env.DATABASE_URL;
  const database = `bridgelog_bench_${name}`;
  let url: string;
  let cleanup: () => Promise<void>;
  let existed = false;
  if (serverUrl !== undefined && serverUrl !== "") {
    const admin = openPool(serverUrl);
    existed = keep && (await admin`select 1 from pg_database where datname = ${database}`).length > 0;
    if (!existed) {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`create database ${database}`);
    }
    await admin.end();
    url = withDatabase(serverUrl, database);
    cleanup = async () => {
      if (keep) return;
      const dropper = openPool(serverUrl);
      await dropper.unsafe(`drop database if exists ${database} with (force)`);
      await dropper.end();
    };
  } else {
    if (keep) throw new Error("keep needs DATABASE_URL: an embedded PostgreSQL lives in a temporary folder");
    const embedded = await startTemporaryPostgres(`bench-${name}`, log);
    url = embedded.url;
    cleanup = embedded.stop;
  }
  const sql = openPool(url, { max: 2 });
  await migrate(sql, log, migrationsDir);
  return {
    url,
    sql,
    existed,
    async close() {
      await sql.end();
      await cleanup();
    },
  };
}
