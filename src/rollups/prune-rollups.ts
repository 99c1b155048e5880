import type { Sql } from "postgres";

/**
 * Deletes the hourly rollups of every day a prune dropped: the hours before `firstKeptDay` (UTC
 * midnight), found through the rollups' hour index. A rollup never outlives its rows, so summaries
 * over a pruned window count nothing, as a scan of the raw rows would. Returns the rows deleted.
 */
export async function pruneRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  const { count } = await sql`delete from interception_rollups where hour < ${firstKeptDay}`;
  return count;
}

/** What `pruneRollups` would delete now, for `bridgelog prune --dry-run`. */
export async function countPrunableRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from interception_rollups where hour < ${firstKeptDay}`;
  return row?.n ?? 0;
}
