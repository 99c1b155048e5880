import type { Fragment, Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";
import type { DeliveryOutcome, NotificationStatus } from "./notification-states.js";

/**
 * The outbox read as the history of users' key failures, for the query API's ListKeyStates
 * (src/query/list-key-states.ts). Every statement on the outbox and its deliveries lives in this
 * folder, so a change to their shape is made here; the query side composes these and imports
 * nothing of the outbox's tables itself, and nothing here imports from src/query.
 *
 * An outbox event is a key failure: a failed BYOK interception whose error type the notify policy
 * names (enqueue-events.ts), one event per interception.
 */

export interface KeyFailureFilter {
  tenantId: string;
  initiatorId: string | null;
  provider: string | null;
}

/**
 * One row per (initiator_id, provider) with events: `failures` (events on record), and the last
 * one's `last_failed_at` (the event's created_at), `last_error_type` and `last_interception_id`, as
 * an SQL fragment for a statement that joins more to it (the recovery, the paging).
 *
 * The time of a failure is when bridgelog recorded it (the event's created_at, set in the same
 * statement as the failed interception's write, so it follows the call's end by the bridge's
 * recording delay): always there, even once the interception's partition is dropped, and read from
 * this table alone. The interception's own started_at would need a lookup in the partitioned
 * interceptions table, by an id that does not carry its partition key, for every event.
 *
 * Reads the tenant's events once (the primary key leads with tenant_id); their number is bounded by
 * the outbox's retention, not by the interceptions.
 */
export function keyFailuresSql(sql: Sql, filter: KeyFailureFilter): Fragment {
  return sql`
    select distinct on (initiator_id, provider)
           initiator_id, provider, created_at as last_failed_at, error_type as last_error_type,
           interception_id as last_interception_id, count(*) over (partition by initiator_id, provider) as failures
    from notification_outbox
    where tenant_id = ${filter.tenantId}
      ${filter.initiatorId === null ? sql`` : sql`and initiator_id = ${filter.initiatorId}`}
      ${filter.provider === null ? sql`` : sql`and provider = ${filter.provider}`}
    order by initiator_id, provider, created_at desc, interception_id desc`;
}

/** One notification event and every delivery attempt of it. Instants in microseconds, as decimal text. */
export interface NotificationEventRow {
  initiator_id: string;
  provider: string;
  interception_id: string;
  error_type: ErrorType;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  created_us: string;
  finished_us: string | null;
  deliveries: {
    attempt: number;
    outcome: DeliveryOutcome;
    error: string | null;
    devices_reached: number;
    devices_removed: number;
    recorded_us: string;
  }[];
}

/**
 * The `perKey` most recent events of each given key, newest first, each with its deliveries oldest
 * first, in one statement: one pass over the tenant's events of those keys, and the deliveries by
 * their primary key (tenant_id, interception_id).
 */
export async function notificationHistory(
  sql: Sql,
  tenantId: string,
  keys: readonly { initiatorId: string; provider: string }[],
  perKey: number,
): Promise<NotificationEventRow[]> {
  if (keys.length === 0) return [];
  return sql<NotificationEventRow[]>`
    select e.initiator_id, e.provider, e.interception_id, e.error_type, e.status, e.attempts, e.last_error,
           (extract(epoch from e.created_at) * 1000000)::bigint::text as created_us,
           (extract(epoch from e.finished_at) * 1000000)::bigint::text as finished_us,
           coalesce((
             select json_agg(json_build_object(
                      'attempt', d.attempt, 'outcome', d.outcome, 'error', d.error,
                      'devices_reached', d.devices_reached, 'devices_removed', d.devices_removed,
                      'recorded_us', ((extract(epoch from d.recorded_at) * 1000000)::bigint)::text)
                    order by d.id)
             from notification_deliveries d
             where d.tenant_id = e.tenant_id and d.interception_id = e.interception_id), '[]') as deliveries
    from (
      select o.*, row_number() over (partition by o.initiator_id, o.provider order by o.created_at desc, o.interception_id desc) as n
      from notification_outbox o
      join unnest(${keys.map((k) => k.initiatorId)}::text[], ${keys.map((k) => k.provider)}::text[]) as k(initiator_id, provider)
        on o.initiator_id = k.initiator_id and o.provider = k.provider
      where o.tenant_id = ${tenantId}
    ) as e
    where e.n <= ${perKey}
    order by e.initiator_id, e.provider, e.created_at desc, e.interception_id desc`;
}
