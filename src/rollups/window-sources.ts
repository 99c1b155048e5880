import type { Fragment, ISql } from "postgres";
import { isoFromMicros } from "../query/micros.js";
import type { WindowPlan } from "./window-plan.js";

// Past this many raw ranges, one scan of their span less the rolled-up hours beats an arm each.
const MAX_RAW_RANGES = 8;

/**
 * A window plan as SQL conditions: one on a rollup table's `hour` for the hours the rollups
 * answer, and one on `started_at` per raw range for the rest. A summary reads each source in an arm
 * of its own (`union all`), aggregated on its own, so each gets its own plan: the rollups by key,
 * each raw range by the (tenant_id, started_at) index of just its days. Windows cut into many
 * ranges (hourly buckets off the hour) are read as one range less the rolled-up hours.
 */
export interface WindowSources {
  /** Absent when no hour is read from the rollups. */
  rollupHours?: Fragment;
  rawRanges: Fragment[];
}

export function windowSources(sql: ISql, plan: WindowPlan): WindowSources {
  const instant = (micros: bigint) => isoFromMicros(String(micros));
  const hours = plan.rollupHours;
  const sources: WindowSources = { rawRanges: [] };
  if (hours.length > 0) sources.rollupHours = instantsCondition(sql, "hour", hours);
  const ranges = plan.rawRanges;
  if (ranges.length <= MAX_RAW_RANGES) {
    sources.rawRanges = ranges.map(([from, to]) => sql`started_at >= ${instant(from)} and started_at < ${instant(to)}`);
  } else {
    sources.rawRanges = [
      sql`started_at >= ${instant(ranges[0]![0])} and started_at < ${instant(ranges.at(-1)![1])}
          and date_trunc('hour', started_at, 'UTC') <> all(${hours.map(instant)}::timestamptz[])`,
    ];
  }
  return sources;
}

const STEP_MICROS = { hour: 3_600_000_000n, day: 86_400_000_000n } as const;

/**
 * `column` is one of `instants` (microseconds, ascending, at least one, each the start of an hour
 * or of a UTC day): as a range, so the planner reads the rollup's key range of the window, and
 * where the instants leave gaps in it, the list too. The list only where needed: a prepared
 * statement's generic plan compares each row with the list one element at a time, and a month's
 * 720 hours made that most of a month's overview (55 ms against 10 for the range alone, summing
 * interception_rollups over 10,000,000 interceptions).
 */
export function instantsCondition(sql: ISql, column: "hour" | "day", instants: readonly bigint[]): Fragment {
  const instant = (micros: bigint) => isoFromMicros(String(micros));
  const range = sql`${sql(column)} >= ${instant(instants[0]!)} and ${sql(column)} <= ${instant(instants.at(-1)!)}`;
  if (isContiguous(instants, STEP_MICROS[column])) return range;
  return sql`${range} and ${sql(column)} = any(${instants.map(instant)}::timestamptz[])`;
}

/** Whether each instant is one step after the one before it: the range holds exactly these. */
export function isContiguous(instants: readonly bigint[], step: bigint): boolean {
  for (let i = 1; i < instants.length; i++) if (instants[i]! - instants[i - 1]! !== step) return false;
  return true;
}
