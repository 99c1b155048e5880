/**
 * The rollup applier's lock, on a database of its own with no server folding changes in: one
 * process applies at a time, and a prune deletes the changes of the hours it prunes, so no applier
 * adds them back.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyRollupChanges, drainRollupChanges } from "../../src/rollups/rollup-applier.js";
import { pruneRollups } from "../../src/rollups/prune-rollups.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** Ended interceptions of the tenant on these UTC days, written the way any statement writes them (the triggers add their changes). */
async function recordEnded(tenantId: string, days: string[]): Promise<void> {
  await db.sql`select ensure_interception_partition(day::date) from unnest(${days}::text[]) as day`;
  await db.sql`
    insert into interceptions (tenant_id, id, provider, started_at, ended_at)
    select ${tenantId}, gen_random_uuid(), 'openai', day::timestamptz + interval '10 hours', day::timestamptz + interval '10 hours 1 second'
    from unnest(${days}::text[]) as day`;
}

const pending = async (tenantId: string) =>
  (await db.sql`select count(*)::int as n from interception_rollup_changes where tenant_id = ${tenantId}`)[0]!.n as number;
const rolledUpHours = async (tenantId: string) =>
  (await db.sql`select to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day from interception_rollups where tenant_id = ${tenantId} and calls <> 0 order by hour`).map(
    (r) => r.day as string,
  );

it("when another process holds the applier's lock, then applying changes nothing and says so, and applies once the lock is free", async () => {
  await recordEnded("t-lock", ["2026-11-20"]);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(interception_rollups_lock_key())`;
    locked();
    await held;
  });
  await lockTaken;
  expect(await applyRollupChanges(db.sql, 100)).toBe(-1);
  expect(await pending("t-lock")).toBe(1);
  release();
  await holder;
  expect(await applyRollupChanges(db.sql, 100)).toBeGreaterThanOrEqual(1);
  expect(await pending("t-lock")).toBe(0);
  expect(await rolledUpHours("t-lock")).toEqual(["2026-11-20"]);
});

it("when a prune runs while changes to the pruned hours are pending, then it deletes them and no later apply adds them back", async () => {
  await recordEnded("t-prune", ["2026-11-10", "2026-11-21"]);
  expect(await pending("t-prune")).toBe(2);
  await pruneRollups(db.sql, new Date("2026-11-15T00:00:00Z"));
  expect(await pending("t-prune")).toBe(1);
  await drainRollupChanges(db.sql, 100);
  expect(await rolledUpHours("t-prune")).toEqual(["2026-11-21"]);
});
