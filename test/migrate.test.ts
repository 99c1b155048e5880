import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "../src/db/migrate.js";
import { createTestDatabase } from "./support/database.js";
import { openPool } from "./support/pool.js";

it("when several processes migrate an empty database at once, then each migration is applied exactly once and all succeed", async () => {
  // An empty database, not the migrated template: this test is about applying migrations.
  const db = await createTestDatabase({ empty: true });
  const pools = Array.from({ length: 4 }, () => openPool(db.url));
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
    await db.drop();
  }
});

it("when a database from before partitioning holds interceptions, then migrating moves every row, whole, into its day's partition", async () => {
  const db = await createTestDatabase({ empty: true });
  const sql = db.sql;
  const before = await mkdtemp(join(tmpdir(), "bridgelog-migrations-"));
  try {
    const log = pino({ level: "silent" });
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
    for (const file of files.filter((f) => f < "000006")) await copyFile(join(MIGRATIONS_DIR, file), join(before, file));
    await migrate(sql, log, before);
    await sql`
      insert into interceptions (tenant_id, id, provider, started_at, ended_at, error_type, error_message, provider_code, metadata, input_tokens)
      values
        ('t-1', '00000000-0000-4000-8000-000000000001', 'openai', '2026-10-01T23:59:59.999999Z', null, null, null, null, '{"a":"1"}', 3),
        ('t-1', '00000000-0000-4000-8000-000000000002', 'anthropic', '2026-10-02T00:00:00Z', '2026-10-02T00:00:01Z', 'overloaded', 'busy', 'overloaded_error', '{}', 0),
        ('t-2', '00000000-0000-4000-8000-000000000001', 'openai', '2026-11-15T12:00:00Z', null, null, null, null, '{}', 0)`;
    await sql`
      insert into notification_outbox (tenant_id, interception_id, user_id, provider, reason)
      values ('t-1', '00000000-0000-4000-8000-000000000002', 'user-1', 'anthropic', 'quota_exhausted')`;
    await sql`insert into devices (tenant_id, fcm_token, user_id) values ('t-1', 'token-1', 'user-1')`;
    const rowsBefore = await sql`select * from interceptions order by tenant_id, id`;

    expect(await migrate(sql, log)).toEqual(files.filter((f) => f >= "000006").map((f) => Number(f.slice(0, 6))));
    // Whole: every column the rows had is unchanged, and columns later migrations add (000009's
    // retry_after_ms) are NULL, as an ADD COLUMN without a default leaves them.
    const rowsAfter = await sql`select * from interceptions order by tenant_id, id`;
    const columnsBefore = Object.keys(rowsBefore[0]!);
    const added = Object.keys(rowsAfter[0]!).filter((column) => !columnsBefore.includes(column));
    expect(added).toEqual(["retry_after_ms"]);
    expect(rowsAfter.map((row) => Object.fromEntries(columnsBefore.map((column) => [column, row[column]])))).toEqual([...rowsBefore]);
    expect(rowsAfter.map((row) => added.map((column) => row[column]))).toEqual(rowsBefore.map(() => added.map(() => null)));
    // 000007's renames keep the rows: user_id is initiator_id, reason is error_type.
    expect(await sql`select initiator_id, provider, error_type, status from notification_outbox`).toEqual([
      { initiator_id: "user-1", provider: "anthropic", error_type: "quota_exhausted", status: "pending" },
    ]);
    expect(await sql`select initiator_id, fcm_token from devices`).toEqual([{ initiator_id: "user-1", fcm_token: "token-1" }]);
    const placed = await sql`select tableoid::regclass::text as partition, id from interceptions order by tenant_id, id`;
    expect(placed.map((r) => r.partition)).toEqual(["interceptions_p20261001", "interceptions_p20261002", "interceptions_p20261115"]);
    const [old] = await sql`select to_regclass('interceptions_unpartitioned') as t`;
    expect(old?.t).toBeNull();
  } finally {
    await rm(before, { recursive: true, force: true });
    await db.drop();
  }
});
