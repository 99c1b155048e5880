import type { Sql } from "postgres";

/** What a prune of the notification history removed, or would remove. */
export interface OutboxPruneCounts {
  /** Finished events (sent, suppressed or dead) created before the cutoff. */
  outboxEvents: number;
  /** Delivery attempts recorded before the cutoff. */
  deliveries: number;
}

/**
 * Deletes finished events and delivery records older than `cutoff`, one statement each: an hourly
 * prune removes about an hour of rows, found through the partial indexes of migration 000006.
 * Pending events are kept whatever their age. Notifiers touch only pending events, so nothing waits
 * on these row locks.
 *
 * Finished events are kept until then as the history of what was notified, and because an event is
 * keyed by its interception: deleting it while bridges may still retry that interception would let
 * the retry create it again. Retention periods are days; bridge retries are seconds.
 */
export async function pruneOutbox(sql: Sql, cutoff: Date): Promise<OutboxPruneCounts> {
  const { count: outboxEvents } = await sql`
    delete from notification_outbox where status <> 'pending' and created_at < ${cutoff}`;
  const { count: deliveries } = await sql`
    delete from notification_deliveries where recorded_at < ${cutoff}`;
  return { outboxEvents, deliveries };
}

/** What `pruneOutbox` would delete now, for `bridgelog prune --dry-run`. */
export async function countPrunableOutbox(sql: Sql, cutoff: Date): Promise<OutboxPruneCounts> {
  const [counts] = await sql<OutboxPruneCounts[]>`
    select
      (select count(*)::int from notification_outbox where status <> 'pending' and created_at < ${cutoff}) as "outboxEvents",
      (select count(*)::int from notification_deliveries where recorded_at < ${cutoff}) as deliveries`;
  return counts ?? { outboxEvents: 0, deliveries: 0 };
}
