import type { Sql } from "postgres";
import type { Logger } from "pino";
import type { DeviceStore } from "../devices/device-store.js";
import { type ClaimedEvent, claimEvents } from "../outbox/claim-events.js";
import { OUTBOX_CHANNEL } from "../outbox/outbox-channel.js";
import { type AttemptOutcome, recordOutcome } from "../outbox/record-outcome.js";
import type { DedupLock } from "./dedup-lock.js";
import { notificationFor } from "./notification-text.js";
import type { PushSender } from "./push-sender.js";
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
  retryBaseMs: number;
  retryMaxMs: number;
  random?: () => number;
  /** Told each recorded outcome (for metrics). */
  onOutcome?: (outcome: AttemptOutcome["outcome"]) => void;
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
  reached: number;
  removed: number;
  error: string | undefined;
}

/**
 * The notifier: turns outbox events into at most one push per (tenant, initiator, provider,
 * error type) per dedup window.
 *
 * For each claimed event, in this order:
 * 1. Take the dedup lock. Held by another event: `suppressed`, and nothing else is read, so a
 *    flood of duplicate failures costs one lock call each. Lock store unreachable: the event waits
 *    (`failed`, attempt given back) and nothing is sent, so none is dropped and none sent twice.
 * 2. Only then look up the user's device tokens and send.
 * 3. Reached at least one device: `sent`. Reached none (no device, FCM failing): the window was not
 *    used, so the lock is released (only if still this event's) and the event retried with backoff
 *    and jitter, or given up as `dead` on the last attempt.
 * Tokens FCM reports as gone are deleted whatever the outcome.
 *
 * Delivery is at least once from the outbox: a notifier that dies after FCM accepted a push but
 * before recording it leaves the lock held by the event, and the replica that retries the event
 * sends again. Everywhere else, the lock keeps it to one push.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { sql, lock, sender, devices, log, id, batchSize, leaseSeconds, pollMs, maxAttempts, retryBaseMs, retryMaxMs } = options;
  const random = options.random ?? Math.random;

  async function runOnce(): Promise<number> {
    const events = await claimEvents(sql, { notifier: id, limit: batchSize, leaseSeconds });
    await Promise.all(events.map(handle));
    return events.length;
  }

  async function handle(event: ClaimedEvent): Promise<void> {
    const key = { tenantId: event.tenantId, initiatorId: event.initiatorId, provider: event.provider, errorType: event.errorType };
    let outcome: AttemptOutcome;
    let acquired: boolean;
    try {
      acquired = await lock.acquire(key, event.interceptionId);
    } catch (error) {
      // Logged once per outage where the lock store's connection is watched (start-notifier.ts).
      await finish(event, {
        outcome: "failed",
        error: `dedup lock unavailable: ${messageOf(error)}`,
        retryInMs: retryDelayMs(1, retryBaseMs, retryMaxMs, random),
        devicesRemoved: 0,
        attemptGivenBack: true,
      });
      return;
    }
    if (!acquired) {
      await finish(event, { outcome: "suppressed" });
      return;
    }

    const delivery = await deliver(event);
    if (delivery.reached > 0) {
      outcome = { outcome: "sent", devicesReached: delivery.reached, devicesRemoved: delivery.removed };
    } else {
      // Nobody was told, so the window is not used up: give the lock back for the retry, or for
      // the next failure of the same kind.
      await lock.release(key, event.interceptionId).catch((error: unknown) => {
        // The lock stays held by this event: its own retry still proceeds; only other events of
        // the same key are suppressed until it expires.
        log.warn({ err: error, interceptionId: event.interceptionId }, "could not release the dedup lock");
      });
      const error = delivery.error ?? "no device was reached";
      outcome =
        event.attempt >= maxAttempts
          ? { outcome: "dead", error, devicesRemoved: delivery.removed }
          : {
              outcome: "failed",
              error,
              retryInMs: retryDelayMs(event.attempt, retryBaseMs, retryMaxMs, random),
              devicesRemoved: delivery.removed,
              attemptGivenBack: false,
            };
    }
    await finish(event, outcome);
  }

  /** Looks up the user's devices, sends, deletes tokens FCM reports gone. Never rejects. */
  async function deliver(event: ClaimedEvent): Promise<Delivery> {
    let tokens: string[];
    try {
      tokens = await devices.tokensOf(event.tenantId, event.initiatorId);
    } catch (error) {
      return { reached: 0, removed: 0, error: `device lookup failed: ${messageOf(error)}` };
    }
    if (tokens.length === 0) return { reached: 0, removed: 0, error: "the user has no registered device" };
    const content = notificationFor(event);
    let results;
    try {
      results = await sender.send(tokens.map((token) => ({ token, ...content })));
    } catch (error) {
      return { reached: 0, removed: 0, error: `send failed: ${messageOf(error)}` };
    }
    const gone = results.flatMap((r) => (r.status === "token-gone" ? [r.token] : []));
    let removed = 0;
    try {
      removed = await devices.remove(event.tenantId, gone);
    } catch (error) {
      // Not worth failing a push that was delivered: the next send reports the tokens again.
      log.warn({ err: error, tokens: gone.length }, "could not delete device tokens FCM reported gone");
    }
    const reached = results.filter((r) => r.status === "delivered").length;
    const errors = [...new Set(results.flatMap((r) => (r.status === "delivered" ? [] : [r.error])))];
    return { reached, removed, error: reached === 0 ? errors.join("; ").slice(0, 2000) : undefined };
  }

  async function finish(event: ClaimedEvent, outcome: AttemptOutcome): Promise<void> {
    const context = { interceptionId: event.interceptionId, tenantId: event.tenantId, attempt: event.attempt, outcome: outcome.outcome };
    try {
      const recorded = await recordOutcome(sql, id, event, outcome);
      if (recorded) options.onOutcome?.(outcome.outcome);
      if (!recorded) log.warn(context, "the claim expired before the outcome was recorded; another notifier has the event");
      else if (outcome.outcome === "dead") log.warn({ ...context, error: outcome.error }, "notification given up");
      else if (outcome.outcome === "failed" && !outcome.attemptGivenBack) log.info({ ...context, error: outcome.error }, "notification not delivered; will retry");
      else log.debug(context, "notification event finished");
    } catch (error) {
      // The claim's lease runs out and the event is retried: outcomes are never lost, at worst repeated.
      log.error({ ...context, err: error }, "could not record a notification outcome");
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
