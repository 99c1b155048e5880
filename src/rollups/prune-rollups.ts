import type { Sql } from "postgres";

/** Every table of hourly rollups (migrations 000008 and 000011). */
const ROLLUP_TABLES = ["interception_rollups", "interception_initiator_rollups"] as const;

/**
 * Deletes the hourly rollups of every day a prune dropped: the hours before `firstKeptDay` (UTC
 * midnight), found through each rollup table's hour index. A rollup never outlives its rows, so
 * summaries over a pruned window count nothing, as a scan of the raw rows would. Returns the rows
 * deleted.
 */
export async function pruneRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  let deleted = 0;
  for (const table of ROLLUP_TABLES) {
    const { count } = await sql`delete from ${sql(table)} where hour < ${firstKeptDay}`;
    deleted += count;
  }
  return deleted;
}

/** What `pruneRollups` would delete now, for `bridgelog prune --dry-run`. */
export async function countPrunableRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  let rows = 0;
  for (const table of ROLLUP_TABLES) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)} where hour < ${firstKeptDay}`;
    rows += row?.n ?? 0;
  }
  return rows;
}
