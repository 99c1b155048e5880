import type { Sql } from "postgres";
import { isMissingPartitionError } from "../db/database-error.js";
import type { ErrorType } from "../interception/error-type.js";
import type { InterceptionRecord, Outcome, RecordedInterception } from "../interception/interception-record.js";
import type { NotifyPolicy } from "../notifier/notify-policy.js";
import { ensureInterceptionPartitions } from "../retention/interception-partitions.js";

/**
 * Upserts interceptions in one statement: every column is passed as one array parameter and
 * `unnest`ed, so a batch of any size is one round trip with 30 parameters (postgres.js caps a
 * statement at 65534 parameters; one placeholder per value would cap a batch at ~2400 rows).
 *
 * The merge rules make a retried or reordered record harmless:
 * - An interception has *ended* once it has `ended_at` or an `error_type` (the repeated
 *   `i.ended_at is not null or i.error_type is not null`). Once ended, its outcome columns (end,
 *   usage, cost, error, upstream facts) never change again.
 * - Before that, the incoming record's outcome columns win: an end record completes a start record.
 * - Descriptive columns fill in when empty; existing values are kept. Metadata keys fill in.
 * - Records merge on (tenant_id, id, started_at): `started_at` is the partition key, and a
 *   partitioned table's unique keys must contain it (migration 000006).
 *
 * One statement is one transaction: the batch is stored whole or not at all, together with the
 * notification events it creates. A row that this statement leaves as a failure the user can fix
 * (`policy`, with a known initiator) gets one row in `notification_outbox`. The outbox is keyed by
 * the interception and the insert skips an existing event, so an event is created by the statement
 * that first makes the interception actionable (a new failed row, an in-progress row ended with a
 * failure, or a failed row whose BYOK key source or initiator arrives in a later record) and by no
 * later one: a retried failure finds its event there and adds nothing. That stays exact when two
 * batches write the same interception at once, where comparing with the row as this statement's
 * snapshot saw it would not (the snapshot can predate a concurrent commit).
 *
 * A record whose day has no partition yet (a backfill, or a day already pruned) fails the statement;
 * the missing days are created and the statement runs once more. Partitions for the coming days
 * are made ahead of time by the server (src/retention/), so the write path rarely pays for DDL.
 *
 * Precondition: no (tenant_id, id) appears twice in `records` (PostgreSQL refuses to update one row
 * twice in a statement). The batch writer splits duplicates into separate statements.
 */
export async function writeInterceptions(
  sql: Sql,
  records: readonly InterceptionRecord[],
  policy: NotifyPolicy,
): Promise<RecordedInterception[]> {
  try {
    return await upsertInterceptions(sql, records, policy);
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    await ensureInterceptionPartitions(sql, [...new Set(records.map((r) => r.startedAt.slice(0, 10)))]);
    return upsertInterceptions(sql, records, policy);
  }
}

