import type { Fragment, ISql } from "postgres";
import { isoFromMicros } from "../query/micros.js";
import type { WindowPlan } from "./window-plan.js";

// Past this many raw ranges, one scan of their span less the rolled-up hours beats an arm each.
const MAX_RAW_RANGES = 8;

/**
 * A window plan as SQL conditions: on a rollup table's `hour` for the hours the rollups answer, and
 * one on `started_at` per raw range for the rest. A summary reads each source in an arm of its own
 * (`union all`), aggregated on its own, so each gets its own plan: the rollups by key, each raw
 * range by the (tenant_id, started_at) index of just its days. Windows cut into many ranges (hourly
 * buckets off the hour) are read as one range less the rolled-up hours.
 */
export interface WindowSources {
  /**
   * The rolled-up hours of the tenant in a rollup keyed by (tenant_id, hour, ...), as a range of
   * that key; absent when no hour is read from the rollups.
   */
  rollupHours?: Fragment;
  /** The same hours in interception_dimension_rollups, whose key has the value before the hour. */
  valueRollupHours?: Fragment;
  rawRanges: Fragment[];
}

export function windowSources(sql: ISql, tenantId: string, plan: WindowPlan): WindowSources {
  const instant = (micros: bigint) => isoFromMicros(String(micros));
  const hours = plan.rollupHours;
  const sources: WindowSources = { rawRanges: [] };
  if (hours.length > 0) {
    sources.rollupHours = instantsCondition(sql, "hour", hours, tenantId);
    sources.valueRollupHours = instantsCondition(sql, "hour", hours);
  }
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
 * or of a UTC day). As a range, so the planner reads the rollup's key range of the window; with
 * `tenantId`, as the range of a key that begins (tenant_id, column), which the key's B-tree serves
 * and the BRIN index on the column alone (kept for prune) cannot: on the column's own range the
 * planner took the BRIN index and read every tenant's rows of the window (a week's equivalence
 * check in GetOverview: 43 ms against 13 through the key, 10,000,000 interceptions).
 *
 * The list of instants only where the range has gaps: a prepared statement's generic plan
 * compares each row with the list element by element, and a month's 720 hours made that most of
 * a month's read (summing interception_rollups for 30 days: 55 ms with the list, 10 without).
 */
export function instantsCondition(sql: ISql, column: "hour" | "day", instants: readonly bigint[], tenantId?: string): Fragment {
  const instant = (micros: bigint) => isoFromMicros(String(micros));
  const [first, last] = [instant(instants[0]!), instant(instants.at(-1)!)];
  const range =
    tenantId === undefined
      ? sql`${sql(column)} >= ${first} and ${sql(column)} <= ${last}`
      : sql`(tenant_id, ${sql(column)}) >= (${tenantId}, ${first}::timestamptz) and (tenant_id, ${sql(column)}) <= (${tenantId}, ${last}::timestamptz)`;
  if (isContiguous(instants, STEP_MICROS[column])) return range;
  return sql`${range} and ${sql(column)} = any(${instants.map(instant)}::timestamptz[])`;
}

/** Whether each instant is one step after the one before it: the range holds exactly these. */
function isContiguous(instants: readonly bigint[], step: bigint): boolean {
  for (let i = 1; i < instants.length; i++) if (instants[i]! - instants[i - 1]! !== step) return false;
  return true;
}
