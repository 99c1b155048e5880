import type { Sql } from "postgres";
import { isMissingPartitionError } from "../db/database-error.js";
import type { ErrorType } from "../interception/error-type.js";
import { endedSql, INTERCEPTION_COLUMNS, MERGE_ASSIGNMENTS } from "../interception/interception-columns.js";
import { type NormalizedInterception, outcomeOf, type RecordedInterception } from "../interception/interception.js";
import { enqueueEvents } from "../outbox/enqueue-events.js";
import type { NotifyPolicy } from "../outbox/notify-policy.js";
import { ensureInterceptionPartitions } from "../retention/interception-partitions.js";

/**
 * Upserts interceptions in one statement: the batch is one jsonb parameter, an array of rows, each
 * an array of the columns (INTERCEPTION_COLUMNS) in order, so a batch of any size is one round
 * trip with one parameter (postgres.js caps a statement at 65534 parameters; one placeholder per
 * value would cap a batch at ~2400 rows). The merge rules are written beside the columns.
 *
 * One statement is one transaction: the batch is stored whole or not at all, together with the
 * notification events it creates (src/outbox/enqueue-events.ts).
 *
 * A record whose day has no partition yet (a backfill, or a day already pruned) fails the statement;
 * the missing days are created and the statement runs once more. Partitions for the coming days
 * are made ahead of time by the server (src/retention/), so the write path rarely pays for DDL.
 *
 * Precondition: no (tenant_id, id) appears twice in `interceptions` (PostgreSQL refuses to update
 * one row twice in a statement). The batch writer splits duplicates into separate statements.
 */
export async function writeInterceptions(
  sql: Sql,
  interceptions: readonly NormalizedInterception[],
  policy: NotifyPolicy,
): Promise<RecordedInterception[]> {
  try {
    return await upsertInterceptions(sql, interceptions, policy);
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    await ensureInterceptionPartitions(sql, [...new Set(interceptions.map((r) => r.startedAt.slice(0, 10)))]);
    return upsertInterceptions(sql, interceptions, policy);
  }
}

// Constant SQL built once from the column list; only the batch is a parameter. Each row's
// values are read by position: `e->>i` is the text of a scalar (null for JSON null), cast to the
// column's type; a jsonb column takes its element as it is.
const NAMES = INTERCEPTION_COLUMNS.map((c) => c.name).join(", ");
const ELEMENTS = INTERCEPTION_COLUMNS.map((c, i) => (c.type === "jsonb" ? `e->${i}` : `(e->>${i})::${c.type}`)).join(", ");
const ENDED = endedSql("i");

async function upsertInterceptions(
  sql: Sql,
  interceptions: readonly NormalizedInterception[],
  policy: NotifyPolicy,
): Promise<RecordedInterception[]> {
  // Scalars travel as JSON strings, parsed by PostgreSQL's own input for the column's type: exact
  // for microsecond timestamps and 64-bit integers, which JSON numbers are not. One JSON.stringify
  // and one jsonb parse cost less on both sides than 28 text[] parameters, each escaped element by
  // element by postgres.js (in one run of bench/write-path.ts at 500 rows a batch: client 6.5 ->
  // 5.3 us a record, PostgreSQL backend 17.6 -> 15.3 us).
  const values = interceptions.map((r) =>
    INTERCEPTION_COLUMNS.map((c) => {
      const value = c.value(r);
      return value === null || typeof value === "object" ? value : jsonString(value);
    }),
  );
  const batch = JSON.stringify(values);
  const rows = await sql<ReturnedRow[]>`
    with written as (
      insert into interceptions as i (${sql.unsafe(NAMES)})
      select ${sql.unsafe(ELEMENTS)}
      from jsonb_array_elements(${batch}::text::jsonb) as e
      on conflict (tenant_id, id, started_at) do update set
      ${sql.unsafe(MERGE_ASSIGNMENTS)},
      updated_at = now()
      -- created: the row was inserted by this statement. xmax = 0 would say so on a plain table,
      -- but a partitioned table's RETURNING cannot read system columns; recorded_at defaults to
      -- now(), the transaction's start, which an update never changes. (Of two transactions that
      -- start in the same microsecond and write the same key, the second would also report
      -- created; nothing else depends on the flag.)
      returning
        i.tenant_id, i.id, (i.recorded_at = now()) as created, ${sql.unsafe(ENDED)} as ended, i.error_type, i.error_message_truncated,
        i.error_message_bytes, i.provider_code, i.retry_after_ms, i.key_source, i.initiator_id, i.provider
    ),
    events as (${enqueueEvents(sql, "written", policy)})
    select tenant_id, id, created, ended, error_type, error_message_truncated, error_message_bytes, provider_code,
      retry_after_ms
    from written
  `;
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    id: row.id,
    created: row.created,
    outcome: outcomeOf(row.error_type, row.ended),
    errorType: row.error_type,
    errorMessageTruncated: row.error_message_truncated,
    errorMessageBytes: row.error_message_bytes,
    providerCode: row.provider_code,
    // bigint arrives as a string; the hint is at most 86,400,000, well inside a double.
    retryAfterMs: row.retry_after_ms === null ? null : Number(row.retry_after_ms),
  }));
}

/**
 * A scalar as the JSON string PostgreSQL reads it from. jsonb refuses a lone UTF-16 surrogate,
 * which JSON.stringify would write as an escape; text parameters sent it as U+FFFD (UTF-8
 * encoding does), and so does this. Free text is already storable (storableText); identifiers
 * are validated but may hold one.
 */
function jsonString(value: string | number | bigint | boolean): string {
  const text = String(value);
  return text.isWellFormed() ? text : text.toWellFormed();
}

interface ReturnedRow {
  tenant_id: string;
  id: string;
  created: boolean;
  ended: boolean;
  error_type: ErrorType | null;
  error_message_truncated: boolean;
  error_message_bytes: number;
  provider_code: string | null;
  retry_after_ms: string | null;
}
