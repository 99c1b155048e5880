import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { pino } from "pino";
import postgres from "postgres";
import { expect, inject, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "../src/db/migrate.js";
import { withDatabase } from "./global-setup.js";

it("when several processes migrate an empty database at once, then each migration is applied exactly once and all succeed", async () => {
  const adminUrl = inject("adminDatabaseUrl");
  // An empty database, not the migrated template: this test is about applying migrations.
  const name = `bridgelog_test_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const pools = Array.from({ length: 4 }, () => postgres(withDatabase(adminUrl, name), { max: 1, onnotice: () => {} }));
  try {
    const log = pino({ level: "silent" });
    const applied = await Promise.all(pools.map((sql) => migrate(sql, log)));
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql"));
    // Between them the four applied every migration, none twice.
    expect(applied.flat().sort((a, b) => a - b)).toEqual(files.map((f) => Number(f.slice(0, 6))).sort((a, b) => a - b));
    const rows = await pools[0]!`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => Number(f.slice(0, 6))).sort((a, b) => a - b));
    // A later start finds nothing to do.
    expect(await migrate(pools[0]!, log)).toEqual([]);
  } finally {
    await Promise.all(pools.map((sql) => sql.end()));
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
});
