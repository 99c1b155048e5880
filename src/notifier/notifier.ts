import type { Sql } from "postgres";
import type { Logger } from "pino";
import type { DeviceStore } from "../devices/device-store.js";
import { type ClaimedEvent, claimEvents } from "../outbox/claim-events.js";
import { OUTBOX_CHANNEL } from "../outbox/outbox-channel.js";
import { type AttemptOutcome, recordLockWait, recordOutcome } from "../outbox/record-outcome.js";
import type { DedupLock } from "./dedup-lock.js";
import { notificationFor } from "./notification-text.js";
import type { PushResult, PushSender } from "./push-sender.js";
import { retryDelayMs } from "../retry/retry-delay.js";

export interface NotifierOptions {
  sql: Sql;
  lock: DedupLock;
  sender: PushSender;
  devices: DeviceStore;
  log: Logger;
  /** This notifier's name in claims and delivery records; unique per process. */
  id: string;
  batchSize: number;
  leaseSeconds: number;
  pollMs: number;
  maxAttempts: number;
  /** Backoff after a failed attempt, and after the first wait for the lock; doubled each time, with jitter. */
  retryBaseMs: number;
  /** Longest backoff after a failed attempt. */
  retryMaxMs: number;
  /**
   * Longest backoff of an event waiting for an unreachable lock store. Shorter than `retryMaxMs`:
   * it bounds how late waiting events go out once Redis is back.
   */
  lockWaitMaxMs: number;
  random?: () => number;
  /** Told each recorded outcome (for metrics). */
  onOutcome?: (outcome: AttemptOutcome["outcome"]) => void;
  /** Told each recorded wait for an unreachable lock store (for metrics). */
  onLockWait?: () => void;
}

export interface Notifier {
  /** Claims one batch and handles every event in it; resolves with how many were claimed. */
  runOnce(): Promise<number>;
  /** Listens for outbox nudges and runs until `stop()`. Resolves once listening. */
  start(): Promise<void>;
  /** Stops claiming, lets the batch in hand finish and record its outcomes, stops listening. */
  stop(): Promise<void>;
}

/** What one attempt to push an event achieved. */
interface Delivery {
  /** Tokens this attempt reached. */
  reached: string[];
  removed: number;
  /**
   * Set when a device may still need the push: a send failed in a way worth retrying (FCM
   * unavailable, the device lookup or the whole send failing), or no device was reached and none
   * is left (no device registered, every token gone).
   */
  error: string | undefined;
}

