import type { NormalizedInterception } from "./interception.js";

/**
 * The columns of `interceptions` that records write, in one list: the recorder's upsert builds its
 * insert list, its `unnest` and its merge rules from it, and the query API its select list. A column
 * added here is written, merged and read back; one added only to SQL is not.
 */
export interface InterceptionColumn {
  /** The SQL column, and the name the column has in every statement. */
  name: string;
  /** Its SQL type: values travel as JSON text (jsonb as JSON) and are cast to it. */
  type: "text" | "uuid" | "timestamptz" | "boolean" | "bigint" | "integer" | "jsonb";
  /** The value a normalised interception writes (for jsonb, the object). */
  value: (interception: NormalizedInterception) => string | number | bigint | boolean | Record<string, string> | null;
  /**
   * How a record merges into a stored row, as an SQL expression over the stored value `i.name` and
   * the incoming `excluded.name`; absent for the key and for values fixed by the first record.
   */
  merge?: Merge;
}

type Merge = (stored: string, incoming: string) => string;

/**
 * The merge rules, which make a retried or reordered record harmless:
 * - `fill`: descriptive text fills in when empty; an existing value is kept.
 * - `outcome`: the end, usage, cost, error and upstream facts. Before the interception has ended
 *   (`endedSql`: it has `ended_at` or an `error_type`), the incoming record's value wins, so an
 *   end record completes a start record; once it has ended they never change.
 */
const fill: Merge = (stored, incoming) => `coalesce(nullif(${stored}, ''), ${incoming})`;
const fillNull: Merge = (stored, incoming) => `coalesce(${stored}, ${incoming})`;
const outcome: Merge = (stored, incoming) => `case when ${endedSql("i")} then ${stored} else ${incoming} end`;

/**
 * "This interception has ended": it has an end time or a failure. The one statement of the rule,
 * for every query that asks it (the merge above, the query API's outcome, summaries, filters), as
 * an SQL expression over the row aliased `alias`. An expression rather than a generated column, so
 * adding it rewrote no table.
 */
export function endedSql(alias?: string): string {
  const row = alias === undefined ? "" : `${alias}.`;
  return `(${row}ended_at is not null or ${row}error_type is not null)`;
}

export const INTERCEPTION_COLUMNS: readonly InterceptionColumn[] = [
  // The key: records merge on (tenant_id, id, started_at). started_at is the partition key, and a
  // partitioned table's unique keys must contain it (migration 000006).
  { name: "tenant_id", type: "text", value: (r) => r.tenantId },
  { name: "id", type: "uuid", value: (r) => r.id },
  { name: "started_at", type: "timestamptz", value: (r) => r.startedAt },
  // Fixed by the first record: a provider is part of what the interception is.
  { name: "provider", type: "text", value: (r) => r.provider },
  { name: "initiator_id", type: "text", value: (r) => r.initiatorId, merge: fill },
  { name: "model", type: "text", value: (r) => r.model, merge: fill },
  { name: "feature", type: "text", value: (r) => r.feature, merge: fill },
  { name: "client", type: "text", value: (r) => r.client, merge: fill },
  {
    name: "key_source",
    type: "text",
    value: (r) => r.keySource,
    merge: (stored, incoming) => `case when ${stored} = 'unspecified' then ${incoming} else ${stored} end`,
  },
  { name: "thread_root_id", type: "uuid", value: (r) => r.threadRootId, merge: fillNull },
  { name: "thread_parent_id", type: "uuid", value: (r) => r.threadParentId, merge: fillNull },
  { name: "streaming", type: "boolean", value: (r) => r.streaming, merge: (stored, incoming) => `${stored} or ${incoming}` },
  // Metadata keys fill in; a stored key keeps its value.
  { name: "metadata", type: "jsonb", value: (r) => r.metadata, merge: (stored, incoming) => `${incoming} || ${stored}` },
  { name: "ended_at", type: "timestamptz", value: (r) => r.endedAt, merge: outcome },
  { name: "input_tokens", type: "bigint", value: (r) => r.inputTokens, merge: outcome },
  { name: "output_tokens", type: "bigint", value: (r) => r.outputTokens, merge: outcome },
  { name: "cache_read_tokens", type: "bigint", value: (r) => r.cacheReadTokens, merge: outcome },
  { name: "cache_write_tokens", type: "bigint", value: (r) => r.cacheWriteTokens, merge: outcome },
  { name: "cost_micros", type: "bigint", value: (r) => r.costMicros, merge: outcome },
  { name: "error_type", type: "text", value: (r) => r.errorType, merge: outcome },
  { name: "error_message", type: "text", value: (r) => r.errorMessage, merge: outcome },
  { name: "error_message_truncated", type: "boolean", value: (r) => r.errorMessageTruncated, merge: outcome },
  { name: "error_message_bytes", type: "integer", value: (r) => r.errorMessageBytes, merge: outcome },
  { name: "provider_code", type: "text", value: (r) => r.providerCode, merge: outcome },
  // Part of the failure, so it merges like the failure: the ending record's hint, then frozen.
  { name: "retry_after_ms", type: "bigint", value: (r) => r.retryAfterMs, merge: outcome },
  { name: "upstream_http_status", type: "integer", value: (r) => r.upstream?.httpStatus ?? null, merge: outcome },
  { name: "upstream_body", type: "text", value: (r) => r.upstream?.body ?? null, merge: outcome },
  { name: "upstream_error_name", type: "text", value: (r) => r.upstream?.errorName ?? null, merge: outcome },
  { name: "upstream_code", type: "text", value: (r) => r.upstream?.code ?? null, merge: outcome },
];

/** `name = <merge rule>, ...` for ON CONFLICT DO UPDATE, with the stored row aliased `i`. */
export const MERGE_ASSIGNMENTS = INTERCEPTION_COLUMNS.flatMap((c) =>
  c.merge === undefined ? [] : [`${c.name} = ${c.merge(`i.${c.name}`, `excluded.${c.name}`)}`],
).join(",\n      ");

/**
 * The select list the query API reads, with every timestamp as microseconds since the epoch in a
 * `<name minus _at>_us` column: postgres.js would turn a timestamptz into a Date and lose its
 * microseconds, which page tokens must not. Adds recorded_at, which the database sets, and ended.
 */
export const STORED_COLUMNS = [...INTERCEPTION_COLUMNS, { name: "recorded_at", type: "timestamptz" }]
  .map((c) => (c.type === "timestamptz" ? `(extract(epoch from ${c.name}) * 1000000)::bigint::text as ${c.name.replace(/_at$/, "_us")}` : c.name))
  .concat(`${endedSql()} as ended`)
  .join(", ");
