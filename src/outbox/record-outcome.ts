import type { Sql } from "postgres";
import type { ClaimedEvent } from "./claim-events.js";

/**
 * How one attempt ended. `reachedTokens` are the device tokens this attempt's push reached (their
 * count is the delivery's `devices_reached`); they are added to the event's own list, so a retry
 * skips them.
 */
export type AttemptOutcome =
  /**
   * Final: every device the user has was reached, by this attempt or earlier ones. `error` when
   * some devices were still failing on the last allowed attempt and were given up; the user was
   * told on the others.
   */
  | { outcome: "sent"; reachedTokens: readonly string[]; devicesRemoved: number; error?: string }
  /** Another event for the same initiator, provider and error type holds the dedup lock. */
  | { outcome: "suppressed" }
  /**
   * Will be retried after `retryInMs`: no device was reached yet, or some were and others failed
   * transiently; the retry sends only to the devices not yet reached.
   */
  | { outcome: "failed"; error: string; retryInMs: number; reachedTokens: readonly string[]; devicesRemoved: number }
  /** No device reached on the last allowed attempt: given up, and kept with its error. */
  | { outcome: "dead"; error: string; devicesRemoved: number };

/**
 * Ends an attempt in one statement: updates the event (final status, or back to pending with its
 * backoff; the devices reached added to `reached_fcm_tokens`; the lock waits reset, since this
 * attempt got past the lock) and appends the attempt to `notification_deliveries`. Only the holder
 * of this claim writes: if the lease ran out and another replica claimed the event since, nothing is
 * written and false is returned.
 */
export async function recordOutcome(sql: Sql, notifier: string, event: ClaimedEvent, result: AttemptOutcome): Promise<boolean> {
  const status = result.outcome === "failed" ? "pending" : result.outcome;
  const error = "error" in result && result.error !== undefined ? result.error : null;
  const retryInMs = result.outcome === "failed" ? result.retryInMs : 0;
  const reachedTokens = "reachedTokens" in result ? [...result.reachedTokens] : [];
  const removed = "devicesRemoved" in result ? result.devicesRemoved : 0;
  const rows = await sql`
    with ended as (
      update notification_outbox
      set status = ${status},
          available_at = case when ${status}::text = 'pending'
                              then now() + ${retryInMs}::integer * interval '1 millisecond'
                              else available_at end,
          claimed_by = null,
          last_error = coalesce(${error}, last_error),
          reached_fcm_tokens = reached_fcm_tokens || ${reachedTokens}::text[],
          lock_waits = 0,
          finished_at = case when ${status}::text = 'pending' then null else now() end
      where tenant_id = ${event.tenantId} and interception_id = ${event.interceptionId}
        and status = 'pending' and claimed_by = ${notifier} and attempts = ${event.attempt}
      returning tenant_id, interception_id
    )
    insert into notification_deliveries
      (tenant_id, interception_id, attempt, outcome, error, devices_reached, devices_removed, notifier)
    select tenant_id, interception_id, ${event.attempt}, ${result.outcome}, ${error}, ${reachedTokens.length}, ${removed}, ${notifier}
    from ended
    returning 1`;
  return rows.length === 1;
}

/**
 * Records that the event could not reach the dedup lock's store, in one update of the event and no
 * delivery row: the attempt the claim counted is given back (waiting for Redis uses up none), the
 * wait is counted in `lock_waits`, `last_error` says why, and the event is due again after
 * `retryInMs`. A Redis outage thus costs each waiting event one row update per wait, with a backoff
 * that grows per wait, instead of an appended row at every base interval. Only the holder of the
 * claim writes; false when the claim had expired.
 */
export async function recordLockWait(sql: Sql, notifier: string, event: ClaimedEvent, error: string, retryInMs: number): Promise<boolean> {
  const rows = await sql`
    update notification_outbox
    set attempts = attempts - 1,
        lock_waits = lock_waits + 1,
        available_at = now() + ${retryInMs}::integer * interval '1 millisecond',
        claimed_by = null,
        last_error = ${error}
    where tenant_id = ${event.tenantId} and interception_id = ${event.interceptionId}
      and status = 'pending' and claimed_by = ${notifier} and attempts = ${event.attempt}
    returning 1`;
  return rows.length === 1;
}
