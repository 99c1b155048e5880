import type { Sql } from "postgres";
import type { ClaimedEvent } from "./claim-events.js";

/** How one attempt ended. */
export type AttemptOutcome =
  | { outcome: "sent"; devicesReached: number; devicesRemoved: number }
  /** Another event for the same initiator, provider and error type holds the dedup lock. */
  | { outcome: "suppressed" }
  /**
   * Will be retried after `retryInMs`. `attemptGivenBack` when the attempt never got as far as
   * the dedup lock (its store was unreachable): waiting for Redis does not use up attempts.
   */
  | { outcome: "failed"; error: string; retryInMs: number; devicesRemoved: number; attemptGivenBack: boolean }
  /** Failed on the last allowed attempt: given up, and kept with its error. */
  | { outcome: "dead"; error: string; devicesRemoved: number };

/**
 * Ends an attempt in one statement: updates the event (final status, or back to pending with its
 * backoff) and appends the attempt to `notification_deliveries`. Only the holder of this claim
 * writes: if the lease ran out and another replica claimed the event since, nothing is written and
 * false is returned.
 */
export async function recordOutcome(sql: Sql, notifier: string, event: ClaimedEvent, result: AttemptOutcome): Promise<boolean> {
  const status = result.outcome === "failed" ? "pending" : result.outcome;
  const error = "error" in result ? result.error : null;
  const retryInMs = result.outcome === "failed" ? result.retryInMs : 0;
  const givenBack = result.outcome === "failed" && result.attemptGivenBack ? 1 : 0;
  const reached = result.outcome === "sent" ? result.devicesReached : 0;
  const removed = "devicesRemoved" in result ? result.devicesRemoved : 0;
  const rows = await sql`
    with ended as (
      update notification_outbox
      set status = ${status},
          attempts = attempts - ${givenBack}::integer,
          available_at = case when ${status}::text = 'pending'
                              then now() + ${retryInMs}::integer * interval '1 millisecond'
                              else available_at end,
          claimed_by = null,
          last_error = coalesce(${error}, last_error),
          finished_at = case when ${status}::text = 'pending' then null else now() end
      where tenant_id = ${event.tenantId} and interception_id = ${event.interceptionId}
        and status = 'pending' and claimed_by = ${notifier} and attempts = ${event.attempt}
      returning tenant_id, interception_id
    )
    insert into notification_deliveries
      (tenant_id, interception_id, attempt, outcome, error, devices_reached, devices_removed, notifier)
    select tenant_id, interception_id, ${event.attempt}, ${result.outcome}, ${error}, ${reached}, ${removed}, ${notifier}
    from ended
    returning 1`;
  return rows.length === 1;
}
