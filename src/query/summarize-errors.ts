import type { Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";
import { endedSql } from "../interception/interception-columns.js";

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
 * one grouped query, then folds the groups into totals, per-provider counts and chart buckets.
 * The groups are few (buckets x providers x types) whatever the row count.
 */
export async function summarizeErrors(
  sql: Sql,
  tenantId: string,
  startMicros: bigint,
  endMicros: bigint,
  bucketSeconds: number,
): Promise<ErrorSummary> {
  const groups = await sql<{ bucket: number; provider: string; error_type: ErrorType | null; n: string }[]>`
    select floor((extract(epoch from started_at) * 1000000 - ${String(startMicros)}::numeric) / ${bucketSeconds * 1_000_000})::int as bucket,
           provider, error_type, count(*)::text as n
    from interceptions
    where tenant_id = ${tenantId}
      and started_at >= 'epoch'::timestamptz + ${String(startMicros)}::bigint * interval '1 microsecond'
      and started_at < 'epoch'::timestamptz + ${String(endMicros)}::bigint * interval '1 microsecond'
      and ${sql.unsafe(endedSql())}
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
