import type { MessageInitShape } from "@bufbuild/protobuf";
import type { StoredInterceptionSchema } from "../../gen/bridgelog/v1/query_service_pb.js";
import type { ErrorType } from "../interception/error-type.js";
import { type KeySource, outcomeOf } from "../interception/interception.js";
import { toProtoErrorType, toProtoKeySource, toProtoOutcome } from "../interception/proto-enums.js";
import { timestampFromMicros } from "./micros.js";

/** A row as queries select it, by STORED_COLUMNS (src/interception/interception-columns.ts). */
export interface StoredRow {
  tenant_id: string;
  id: string;
  initiator_id: string;
  provider: string;
  model: string;
  feature: string;
  key_source: KeySource;
  client: string;
  thread_root_id: string | null;
  thread_parent_id: string | null;
  started_us: string;
  ended_us: string | null;
  recorded_us: string;
  streaming: boolean;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_micros: string;
  metadata: Record<string, string>;
  error_type: ErrorType | null;
  error_message: string | null;
  error_message_truncated: boolean;
  error_message_bytes: number;
  provider_code: string | null;
  /** bigint, which postgres.js reads as text. */
  retry_after_ms: string | null;
  upstream_http_status: number | null;
  upstream_body: string | null;
  upstream_error_name: string | null;
  upstream_code: string | null;
  ended: boolean;
}

/**
 * A row as the query API shows it. The error is nested: type and message together, or, for an
 * interception that did not fail, no error at all.
 */
export function toStoredInterception(row: StoredRow): MessageInitShape<typeof StoredInterceptionSchema> {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    initiatorId: row.initiator_id,
    provider: row.provider,
    model: row.model,
    feature: row.feature,
    keySource: toProtoKeySource(row.key_source),
    client: row.client,
    threadRootId: row.thread_root_id ?? undefined,
    threadParentId: row.thread_parent_id ?? undefined,
    startedAt: timestampFromMicros(row.started_us),
    endedAt: row.ended_us === null ? undefined : timestampFromMicros(row.ended_us),
    recordedAt: timestampFromMicros(row.recorded_us),
    streaming: row.streaming,
    usage: {
      inputTokens: BigInt(row.input_tokens),
      outputTokens: BigInt(row.output_tokens),
      cacheReadTokens: BigInt(row.cache_read_tokens),
      cacheWriteTokens: BigInt(row.cache_write_tokens),
    },
    costMicros: BigInt(row.cost_micros),
    metadata: row.metadata,
    outcome: toProtoOutcome(outcomeOf(row.error_type, row.ended)),
    error:
      row.error_type === null
        ? undefined
        : {
            type: toProtoErrorType(row.error_type),
            message: row.error_message ?? "",
            messageTruncated: row.error_message_truncated,
            messageBytes: row.error_message_bytes,
            providerCode: row.provider_code ?? "",
            retryAfterMs: row.retry_after_ms === null ? undefined : BigInt(row.retry_after_ms),
            upstream:
              row.upstream_http_status === null && row.upstream_body === null && row.upstream_error_name === null && row.upstream_code === null
                ? undefined
                : {
                    httpStatus: row.upstream_http_status ?? 0,
                    body: row.upstream_body ?? "",
                    errorName: row.upstream_error_name ?? "",
                    code: row.upstream_code ?? "",
                  },
          },
  };
}
