import type { Sql } from "postgres";

/**
 * `interceptions` is partitioned by UTC day of `started_at`, one table per day named
 * `interceptions_pYYYYMMDD` (migration 000006). These are the days as `YYYY-MM-DD` strings.
 */
export type Day = string;

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The UTC day an instant falls on. */
export function dayOf(instant: Date): Day {
  return instant.toISOString().slice(0, 10);
}

/** Every UTC day from the one `first` falls on to the one `last` falls on, both included. */
export function daysBetween(first: Date, last: Date): Day[] {
  const days: Day[] = [];
  for (let t = Date.parse(dayOf(first)); t <= last.getTime(); t += DAY_MS) days.push(dayOf(new Date(t)));
  return days;
}

/**
 * Creates the partitions of the given days that do not exist yet; returns how many it created.
 * Safe to call from any number of processes at once (the SQL function serialises creators), and
 * cheap when every day exists: one statement, no DDL.
 */
export async function ensureInterceptionPartitions(sql: Sql, days: readonly Day[]): Promise<number> {
  if (days.length === 0) return 0;
  const [row] = await sql<{ created: number }[]>`
    select count(*) filter (where ensure_interception_partition(day::date))::int as created
    from unnest(${days as string[]}::text[]) as day`;
  return row?.created ?? 0;
}
