import type { Sql } from "postgres";

/**
 * Deletes the hourly rollups of every day a prune dropped: the hours before `firstKeptDay` (UTC
 * midnight), with the changes to them not yet applied, under the rollup applier's lock
 * (prune_interception_rollups, migrations/000014), so an applier running at the same time cannot
 * add them back. A rollup never outlives its rows, so summaries over a pruned window count
 * nothing, as a scan of the raw rows would. Returns the rows deleted.
 */
export async function pruneRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  const [row] = await sql<{ deleted: string }[]>`select prune_interception_rollups(${firstKeptDay})::text as deleted`;
  return Number(row!.deleted);
}

/** What `pruneRollups` would delete now, for `bridgelog prune --dry-run`. */
export async function countPrunableRollups(sql: Sql, firstKeptDay: Date): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select ((select count(*) from interception_rollups where hour < ${firstKeptDay})
          + (select count(*) from interception_initiator_rollups where hour < ${firstKeptDay})
          + (select count(*) from interception_rollup_changes where hour < ${firstKeptDay}))::int as n`;
  return row?.n ?? 0;
}