/**
 * The notifier: turns outbox events into at most one push per (tenant, initiator, provider,
 * error type) per dedup window, and at most one push per device per event.
 *
 * For each claimed event, in this order:
 * 1. Take the dedup lock. Held by another event: `suppressed`, and nothing else is read, so a
 *    flood of duplicate failures costs one lock call each. Lock store unreachable: the event waits,
 *    recorded on the event alone (no delivery row, attempt given back) with a backoff that grows
 *    per wait, and nothing is sent, so none is dropped and none sent twice.
 * 2. Only then look up the user's device tokens, leave out those an earlier attempt reached, and
 *    send to the rest.
 * 3. Every device reached (now or before): `sent`. Some reached, some failing transiently: the
 *    event is retried with backoff for the failing ones alone, keeping the lock (the user has been
 *    told); on the last attempt it ends `sent` with the error of the devices given up. None reached
 *    (no device, FCM failing): the window was not used, so the lock is released (only if still
 *    this event's) and the event retried with backoff and jitter, or given up as `dead` on the
 *    last attempt.
 * Tokens FCM reports as gone are deleted whatever the outcome.
 *
 * Delivery is at least once from the outbox: a notifier that dies after FCM accepted a push but
 * before recording it leaves the lock held by the event, and the replica that retries the event
 * sends again to the devices of that attempt. Everywhere else, the lock keeps it to one push per
 * key and the event's reached tokens to one per device.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { sql, lock, sender, devices, log, id, batchSize, leaseSeconds, pollMs, maxAttempts, retryBaseMs, retryMaxMs, lockWaitMaxMs } =
    options;
  const random = options.random ?? Math.random;

  async function runOnce(): Promise<number> {
    const events = await claimEvents(sql, { notifier: id, limit: batchSize, leaseSeconds });
    await Promise.all(events.map(handle));
    return events.length;
  }

  async function handle(event: ClaimedEvent): Promise<void> {
    const key = { tenantId: event.tenantId, initiatorId: event.initiatorId, provider: event.provider, errorType: event.errorType };
    let acquired: boolean;
    try {
      acquired = await lock.acquire(key, event.interceptionId);
    } catch (error) {
      // Logged once per outage where the lock store's connection is watched (start-notifier.ts).
      await waitForLock(event, `dedup lock unavailable: ${messageOf(error)}`);
      return;
    }
    const toldBefore = event.reachedTokens.length > 0;
    if (!acquired) {
      // An event that already reached some devices lost its lock only by the window running out
      // between its attempts; the event holding it now sends to every device, the ones this one
      // did not reach included. The user was told: it ends sent.
      await finish(
        event,
        toldBefore
          ? { outcome: "sent", reachedTokens: [], devicesRemoved: 0, error: "the dedup lock passed to another event, which notifies the devices not reached" }
          : { outcome: "suppressed" },
      );
      return;
    }

    const delivery = await deliver(event);
    const lastAttempt = event.attempt >= maxAttempts;
    let outcome: AttemptOutcome;
    if (delivery.error === undefined) {
      outcome = { outcome: "sent", reachedTokens: delivery.reached, devicesRemoved: delivery.removed };
    } else if (toldBefore || delivery.reached.length > 0) {
      // Told on some devices: the window is used, so the lock is kept; only the failing devices are retried.
      outcome = lastAttempt
        ? { outcome: "sent", reachedTokens: delivery.reached, devicesRemoved: delivery.removed, error: delivery.error }
        : {
            outcome: "failed",
            error: delivery.error,
            retryInMs: retryDelayMs(event.attempt, retryBaseMs, retryMaxMs, random),
            reachedTokens: delivery.reached,
            devicesRemoved: delivery.removed,
          };
    } else {
      // Nobody was told, so the window is not used up: give the lock back for the retry, or for
      // the next failure of the same kind.
      await lock.release(key, event.interceptionId).catch((error: unknown) => {
        // The lock stays held by this event: its own retry still proceeds; only other events of
        // the same key are suppressed until it expires.
        log.warn({ err: error, interceptionId: event.interceptionId }, "could not release the dedup lock");
      });
      outcome = lastAttempt
        ? { outcome: "dead", error: delivery.error, devicesRemoved: delivery.removed }
        : {
            outcome: "failed",
            error: delivery.error,
            retryInMs: retryDelayMs(event.attempt, retryBaseMs, retryMaxMs, random),
            reachedTokens: [],
            devicesRemoved: delivery.removed,
          };
    }
    await finish(event, outcome);
  }

  /**
   * Looks up the user's devices, sends to those the event has not reached yet, deletes tokens FCM
   * reports gone. Never rejects.
   */
  async function deliver(event: ClaimedEvent): Promise<Delivery> {
    let tokens: string[];
    try {
      tokens = await devices.tokensOf(event.tenantId, event.initiatorId);
    } catch (error) {
      return { reached: [], removed: 0, error: `device lookup failed: ${messageOf(error)}` };
    }
    const toldBefore = event.reachedTokens.length > 0;
    if (tokens.length === 0 && !toldBefore) return { reached: [], removed: 0, error: "the user has no registered device" };
    const reachedBefore = new Set(event.reachedTokens);
    const remaining = tokens.filter((token) => !reachedBefore.has(token));
    // Every device left was told by an earlier attempt (or the ones that failed were unregistered since).
    if (remaining.length === 0) return { reached: [], removed: 0, error: undefined };
    const content = notificationFor(event);
    let results;
    try {
      results = await sender.send(remaining.map((token) => ({ token, ...content })));
    } catch (error) {
      return { reached: [], removed: 0, error: `send failed: ${messageOf(error)}` };
    }
    const gone = results.flatMap((r) => (r.status === "token-gone" ? [r.token] : []));
    let removed = 0;
    try {
      removed = await devices.remove(event.tenantId, gone);
    } catch (error) {
      // Not worth failing a push that was delivered: the next send reports the tokens again.
      log.warn({ err: error, tokens: gone.length }, "could not delete device tokens FCM reported gone");
    }
    const reached = results.flatMap((r) => (r.status === "delivered" ? [r.token] : []));
    const errorsOf = (statuses: readonly PushResult["status"][]) =>
      [...new Set(results.flatMap((r) => (r.status !== "delivered" && statuses.includes(r.status) ? [r.error] : [])))]
        .join("; ")
        .slice(0, 2000);
    // Nobody told yet: every error is the reason given, a gone token's included.
    if (reached.length === 0 && !toldBefore) return { reached, removed, error: errorsOf(["failed", "token-gone"]) };
    // Someone told: a gone token needs no retry; a failing one does.
    const failing = errorsOf(["failed"]);
    return { reached, removed, error: failing === "" ? undefined : failing };
  }

  async function finish(event: ClaimedEvent, outcome: AttemptOutcome): Promise<void> {
    const context = { interceptionId: event.interceptionId, tenantId: event.tenantId, attempt: event.attempt, outcome: outcome.outcome };
    try {
      const recorded = await recordOutcome(sql, id, event, outcome);
      if (recorded) options.onOutcome?.(outcome.outcome);
      if (!recorded) log.warn(context, "the claim expired before the outcome was recorded; another notifier has the event");
      else if (outcome.outcome === "dead") log.warn({ ...context, error: outcome.error }, "notification given up");
      else if (outcome.outcome === "failed") log.info({ ...context, error: outcome.error }, "notification not delivered to every device; will retry");
      else if (outcome.outcome === "sent" && outcome.error !== undefined) log.warn({ ...context, error: outcome.error }, "notification sent; some devices given up");
      else log.debug(context, "notification event finished");
    } catch (error) {
      // The claim's lease runs out and the event is retried: outcomes are never lost, at worst repeated.
      log.error({ ...context, err: error }, "could not record a notification outcome");
    }
  }

  /** Puts the event back to wait for the lock store, its backoff doubled from its previous wait. */
  async function waitForLock(event: ClaimedEvent, error: string): Promise<void> {
    const retryInMs = retryDelayMs(event.lockWaits + 1, retryBaseMs, lockWaitMaxMs, random);
    const context = { interceptionId: event.interceptionId, tenantId: event.tenantId, lockWaits: event.lockWaits + 1, retryInMs };
    try {
      const recorded = await recordLockWait(sql, id, event, error, retryInMs);
      if (recorded) options.onLockWait?.();
      if (!recorded) log.warn(context, "the claim expired before the lock wait was recorded; another notifier has the event");
      else log.debug(context, "notification event waits for the dedup lock");
    } catch (failure) {
      log.error({ ...context, err: failure }, "could not record a wait for the dedup lock");
    }
  }

  let stopping = false;
  let nudged = false;
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let listener: { unlisten(): Promise<void> } | undefined;

  function nudge(): void {
    nudged = true;
    wake?.();
  }

  /** Waits for a nudge, a stop or `ms`, whichever is first. A nudge that came during work counts. */
  function pause(ms: number): Promise<void> {
    if (nudged || stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      nudged = false;
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        log.error({ err: error }, "claiming notification events failed; retrying after the poll interval");
      }
      // A full batch means more are probably due: claim again at once.
      if (claimed < batchSize) await pause(pollMs);
    }
  }

  return {
    runOnce,
    async start() {
      listener = await sql.listen(OUTBOX_CHANNEL, nudge);
      running = loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      await listener?.unlisten().catch(() => {});
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
