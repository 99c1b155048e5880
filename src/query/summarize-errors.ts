import type { Fragment, Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";
import { endedSql } from "../interception/interception-columns.js";
import { planWindow } from "../rollups/window-plan.js";
import { windowSources } from "../rollups/window-sources.js";

export interface ErrorCountsSummary {
  total: number;
  failed: number;
  byErrorType: Map<ErrorType, number>;
}

export interface ErrorSummary {
  totals: ErrorCountsSummary;
  byProvider: Map<string, ErrorCountsSummary>;
  /** One per bucket of the window, oldest first, empty ones included. */
  buckets: ErrorCountsSummary[];
}

/**
 * Counts the tenant's ended interceptions in [start, end) by bucket, provider and error type in
 * one grouped statement, then folds the groups into totals, per-provider counts and chart buckets.
 * Whole hours come from the hourly rollups and the rest from the raw rows (`planWindow`), so the
 * cost follows the window's hours, not its rows; the groups are few (buckets x providers x types).
 */
export async function summarizeErrors(
  sql: Sql,
  tenantId: string,
  startMicros: bigint,
  endMicros: bigint,
  bucketSeconds: number,
): Promise<ErrorSummary> {
  const plan = planWindow(startMicros, endMicros, bucketSeconds);
  const bucketOf = (column: string) =>
    sql`floor((extract(epoch from ${sql.unsafe(column)}) * 1000000 - ${String(startMicros)}::numeric) / ${bucketSeconds * 1_000_000})::int`;
  const ended = sql.unsafe(endedSql());
  const rawArm = (range: Fragment) => sql`
    select ${bucketOf("started_at")} as bucket, provider, error_type, count(*) as n
    from interceptions where tenant_id = ${tenantId} and ${range} and ${ended}
    group by 1, 2, 3`;

  const sources = windowSources(sql, tenantId, plan);
  const arms: Fragment[] = sources.rawRanges.map(rawArm);
  if (sources.rollupHours !== undefined) {
    arms.unshift(sql`
      select ${bucketOf("hour")} as bucket, provider, nullif(error_type, '') as error_type, sum(calls) as n
      from interception_rollups_live
      where tenant_id = ${tenantId} and ${sources.rollupHours}
      group by 1, 2, 3`);
  }
  const groups =
    arms.length === 0
      ? []
      : await sql<{ bucket: number; provider: string; error_type: ErrorType | null; n: string }[]>`
          select bucket, provider, error_type, sum(n)::text as n
          from (${arms.reduce((union, arm) => sql`${union} union all ${arm}`)}) as counted
          group by 1, 2, 3`;
  const bucketCount = Number((endMicros - startMicros + BigInt(bucketSeconds * 1_000_000) - 1n) / BigInt(bucketSeconds * 1_000_000));
  const summary: ErrorSummary = {
    totals: emptyCounts(),
    byProvider: new Map(),
    buckets: Array.from({ length: bucketCount }, emptyCounts),
  };
  for (const group of groups) {
    const n = Number(group.n);
    let provider = summary.byProvider.get(group.provider);
    if (provider === undefined) summary.byProvider.set(group.provider, (provider = emptyCounts()));
    for (const counts of [summary.totals, provider, summary.buckets[group.bucket]]) {
      if (counts === undefined) continue;
      counts.total += n;
      if (group.error_type !== null) {
        counts.failed += n;
        counts.byErrorType.set(group.error_type, (counts.byErrorType.get(group.error_type) ?? 0) + n);
      }
    }
  }
  return summary;
}

function emptyCounts(): ErrorCountsSummary {
  return { total: 0, failed: 0, byErrorType: new Map() };
}
