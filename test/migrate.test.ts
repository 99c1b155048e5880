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

it("when a database whose rollups were kept by the old triggers is migrated, then the overview's new rollups equal a fresh count of its rows", async () => {
  const db = await createTestDatabase({ empty: true });
  const sql = db.sql;
  const before = await mkdtemp(join(tmpdir(), "bridgelog-migrations-"));
  try {
    const log = pino({ level: "silent" });
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
    for (const file of files.filter((f) => f < "000014")) await copyFile(join(MIGRATIONS_DIR, file), join(before, file));
    await migrate(sql, log, before);
    await sql`select ensure_interception_partition(d::date) from generate_series(date '2026-11-01', date '2026-11-03', interval '1 day') as d`;
    // Rows as the old triggers saw them: ended, failed, still open, and one whose model and end came later.
    await sql`
      insert into interceptions (tenant_id, id, initiator_id, provider, model, feature, key_source, started_at, ended_at, error_type, cost_micros)
      select 't-' || (g % 2), gen_random_uuid(), 'user-' || (g % 3), (array['openai', 'anthropic'])[1 + g % 2], (array['m-a', 'm-b', 'm-c'])[1 + g % 3],
             'chat', case when g % 4 = 0 then 'byok' else 'platform' end, timestamptz '2026-11-02T10:00:00Z' + g * interval '7 minutes',
             case when g % 5 = 0 then null else timestamptz '2026-11-02T10:00:01Z' + g * interval '7 minutes' end,
             case when g % 6 = 0 then 'rate_limited' end, g * 10
      from generate_series(1, 60) as g`;
    await sql`update interceptions set model = 'm-late', ended_at = started_at + interval '2 seconds' where ended_at is null and error_type is null and cost_micros < 300`;

    expect(await migrate(sql, log)).toEqual(files.filter((f) => f >= "000014").map((f) => Number(f.slice(0, 6))));
    const ended = sql`(select *, coalesce(error_type, '') as type from interceptions where ended_at is not null or error_type is not null)`;
    const dimensionDiff = await sql`
      (select tenant_id, dimension, value, hour, error_type, calls, cost_micros from interception_dimension_rollups where calls <> 0
       except
       select tenant_id, d.dimension, d.value, date_trunc('hour', started_at, 'UTC'), type, count(*), sum(cost_micros)
       from ${ended} as e cross join lateral (values ('', ''), ('provider', provider), ('model', model), ('feature', feature), ('key_source', key_source)) as d(dimension, value)
       group by 1, 2, 3, 4, 5)
      union all
      (select tenant_id, d.dimension, d.value, date_trunc('hour', started_at, 'UTC'), type, count(*), sum(cost_micros)
       from ${ended} as e cross join lateral (values ('', ''), ('provider', provider), ('model', model), ('feature', feature), ('key_source', key_source)) as d(dimension, value)
       group by 1, 2, 3, 4, 5
       except
       select tenant_id, dimension, value, hour, error_type, calls, cost_micros from interception_dimension_rollups where calls <> 0)`;
    expect(dimensionDiff).toEqual([]);
    // Each initiator's day, and its map's count of one value, against the rows.
    const dailyDiff = await sql`
      select r.tenant_id, r.day, r.initiator_id, r.calls, (r.by_value->'provider=openai'->>0)::bigint as openai, f.calls as fresh_calls, f.openai as fresh_openai
      from interception_initiator_daily_rollups r
      full join (select tenant_id, date_trunc('day', started_at, 'UTC') as day, initiator_id, count(*) as calls,
                        nullif(count(*) filter (where provider = 'openai'), 0) as openai
                 from ${ended} as e group by 1, 2, 3) as f using (tenant_id, day, initiator_id)
      where r.calls is distinct from f.calls or (r.by_value->'provider=openai'->>0)::bigint is distinct from f.openai`;
    expect(dailyDiff).toEqual([]);
    expect((await sql`select count(*)::int as n from interception_dimension_rollups`)[0]!.n).toBeGreaterThan(20);
  } finally {
    await rm(before, { recursive: true, force: true });
    await db.drop();
  }
});
