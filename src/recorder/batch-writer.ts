import { Code, ConnectError } from "@connectrpc/connect";
import type { Sql } from "postgres";
import type { Logger } from "pino";
import { isDataError, isTransientDatabaseError } from "../db/database-error.js";
import type { NormalizedInterception, RecordedInterception } from "../interception/interception.js";
import type { NotifyPolicy } from "../outbox/notify-policy.js";
import { retryDelayMs } from "../retry/retry-delay.js";
import { writeInterceptions } from "./write-interceptions.js";

export interface BatchWriterOptions {
  sql: Sql;
  log: Logger;
  /** Most records written by one statement. */
  batchMaxSize: number;
  /** How long the first record of a partial batch may wait for company before it is written. */
  batchMaxWaitMs: number;
  /** Most records waiting for a batch. Past it, writes are refused with Unavailable. */
  queueMax: number;
  /** Most batches being committed at once (each holds one database connection). */
  batchMaxInFlight: number;
  /** Which failures get a notification event, written in the same statement as the batch. */
  notifyPolicy: NotifyPolicy;
  /**
   * How often a batch is tried again after a transient database error (connection lost, server
   * restarting) before its callers get Unavailable, and the first backoff, doubled each time.
   */
  writeRetries: number;
  writeRetryBaseMs: number;
  /** Told each committed statement's size and how long it took, retries included (for metrics). */
  onCommit?: (size: number, seconds: number) => void;
}

/** Group commit: many concurrent writes, one transaction per batch, each answered after commit. */
export interface BatchWriter {
  /** Resolves once the record is committed. Rejects with a ConnectError. */
  write(record: NormalizedInterception): Promise<RecordedInterception>;
  /** Records waiting for a batch (not counting batches being committed). */
  queued(): number;
  /** Refuses new writes, then resolves when everything accepted has been committed or failed. */
  close(): Promise<void>;
}

interface Pending {
  record: NormalizedInterception;
  resolve: (stored: RecordedInterception) => void;
  reject: (error: ConnectError) => void;
}

/**
 * Creates the group-commit writer.
 *
 * A batch starts as soon as `batchMaxSize` records wait, or `batchMaxWaitMs` after the first one
 * arrived, whichever is first, as long as fewer than `batchMaxInFlight` batches are committing. While
 * all slots are busy records keep queueing, so load itself makes batches larger: one commit's
 * fsync is shared by everyone who arrived while the previous one ran.
 */
export function createBatchWriter(options: BatchWriterOptions): BatchWriter {
  const { sql, log, batchMaxSize, batchMaxWaitMs, queueMax, batchMaxInFlight, notifyPolicy, writeRetries, writeRetryBaseMs } = options;
  let queue: Pending[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  let drained: (() => void) | undefined;

  function write(record: NormalizedInterception): Promise<RecordedInterception> {
    if (closing) return Promise.reject(new ConnectError("the server is shutting down", Code.Unavailable));
    if (queue.length >= queueMax) {
      return Promise.reject(
        new ConnectError("the write queue is full: the database is not keeping up; retry with backoff", Code.Unavailable),
      );
    }
    return new Promise((resolve, reject) => {
      queue.push({ record, resolve, reject });
      if (queue.length >= batchMaxSize) start();
      else timer ??= setTimeout(start, batchMaxWaitMs);
    });
  }

  function start(): void {
    clearTimeout(timer);
    timer = undefined;
    while (inFlight < batchMaxInFlight && queue.length > 0) {
      const batch = queue.slice(0, batchMaxSize);
      queue = queue.slice(batch.length);
      inFlight++;
      void commit(batch).finally(() => {
        inFlight--;
        // Whatever queued while this batch committed goes now: it has already waited.
        if (queue.length > 0) start();
        else if (inFlight === 0) drained?.();
      });
    }
  }

  /**
   * Writes a batch. Each round is one INSERT ... ON CONFLICT statement, atomic on its own, so a
   * batch costs one round trip and one commit, with no BEGIN/COMMIT around it. (It also keeps
   * postgres.js's `begin()` out of the write path: when a connection dies inside it, its ROLLBACK
   * waits forever on the dead connection.)
   */
  async function commit(batch: Pending[]): Promise<void> {
    for (const round of splitRepeatedKeys(batch)) await commitRound(round);
  }

  /**
   * One statement, tried again after a transient error with bounded backoff. Safe to repeat even
   * when the lost connection had committed it: the upsert's merge rules and the outbox's
   * `on conflict do nothing` make a second application change nothing.
   */
  async function writeWithRetries(records: NormalizedInterception[]): Promise<RecordedInterception[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeInterceptions(sql, records, notifyPolicy);
      } catch (error) {
        if (attempt > writeRetries || !isTransientDatabaseError(error)) throw error;
        const delay = retryDelayMs(attempt, writeRetryBaseMs, writeRetryBaseMs * 2 ** writeRetries);
        log.warn({ err: error, attempt, delayMs: delay, size: records.length }, "database unavailable; retrying the batch");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function commitRound(round: Pending[]): Promise<void> {
    try {
      const started = performance.now();
      const stored = await writeWithRetries(round.map((p) => p.record));
      options.onCommit?.(round.length, (performance.now() - started) / 1000);
      const byKey = new Map(stored.map((s) => [keyOf(s), s]));
      for (const pending of round) pending.resolve(byKey.get(keyOf(pending.record))!);
    } catch (error) {
      if (round.length > 1 && isDataError(error)) {
        // One record's value failed the statement. Write the rest one by one so only that
        // record's caller sees the failure.
        log.warn({ err: error, size: round.length }, "batch rejected by the database; writing its records one by one");
        for (const pending of round) await commitRound([pending]);
        return;
      }
      const failure = toConnectError(error);
      log.error({ err: error, size: round.length, code: Code[failure.code] }, "interception batch failed");
      for (const pending of round) pending.reject(failure);
    }
  }

  return {
    write,
    queued: () => queue.length,
    close() {
      closing = true;
      if (queue.length > 0) start();
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => {
        drained = resolve;
      });
    },
  };
}

const keyOf = (r: { tenantId: string; id: string }) => `${r.tenantId}\u0000${r.id}`;

/**
 * Puts the k-th record of each (tenant, id) in round k: PostgreSQL refuses to update one row twice
 * in a statement, and this way a start and an end record sent together apply in the order they
 * arrived. Almost every batch is a single round.
 */
function splitRepeatedKeys(batch: Pending[]): Pending[][] {
  const seen = new Map<string, number>();
  const rounds: Pending[][] = [];
  for (const pending of batch) {
    const key = keyOf(pending.record);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(pending);
  }
  return rounds;
}

function toConnectError(error: unknown): ConnectError {
  if (isTransientDatabaseError(error)) {
    return new ConnectError("the database is unavailable; retry with backoff", Code.Unavailable);
  }
  return new ConnectError("the interception could not be stored", Code.Internal);
}
