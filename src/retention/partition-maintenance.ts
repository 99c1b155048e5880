import type { Sql } from "postgres";
import type { Logger } from "pino";
import { DAY_MS, daysBetween, ensureInterceptionPartitions } from "./interception-partitions.js";
import { prune } from "./prune.js";
import { type RetentionPeriod, retentionCutoff } from "./retention-period.js";

export interface PartitionMaintenanceOptions {
  sql: Sql;
  log: Logger;
  /** Unset: data is kept for good and nothing is pruned. */
  retention: RetentionPeriod | undefined;
  /** How often to run after the first time. */
  intervalMs: number;
  now?: () => Date;
  /** Told about every prune that removed something (for metrics). */
  onPruned?: (days: number) => void;
}

export interface PartitionMaintenance {
  /** Waits for a run in progress, then stops the schedule. */
  stop(): Promise<void>;
}

/**
 * Partitions are made this many days ahead: the recorder refuses `started_at` more than a day in
 * the future, so a week ahead means writes never wait for DDL even if maintenance stops for days.
 */
export const PARTITION_DAYS_AHEAD = 7;

/**
 * The server's housekeeping for `interceptions`: creates the partitions of yesterday to a week
 * ahead and, with a retention period, prunes what is past it. Runs once now (the partitions are
 * awaited, so the server starts with somewhere to write; a prune is not, as it can wait on long
 * queries) and then every `intervalMs`. Every replica may run it: creating partitions is
 * idempotent and one prune runs at a time (see prune.ts). A failed run is logged and retried at the
 * next interval; writes do not depend on it, as a missing day is created on demand.
 */
export async function startPartitionMaintenance(options: PartitionMaintenanceOptions): Promise<PartitionMaintenance> {
  const { sql, log, retention, intervalMs, now = () => new Date(), onPruned } = options;
  let running: Promise<void>;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function ensureAhead(): Promise<void> {
    const today = now();
    const created = await ensureInterceptionPartitions(
      sql,
      daysBetween(new Date(today.getTime() - DAY_MS), new Date(today.getTime() + PARTITION_DAYS_AHEAD * DAY_MS)),
    );
    if (created > 0) log.info({ created }, "interception partitions created");
  }

  async function pruneExpired(): Promise<void> {
    if (retention === undefined) return;
    const result = await prune(sql, { cutoff: retentionCutoff(retention, now()) });
    if (result.skipped) return;
    if (result.days.length > 0 || result.rollupRows > 0 || result.outboxEvents > 0 || result.deliveries > 0) {
      onPruned?.(result.days.length);
      log.info(
        {
          days: result.days,
          rollupRows: result.rollupRows,
          outboxEvents: result.outboxEvents,
          deliveries: result.deliveries,
          retentionDays: retention.days,
        },
        "pruned data past retention",
      );
    }
  }

  // After each run, the next is `intervalMs` later; runs never overlap.
  function scheduleAfter(run: Promise<void>): void {
    running = run.catch((error: unknown) => log.error({ err: error }, "partition maintenance failed; trying again at the next interval"));
    void running.then(() => {
      if (stopped) return;
      timer = setTimeout(() => scheduleAfter(ensureAhead().then(pruneExpired)), intervalMs).unref();
    });
  }

  await ensureAhead();
  scheduleAfter(pruneExpired());

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
