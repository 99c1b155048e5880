import type { Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";

/** An outbox event this notifier holds a claim on. */
export interface ClaimedEvent {
  tenantId: string;
  interceptionId: string;
  initiatorId: string;
  provider: string;
  errorType: ErrorType;
  /** Which attempt this claim is (1 for the first). Outcomes are written only for this attempt. */
  attempt: number;
  /** Device tokens earlier attempts reached: a retry sends only to the others. */
  reachedTokens: string[];
  /** Times in a row the event found the dedup lock's store unreachable; sets the next wait's backoff. */
  lockWaits: number;
}

export interface ClaimOptions {
  /** This notifier's name, stored with the claim. */
  notifier: string;
  limit: number;
  leaseSeconds: number;
}

/**
 * Claims up to `limit` due events in one statement. `for update skip locked` lets any number of
 * replicas claim at once without waiting on each other or taking the same event; the claim moves
 * `available_at` to the end of the lease, so the event is not due again until then. If this
 * notifier dies, the lease runs out and another replica claims the event: nothing is lost.
 *
 * The attempt is counted here, at claim time, so an event that kills its notifier every time still
 * reaches the attempt limit. Oldest due first, so retries do not starve.
 */
export async function claimEvents(sql: Sql, options: ClaimOptions): Promise<ClaimedEvent[]> {
  const rows = await sql<Row[]>`
    with due as (
      select tenant_id, interception_id
      from notification_outbox
      where status = 'pending' and available_at <= now()
      order by available_at
      limit ${options.limit}
      for update skip locked
    )
    update notification_outbox o
    set attempts = o.attempts + 1,
        claimed_by = ${options.notifier},
        available_at = now() + ${options.leaseSeconds}::integer * interval '1 second'
    from due
    where o.tenant_id = due.tenant_id and o.interception_id = due.interception_id
    returning o.tenant_id, o.interception_id, o.initiator_id, o.provider, o.error_type, o.attempts,
              o.reached_fcm_tokens, o.lock_waits`;
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    interceptionId: row.interception_id,
    initiatorId: row.initiator_id,
    provider: row.provider,
    errorType: row.error_type,
    attempt: row.attempts,
    reachedTokens: row.reached_fcm_tokens,
    lockWaits: row.lock_waits,
  }));
}

interface Row {
  tenant_id: string;
  interception_id: string;
  initiator_id: string;
  provider: string;
  error_type: ErrorType;
  attempts: number;
  reached_fcm_tokens: string[];
  lock_waits: number;
}
