import type { Sql } from "postgres";
import type { ErrorType } from "../interception/error-type.js";
import type { KeySource } from "../interception/interception.js";
import { isoFromMicros } from "./micros.js";
import type { PagePosition } from "./page-token.js";
import { endedSql, STORED_COLUMNS } from "../interception/interception-columns.js";
import type { StoredRow } from "./stored-interception.js";

export type OutcomeFilter = "any" | "succeeded" | "failed" | "in_progress";

/** What to list. Instants are ISO strings with microseconds. */
export interface ListFilters {
  tenantId: string;
  startTime: string | null;
  endTime: string | null;
  provider: string | null;
  model: string | null;
  feature: string | null;
  keySource: KeySource | null;
  initiatorId: string | null;
  outcome: OutcomeFilter;
  errorTypes: ErrorType[];
}

/**
 * One page, newest first. Keyset pagination on (started_at, id), the order of the index
 * `interceptions_tenant_started_idx`: a page costs the same at any depth, and rows that arrive
 * while a client pages (newer, so before its position) never shift what comes next.
 * Returns the rows and the position after the last one when there is a further page.
 */
export async function listInterceptions(
  sql: Sql,
  filters: ListFilters,
  after: PagePosition | undefined,
  pageSize: number,
): Promise<{ rows: StoredRow[]; next: PagePosition | undefined }> {
  const f = filters;
  // Instants go in as text, cast in SQL: postgres.js sends a parameter it sees typed timestamptz
  // through a JS Date, which drops microseconds, and the cursor then skipped every row that
  // started earlier in the same millisecond as the page's last one.
  const rows = await sql<StoredRow[]>`
    select ${sql.unsafe(STORED_COLUMNS)}
    from interceptions
    where tenant_id = ${f.tenantId}
      ${f.startTime === null ? sql`` : sql`and started_at >= ${f.startTime}::text::timestamptz`}
      ${f.endTime === null ? sql`` : sql`and started_at < ${f.endTime}::text::timestamptz`}
      ${f.provider === null ? sql`` : sql`and provider = ${f.provider}`}
      ${f.model === null ? sql`` : sql`and model = ${f.model}`}
      ${f.feature === null ? sql`` : sql`and feature = ${f.feature}`}
      ${f.keySource === null ? sql`` : sql`and key_source = ${f.keySource}`}
      ${f.initiatorId === null ? sql`` : sql`and initiator_id = ${f.initiatorId}`}
      ${outcomeCondition(sql, f.outcome)}
      ${f.errorTypes.length === 0 ? sql`` : sql`and error_type = any(${f.errorTypes}::text[])`}
      ${after === undefined ? sql`` : sql`and (started_at, id) < (${after.startedAt}::text::timestamptz, ${after.id}::uuid)`}
    order by started_at desc, id desc
    limit ${pageSize + 1}`;
  if (rows.length <= pageSize) return { rows, next: undefined };
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1]!;
  return { rows: page, next: { startedAt: isoFromMicros(last.started_us), id: last.id } };
}

function outcomeCondition(sql: Sql, outcome: OutcomeFilter) {
  switch (outcome) {
    case "any":
      return sql``;
    case "failed":
      return sql`and error_type is not null`;
    case "succeeded":
      return sql`and error_type is null and ${sql.unsafe(endedSql())}`;
    case "in_progress":
      return sql`and not ${sql.unsafe(endedSql())}`;
  }
}