async function upsertInterceptions(
  sql: Sql,
  records: readonly InterceptionRecord[],
  policy: NotifyPolicy,
): Promise<RecordedInterception[]> {
  // Every column travels as text[] and is cast in the SELECT. postgres.js otherwise serialises a
  // parameter by the type the server infers for it: an array of JS booleans is sent as a scalar
  // bool, the string "true" becomes false in a bool[], and a timestamptz[] loses microseconds.
  const column = (pick: (r: InterceptionRecord) => string | number | bigint | boolean | null) =>
    records.map((r) => {
      const value = pick(r);
      return value === null ? null : String(value);
    });
  const rows = await sql<ReturnedRow[]>`
    with written as (
    insert into interceptions as i (
      tenant_id, id, initiator_id, provider, model, feature, key_source, client,
      thread_root_id, thread_parent_id, started_at, ended_at, streaming,
      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, metadata,
      error_type, error_message, error_message_truncated, error_message_bytes, provider_code,
      upstream_http_status, upstream_body, upstream_error_name, upstream_code
    )
    select
      tenant_id, id::uuid, initiator_id, provider, model, feature, key_source, client,
      thread_root_id::uuid, thread_parent_id::uuid, started_at::timestamptz, ended_at::timestamptz,
      streaming::boolean, input_tokens::bigint, output_tokens::bigint, cache_read_tokens::bigint,
      cache_write_tokens::bigint, cost_micros::bigint, metadata::jsonb,
      error_type, error_message, error_message_truncated::boolean, error_message_bytes::integer, provider_code,
      upstream_http_status::integer, upstream_body, upstream_error_name, upstream_code
    from unnest(
      ${column((r) => r.tenantId)}::text[],
      ${column((r) => r.id)}::text[],
      ${column((r) => r.initiatorId)}::text[],
      ${column((r) => r.provider)}::text[],
      ${column((r) => r.model)}::text[],
      ${column((r) => r.feature)}::text[],
      ${column((r) => r.keySource)}::text[],
      ${column((r) => r.client)}::text[],
      ${column((r) => r.threadRootId)}::text[],
      ${column((r) => r.threadParentId)}::text[],
      ${column((r) => r.startedAt)}::text[],
      ${column((r) => r.endedAt)}::text[],
      ${column((r) => r.streaming)}::text[],
      ${column((r) => r.inputTokens)}::text[],
      ${column((r) => r.outputTokens)}::text[],
      ${column((r) => r.cacheReadTokens)}::text[],
      ${column((r) => r.cacheWriteTokens)}::text[],
      ${column((r) => r.costMicros)}::text[],
      ${column((r) => JSON.stringify(r.metadata))}::text[],
      ${column((r) => r.errorType)}::text[],
      ${column((r) => r.errorMessage)}::text[],
      ${column((r) => r.errorMessageTruncated)}::text[],
      ${column((r) => r.errorMessageBytes)}::text[],
      ${column((r) => r.providerCode)}::text[],
      ${column((r) => r.upstream?.httpStatus ?? null)}::text[],
      ${column((r) => r.upstream?.body ?? null)}::text[],
      ${column((r) => r.upstream?.errorName ?? null)}::text[],
      ${column((r) => r.upstream?.code ?? null)}::text[]
    ) as incoming (
      tenant_id, id, initiator_id, provider, model, feature, key_source, client,
      thread_root_id, thread_parent_id, started_at, ended_at, streaming,
      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, metadata,
      error_type, error_message, error_message_truncated, error_message_bytes, provider_code,
      upstream_http_status, upstream_body, upstream_error_name, upstream_code
    )
    on conflict (tenant_id, id, started_at) do update set
      initiator_id = coalesce(nullif(i.initiator_id, ''), excluded.initiator_id),
      model = coalesce(nullif(i.model, ''), excluded.model),
      feature = coalesce(nullif(i.feature, ''), excluded.feature),
      client = coalesce(nullif(i.client, ''), excluded.client),
      key_source = case when i.key_source = 'unspecified' then excluded.key_source else i.key_source end,
      thread_root_id = coalesce(i.thread_root_id, excluded.thread_root_id),
      thread_parent_id = coalesce(i.thread_parent_id, excluded.thread_parent_id),
      streaming = i.streaming or excluded.streaming,
      metadata = excluded.metadata || i.metadata,
      ended_at = case when (i.ended_at is not null or i.error_type is not null) then i.ended_at else excluded.ended_at end,
      input_tokens = case when (i.ended_at is not null or i.error_type is not null) then i.input_tokens else excluded.input_tokens end,
      output_tokens = case when (i.ended_at is not null or i.error_type is not null) then i.output_tokens else excluded.output_tokens end,
      cache_read_tokens = case when (i.ended_at is not null or i.error_type is not null) then i.cache_read_tokens else excluded.cache_read_tokens end,
      cache_write_tokens = case when (i.ended_at is not null or i.error_type is not null) then i.cache_write_tokens else excluded.cache_write_tokens end,
      cost_micros = case when (i.ended_at is not null or i.error_type is not null) then i.cost_micros else excluded.cost_micros end,
      error_type = case when (i.ended_at is not null or i.error_type is not null) then i.error_type else excluded.error_type end,
      error_message = case when (i.ended_at is not null or i.error_type is not null) then i.error_message else excluded.error_message end,
      error_message_truncated = case when (i.ended_at is not null or i.error_type is not null) then i.error_message_truncated else excluded.error_message_truncated end,
      error_message_bytes = case when (i.ended_at is not null or i.error_type is not null) then i.error_message_bytes else excluded.error_message_bytes end,
      provider_code = case when (i.ended_at is not null or i.error_type is not null) then i.provider_code else excluded.provider_code end,
      upstream_http_status = case when (i.ended_at is not null or i.error_type is not null) then i.upstream_http_status else excluded.upstream_http_status end,
      upstream_body = case when (i.ended_at is not null or i.error_type is not null) then i.upstream_body else excluded.upstream_body end,
      upstream_error_name = case when (i.ended_at is not null or i.error_type is not null) then i.upstream_error_name else excluded.upstream_error_name end,
      upstream_code = case when (i.ended_at is not null or i.error_type is not null) then i.upstream_code else excluded.upstream_code end,
      updated_at = now()
    -- created: the row was inserted by this statement. xmax = 0 would say so on a plain table,
    -- but a partitioned table's RETURNING cannot read system columns; recorded_at defaults to
    -- now(), the transaction's start, which an update never changes. (Of two transactions that
    -- start in the same microsecond and write the same key, the second would also report
    -- created; nothing else depends on the flag.)
    returning
      i.tenant_id, i.id, (i.recorded_at = now()) as created, i.ended_at is not null as ended,
      i.error_type, i.error_message_truncated, i.error_message_bytes, i.provider_code,
      i.key_source, i.initiator_id, i.provider
    ),
    events as (
      insert into notification_outbox (tenant_id, interception_id, user_id, provider, reason)
      select tenant_id, id, initiator_id, provider, error_type
      from written
      where key_source = any(${[...policy.keySources]}::text[])
        and error_type = any(${[...policy.errorTypes]}::text[])
        and initiator_id <> ''
      on conflict (tenant_id, interception_id) do nothing
    )
    select
      tenant_id, id, created, ended, error_type, error_message_truncated, error_message_bytes, provider_code
    from written
  `;
  return rows.map(toStored);
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
}

function toStored(row: ReturnedRow): RecordedInterception {
  const outcome: Outcome = row.error_type !== null ? "failed" : row.ended ? "succeeded" : "in_progress";
  return {
    tenantId: row.tenant_id,
    id: row.id,
    created: row.created,
    outcome,
    errorType: row.error_type,
    errorMessageTruncated: row.error_message_truncated,
    errorMessageBytes: row.error_message_bytes,
    providerCode: row.provider_code,
  };
}
