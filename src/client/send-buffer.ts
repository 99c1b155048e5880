import { createBackoff, type BackoffOptions } from "./backoff.js";
import { createRecordBuffer } from "./record-buffer.js";
import type { RecorderLog } from "./recorder-log.js";

/** What became of one record of a batch sent to the server. */
export type DeliveryResult =
  | { status: "stored" }
  /** Not stored, for a reason that may pass (server down or saturated, connection lost). */
  | { status: "retry"; reason: string }
  /** Refused for good (invalid, not permitted): sending it again would fail again. */
  | { status: "rejected"; code: string; message: string };

/**
 * Sends one batch and says what became of each record, in order. Never rejects: a failed call is
 * one result repeated. `signal` aborts when `close()` runs out of time.
 */
export type DeliverBatch<T> = (batch: readonly T[], signal: AbortSignal) => Promise<DeliveryResult[]>;

export interface SendBufferOptions<T> {
  deliver: DeliverBatch<T>;
  /** Most records held; past it the oldest are dropped. */
  capacity: number;
  /** Most records sent in one call. A full batch goes at once. */
  batchSize: number;
  /** How long a partial batch waits for company before it is sent. */
  flushIntervalMs: number;
  retry: Omit<BackoffOptions, "random">;
  log: RecorderLog;
  /** The record's id, for log lines about it. */
  idOf: (record: T) => string;
}

/** How the send buffer has fared since it was created. Every record ends up in exactly one of the first four. */
export interface SendBufferCounters {
  /** Stored by the server. */
  sent: number;
  /** Lost without being stored: pushed out of a full buffer, added after close(), or still unsent when close() timed out. */
  dropped: number;
  /** Refused by the server for good (invalid, or a call failing with a code that retrying cannot fix). */
  rejected: number;
  /** Held: waiting in the buffer or being sent. */
  pending: number;
  /** Times a record was put back to be sent again after a transient failure. */
  retried: number;
}

export interface SendBuffer<T> {
  /** Queues a record. Constant time, no I/O, never throws. */
  add(record: T): void;
  counters(): SendBufferCounters;
  /**
   * Sends everything queued, retrying as usual, for at most `timeoutMs`; what is still unsent
   * then is dropped (and counted). Never rejects. Records added afterwards are dropped.
   */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Creates the send buffer between `track` and the server: a bounded buffer drained in the background
 * by one sender at a time.
 *
 * Records go in batches of `batchSize`, or after `flushIntervalMs` when fewer wait. Records that
 * fail transiently go back to the front of the buffer and the sender backs off; while it does, the
 * buffer keeps filling and, when full, drops its oldest records (a bridge cares more about what is
 * happening now than about a backlog from an outage). Timers are unref'd: the buffer never keeps
 * a process alive on its own, so a bridge should `close()` it on shutdown.
 */
export function createSendBuffer<T>(options: SendBufferOptions<T>): SendBuffer<T> {
  const { deliver, batchSize, flushIntervalMs, log, idOf } = options;
  const buffer = createRecordBuffer<T>(options.capacity);
  const backoff = createBackoff(options.retry);
  const deadline = new AbortController();
  const counts = { sent: 0, dropped: 0, rejected: 0, retried: 0 };
  let inFlight = 0;
  let pumping: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Immediate | undefined;
  let closing: Promise<void> | undefined;
  // Whether the current streak of drops has been logged: one line per outage or overload, not per record.
  let dropsLogged = false;

  function add(record: T): void {
    if (closing !== undefined) {
      counts.dropped++;
      return;
    }
    if (buffer.push(record) > 0) dropped(1);
    if (pumping === undefined) schedule(); // else the running sender will get to it
  }

  /** Starts the sender soon for a full batch, or after the interval for a partial one. */
  function schedule(): void {
    if (buffer.length >= batchSize) {
      if (soon === undefined) {
        clearTimeout(timer);
        timer = undefined;
        // Not now: sending starts with serialising, which is not the caller's work to pay for.
        soon = setImmediate(start).unref();
      }
    } else if (timer === undefined && soon === undefined) {
      timer = setTimeout(start, flushIntervalMs).unref();
    }
  }

  function dropped(count: number): void {
    counts.dropped += count;
    if (!dropsLogged) {
      dropsLogged = true;
      log({ level: "warn", message: `bridgelog client: the buffer is full; dropping the oldest records (${counts.dropped} so far)` });
    }
  }

  function start(): Promise<void> {
    clearTimeout(timer);
    clearImmediate(soon);
    timer = undefined;
    soon = undefined;
    pumping ??= pump().finally(() => {
      pumping = undefined;
      if (closing === undefined && buffer.length > 0) schedule();
    });
    return pumping;
  }

  async function pump(): Promise<void> {
    while (buffer.length > 0 && !deadline.signal.aborted) {
      const batch = buffer.take(batchSize);
      inFlight = batch.length;
      const results = await deliverSafely(batch);
      inFlight = 0;
      const retry: T[] = [];
      let reason = "";
      batch.forEach((record, i) => {
        const result = results[i] ?? { status: "retry", reason: "no result for this record" };
        if (result.status === "stored") counts.sent++;
        else if (result.status === "retry") {
          retry.push(record);
          reason = result.reason;
        } else {
          counts.rejected++;
          log({
            level: "error",
            message: `bridgelog client: the server refused interception ${idOf(record)} (${result.code}): ${result.message}`,
            id: idOf(record),
            code: result.code,
          });
        }
      });
      if (retry.length === 0) {
        backoff.reset();
        // The backlog is gone: the next drop starts a new streak worth a line.
        if (buffer.length === 0) dropsLogged = false;
        // A partial batch waits for company, unless everything must go now.
        if (closing === undefined && buffer.length < batchSize) return;
        continue;
      }
      counts.retried += retry.length;
      const lost = buffer.returnToFront(retry);
      if (lost > 0) dropped(lost);
      if (deadline.signal.aborted) return;
      const delayMs = Math.round(backoff.next());
      log({ level: "warn", message: `bridgelog client: ${retry.length} records not delivered (${reason}); retrying in ${delayMs} ms`, records: retry.length });
      await sleep(delayMs, deadline.signal);
    }
  }

  async function deliverSafely(batch: T[]): Promise<DeliveryResult[]> {
    try {
      return await deliver(batch, deadline.signal);
    } catch (error) {
      // `deliver` promises not to throw; if it does anyway, the records are kept and retried.
      return batch.map(() => ({ status: "retry", reason: String(error) }));
    }
  }

  return {
    add,
    counters: () => ({ ...counts, pending: buffer.length + inFlight }),
    close(timeoutMs) {
      closing ??= (async () => {
        const timeout = setTimeout(() => deadline.abort(), timeoutMs);
        try {
          while (buffer.length > 0 && !deadline.signal.aborted) await start();
          await pumping;
        } finally {
          clearTimeout(timeout);
          deadline.abort(); // ends any backoff wait and in-flight call left
          const unsent = buffer.clear();
          if (unsent > 0) {
            counts.dropped += unsent;
            log({ level: "warn", message: `bridgelog client: close() timed out after ${timeoutMs} ms; ${unsent} records were not delivered`, records: unsent });
          }
        }
      })();
      return closing;
    },
  };
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts. Unref'd: a bridge whose work is done must
 * not be kept alive by retries against an absent bridgelog (close() holds the process itself).
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms).unref();
    signal.addEventListener("abort", done, { once: true });
  });
}
