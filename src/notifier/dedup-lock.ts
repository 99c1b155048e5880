import type { ErrorType } from "../interception/error-type.js";

/** What one notification is deduplicated on: at most one push per key per window. */
export interface DedupKey {
  tenantId: string;
  initiatorId: string;
  provider: string;
  errorType: ErrorType;
}

/**
 * "At most one push per key per window", shared by every notifier replica: Redis SET NX EX, or the
 * same lock in PostgreSQL when no Redis is configured.
 *
 * The holder is the event (its interception id), not the notifier process: when a notifier dies
 * holding a lock, the replica that retries the same event finds the lock held by that event and
 * carries on, instead of suppressing the only event that was going to notify.
 */
export interface DedupLock {
  /**
   * Takes the lock for the window. True when taken now, or already held by `holder` (an earlier
   * attempt of the same event that crashed before finishing); false when another event holds it:
   * this one is a duplicate. Rejects when the lock store cannot be reached.
   */
  acquire(key: DedupKey, holder: string): Promise<boolean>;
  /**
   * Gives the window back after a send that reached no device, only if `holder` still holds it
   * (compare-and-delete), so a lock taken meanwhile by another event is never removed.
   */
  release(key: DedupKey, holder: string): Promise<void>;
}
