import type { Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";
import { endedSql } from "../interception/interception-columns.js";
import { planWindow } from "../rollups/window-plan.js";
import { isoFromMicros } from "./micros.js";

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
  const bucketMicros = bucketSeconds * 1_000_000;
  const instants = (micros: bigint[]) => micros.map((m) => isoFromMicros(String(m)));
  const groups = await sql<{ bucket: number; provider: string; error_type: ErrorType | null; n: string }[]>`
    select bucket, provider, error_type, sum(n)::text as n
    from (
      select floor((extract(epoch from hour) * 1000000 - ${String(startMicros)}::numeric) / ${bucketMicros})::int as bucket,
             provider, nullif(error_type, '') as error_type, calls as n
      from interception_rollups
      where tenant_id = ${tenantId} and hour = any(${instants(plan.rollupHours)}::timestamptz[])
      union all
      select floor((extract(epoch from i.started_at) * 1000000 - ${String(startMicros)}::numeric) / ${bucketMicros})::int,
             i.provider, i.error_type, 1
      from unnest(${instants(plan.rawRanges.map(([from]) => from))}::timestamptz[],
                  ${instants(plan.rawRanges.map(([, to]) => to))}::timestamptz[]) as range (from_time, to_time)
      join interceptions i
        on i.tenant_id = ${tenantId} and i.started_at >= range.from_time and i.started_at < range.to_time
      where ${sql.unsafe(endedSql("i"))}
    ) as counted
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
