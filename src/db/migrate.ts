import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "postgres";
import type { Logger } from "pino";
import { PACKAGE_ROOT } from "../package-root.js";

/** The folder of `NNNNNN_name.sql` files shipped with the package. */
export const MIGRATIONS_DIR = new URL("migrations/", PACKAGE_ROOT).pathname;

// Any fixed number: every bridgelog process takes the same transaction-scoped lock.
const MIGRATION_LOCK = 7_346_281_001;

interface Migration {
  version: number;
  name: string;
  file: string;
}

/**
 * Applies every migration not yet applied, in order, each once, each in its own transaction
 * together with its row in `schema_migrations`.
 *
 * Safe when several processes start at once: each transaction first takes an advisory lock and
 * re-reads what is applied, so the second process waits, then sees the migration done and skips
 * it. Migrations are append-only: a file is never edited once it has landed on main.
 */
export async function migrate(sql: Sql, log: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await listMigrations(dir);
  // Under the same lock as the migrations: two processes running CREATE TABLE IF NOT EXISTS at
  // once can both pass the check, and the loser fails on the catalog's unique index.
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )
    `;
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      const [done] = await tx`select 1 from schema_migrations where version = ${migration.version}`;
      if (done !== undefined) return false;
      await tx.unsafe(await readFile(join(dir, migration.file), "utf8"));
      await tx`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`;
      return true;
    });
    if (ran) {
      log.info({ version: migration.version, migration: migration.name }, "migration applied");
      applied.push(migration.version);
    }
  }
  return applied;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return files.map((file) => {
    const match = /^(\d{6})_([a-z0-9_]+)\.sql$/.exec(file);
    if (match === null) throw new Error(`migration file name must look like 000001_name.sql: ${file}`);
    return { version: Number(match[1]), name: match[2]!, file };
  });
}
