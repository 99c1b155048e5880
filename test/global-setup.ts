/**
 * Runs once before all test files: finds PostgreSQL (DATABASE_URL, or an embedded server started
 * here), and builds a migrated template database that every test file clones, so files run in
 * parallel, each on its own database, and reruns start clean.
 */
import { createHash } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.js";
import { MIGRATIONS_DIR, migrate } from "../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database on the test server to connect to for CREATE/DROP DATABASE. */
    adminDatabaseUrl: string;
    /** The migrated template each test file clones. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const log = pino({ level: "silent" });
  let stopEmbedded: (() => Promise<void>) | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === "") {
    const dataDir = await mkdtemp(join(tmpdir(), "bridgelog-test-pg-"));
    // As root, PostgreSQL runs as a separate user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
    adminUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  // The template's name changes with the migrations, so an edited schema is never reused stale.
  const hash = createHash("sha256");
  for (const file of (await readdir(MIGRATIONS_DIR)).sort()) hash.update(file).update(await readFile(join(MIGRATIONS_DIR, file)));
  const template = `bridgelog_template_${hash.digest("hex").slice(0, 12)}`;

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
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
      const sql = postgres(withDatabase(adminUrl, template), { max: 1, onnotice: () => {} });
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

  // The dashboard the servers under test serve at `/` (the browser test opens it).
  await build({ configFile: new URL("../web/vite.config.ts", import.meta.url).pathname, logLevel: "error" });

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", template);
  return async () => {
    await stopEmbedded?.();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
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
