/**
 * Global setup of the projects whose tests need PostgreSQL (integration, browser): finds
 * PostgreSQL (DATABASE_URL, or an embedded server started here), and builds a migrated template
 * database that every test file clones, so files run in parallel, each on its own database, and
 * reruns start clean.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import type { TestProject } from "vitest/node";
import { MIGRATIONS_DIR, migrate } from "../../src/db/migrate.js";
import { openPool, withDatabase } from "../support/pool.js";
import { startTemporaryPostgres } from "../support/temporary-postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database on the test server to connect to for CREATE/DROP DATABASE. */
    adminDatabaseUrl: string;
    /** The migrated template each test file clones. */
    templateDatabase: string;
  }
}

interface TestPostgres {
  adminUrl: string;
  template: string;
  stop(): Promise<void>;
}

interface Shared {
  started: Promise<TestPostgres>;
  users: number;
}

/**
 * Every project that lists this file runs it, each through its own module runner, so module state
 * is not shared between them; the process is. One PostgreSQL serves every project of the run: the
 * first project's setup starts it, the last project's teardown stops it.
 */
const SHARED = Symbol.for("bridgelog.test.postgres");
const registry = globalThis as typeof globalThis & { [SHARED]?: Shared };

export default async function setup(project: TestProject) {
  const shared = (registry[SHARED] ??= { started: startTestPostgres(), users: 0 });
  shared.users++;
  const { adminUrl, template, stop } = await shared.started;
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", template);
  return async () => {
    if (--shared.users > 0) return;
    delete registry[SHARED];
    await stop();
  };
}

async function startTestPostgres(): Promise<TestPostgres> {
  const log = pino({ level: "silent" });
  let stop = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === "") {
    const embedded = await startTemporaryPostgres("test-pg", log);
    adminUrl = embedded.url;
    stop = embedded.stop;
  }

  // The template's name changes with the migrations, so an edited schema is never reused stale.
  const hash = createHash("sha256");
  for (const file of (await readdir(MIGRATIONS_DIR)).sort()) hash.update(file).update(await readFile(join(MIGRATIONS_DIR, file)));
  const template = `bridgelog_template_${hash.digest("hex").slice(0, 12)}`;

  try {
    await prepareTemplate(adminUrl, template, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl, template, stop };
}

async function prepareTemplate(adminUrl: string, template: string, log: Logger): Promise<void> {
  const admin = openPool(adminUrl);
  try {
    // Databases left by interrupted runs: only those over two hours old (the name carries the
    // creation time), so a run never drops the databases of another run going on beside it.
    const cutoff = Math.floor(Date.now() / 1000) - 2 * 3600;
    const stale = await admin<{ datname: string }[]>`
      select datname from pg_database
      where datname ~ '^bridgelog_test_[0-9]+_' and split_part(datname, '_', 3)::bigint < ${cutoff}`;
    for (const { datname } of stale) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    // Runs starting side by side (helpers, CI) must not both build the template, nor clone a
    // half-migrated one: the first builds it under this lock, the others wait and reuse it.
    await admin`select pg_advisory_lock(7346281002)`;
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (exists === undefined) {
      await admin.unsafe(`create database "${template}"`);
      const sql = openPool(withDatabase(adminUrl, template));
      try {
        await migrate(sql, log);
      } catch (error) {
        await sql.end();
        await admin.unsafe(`drop database "${template}"`);
        throw error;
      }
      await sql.end();
    }
  } finally {
    await admin.end();
  }
}
