import type { Sql } from "postgres";
import { countPrunableOutbox, type OutboxPruneCounts, pruneOutbox } from "../outbox/prune-outbox.js";
import { countPrunableRollups, pruneRollups } from "../rollups/prune-rollups.js";
import type { Day } from "./interception-partitions.js";

/** What a prune removed, or with `dryRun`, would remove. */
export interface PruneResult extends OutboxPruneCounts {
  /** Interceptions older than this are gone; a day goes once all of it is older. */
  cutoff: Date;
  /** The day partitions dropped, oldest first. */
  days: Day[];
  /** Hourly rollup rows of the dropped days (src/rollups/). */
  rollupRows: number;
  /** True when another process was pruning, so this one did nothing. */
  skipped: boolean;
}

export interface PruneOptions {
  cutoff: Date;
  dryRun?: boolean;
}

// Any fixed number, distinct from the migration lock (src/db/migrate.ts) and the test suite's
// template lock (test/global-setup.ts). Partition creation takes a table lock, not an advisory one.
const PRUNE_LOCK = 7_346_281_004;

/**
 * Drops every day partition of `interceptions` that lies wholly before `cutoff`, and deletes the
 * finished notification events and delivery records created before it (src/outbox/prune-outbox.ts).
 * Interceptions are never deleted row by row: a day goes as one table, which costs the same for ten rows or ten million and
 * leaves no dead tuples behind.
 *
 * A partition is detached CONCURRENTLY, then dropped. A plain DROP would take an ACCESS EXCLUSIVE
 * lock on `interceptions` and, while it waited for running queries, stall every write queued behind
 * it; the concurrent detach lets reads and writes go on. While it waits for running queries it
 * holds SHARE UPDATE EXCLUSIVE on the table, so only creating a new day waits for it (the server
 * makes days a week ahead, before it prunes). It cannot run in a transaction, so a prune
 * interrupted half way leaves a detach pending or a detached table: the next prune finishes both.
 *
 * Several replicas may run this on a schedule: a session advisory lock lets one prune at a time,
 * and the others return `skipped`.
 */
export async function prune(sql: Sql, options: PruneOptions): Promise<PruneResult> {
  const { cutoff, dryRun = false } = options;
  const connection = await sql.reserve();
  try {
    const [lock] = await connection<{ locked: boolean }[]>`select pg_try_advisory_lock(${PRUNE_LOCK}) as locked`;
    if (lock?.locked !== true) return { cutoff, days: [], rollupRows: 0, outboxEvents: 0, deliveries: 0, skipped: true };
    try {
      const partitions = await expiredPartitions(connection, cutoff);
      const days = partitions.map((p) => p.day);
      // A day goes once all of it is before the cutoff, so the first day kept starts at the
      // cutoff's UTC midnight; its rollups go with the partitions before it.
      const firstKeptDay = new Date(Math.floor(cutoff.getTime() / 86_400_000) * 86_400_000);
      if (dryRun) {
        const rollupRows = await countPrunableRollups(connection, firstKeptDay);
        return { cutoff, days, rollupRows, ...(await countPrunableOutbox(connection, cutoff)), skipped: false };
      }
      for (const partition of partitions) {
        // The name matched ^interceptions_p[0-9]{8}$, so quoting it is enough.
        const table = `"${partition.name}"`;
        if (partition.state === "attached") await connection.unsafe(`alter table interceptions detach partition ${table} concurrently`);
        if (partition.state === "detach-pending") await connection.unsafe(`alter table interceptions detach partition ${table} finalize`);
        await connection.unsafe(`drop table ${table}`);
      }
      const rollupRows = await pruneRollups(connection, firstKeptDay);
      return { cutoff, days, rollupRows, ...(await pruneOutbox(connection, cutoff)), skipped: false };
    } finally {
      await connection`select pg_advisory_unlock(${PRUNE_LOCK})`;
    }
  } finally {
    connection.release();
  }
}

interface ExpiredPartition {
  name: string;
  day: Day;
  state: "attached" | "detach-pending" | "detached";
}

/**
 * Day tables whose whole day is before the cutoff: attached partitions, and those an interrupted
 * prune left detaching or detached. Read from the catalog by name, since a detached table no longer
 * has partition bounds.
 */
async function expiredPartitions(sql: Sql, cutoff: Date): Promise<ExpiredPartition[]> {
  return sql<ExpiredPartition[]>`
    select
      c.relname as name,
      to_char(to_date(substr(c.relname, 16), 'YYYYMMDD'), 'YYYY-MM-DD') as day,
      case when i.inhrelid is null then 'detached' when i.inhdetachpending then 'detach-pending' else 'attached' end as state
    from pg_class c
    left join pg_inherits i on i.inhrelid = c.oid and i.inhparent = 'interceptions'::regclass
    where c.relnamespace = (select relnamespace from pg_class where oid = 'interceptions'::regclass)
      and c.relkind = 'r'
      and c.relname ~ '^interceptions_p[0-9]{8}$'
      and (to_date(substr(c.relname, 16), 'YYYYMMDD') + 1)::timestamp at time zone 'UTC' <= ${cutoff}
    order by c.relname`;
}
