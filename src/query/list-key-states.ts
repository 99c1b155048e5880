import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Sql } from "postgres";
import type { ListKeyStatesRequest, ListKeyStatesResponseSchema } from "../../gen/bridgelog/v1/query_service_pb.js";
import type { Principal } from "../auth/authenticator.js";
import type { ErrorType } from "../interception/error-type.js";
import { FIELD_MAX_BYTES } from "../interception/normalize-interception.js";
import { toProtoErrorType } from "../interception/proto-enums.js";
import { type KeyFailureFilter, keyFailuresSql, notificationHistory, type NotificationEventRow } from "../outbox/key-failures.js";
import { toProtoDeliveryOutcome, toProtoNotificationStatus } from "../outbox/proto-enums.js";
import { identifierProblem } from "../rpc/field-checks.js";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import { isoFromMicros, timestampFromMicros } from "./micros.js";
import { pageSizeOf } from "./page-size.js";
import { decodeKeysetToken, encodeKeysetToken } from "./page-token.js";
import { queryTenant } from "./query-tenant.js";

/** The notification events shown per key, newest first (the contract's "at most 10"). */
const NOTIFICATIONS_PER_KEY = 10;

interface KeyStateRow {
  initiator_id: string;
  provider: string;
  last_error_type: ErrorType;
  last_failed_us: string;
  last_interception_id: string;
  failures: string;
  recovered_us: string | null;
  device_count: number;
}

/**
 * ListKeyStates: per (initiator_id, provider) of a tenant, the state of the user's own key, built
 * from the outbox's key failures (src/outbox/key-failures.ts), the interceptions since the last of
 * them, and the user's devices.
 *
 * Recovered: the first BYOK call by the initiator to the provider that started after the last
 * failure was recorded and ended without an error; `recovered_at` is when it ended. Found by the
 * index of migration 000010 on (tenant_id, initiator_id, started_at desc), read forward from the
 * failure, so only the partitions since it are touched.
 *
 * Keyset pages on (last_failed_at desc, initiator_id, provider). A key whose state changes while a
 * client pages (a new failure moves it to the top; with broken_only, a recovery removes it) shows
 * its new place on the next first page; the others are neither skipped nor repeated.
 */
export async function listKeyStates(
  sql: Sql,
  principal: Principal | undefined,
  request: ListKeyStatesRequest,
): Promise<MessageInitShape<typeof ListKeyStatesResponseSchema>> {
  const tenantId = queryTenant(principal, request.tenantId);
  const violations: FieldViolation[] = [];
  const pageSize = pageSizeOf(request.pageSize, violations);
  const filter: KeyFailureFilter = {
    tenantId,
    initiatorId: identifierFilter("initiator_id", request.initiatorId, violations),
    // Stored in lower case, as the recorder normalises it (and ListInterceptions filters it).
    provider: identifierFilter("provider", request.provider.trim().toLowerCase(), violations),
  };
  const bound = { ...filter, brokenOnly: request.brokenOnly };
  let after: { failedUs: string; initiatorId: string; provider: string } | undefined;
  if (request.pageToken !== "") {
    const key = decodeKeysetToken(request.pageToken, bound, 3);
    if (key === undefined || !/^-?\d{1,20}$/.test(key[0]!)) {
      violations.push({ field: "page_token", description: "is not a token from a previous page with these same filters" });
    } else {
      after = { failedUs: key[0]!, initiatorId: key[1]!, provider: key[2]! };
    }
  }
  if (violations.length > 0) throw invalidArgument(violations);

  // The instant goes in as text and is cast in SQL: a parameter postgres.js sees typed timestamptz
  // is serialised through a JS Date, which drops the microseconds a keyset must compare exactly.
  const position =
    after === undefined
      ? sql``
      : sql`where last_failed_at < ${isoFromMicros(after.failedUs)}::text::timestamptz
              or (last_failed_at = ${isoFromMicros(after.failedUs)}::text::timestamptz
                  and (initiator_id, provider) > (${after.initiatorId}::text, ${after.provider}::text))`;
  // The keys in page order first, then each one's recovery: with a limit, the lateral lookups stop
  // once the page is full, even when broken_only skips recovered keys on the way.
  const rows = await sql<KeyStateRow[]>`
    select k.initiator_id, k.provider, k.last_error_type, k.last_interception_id, k.failures::text as failures,
           (extract(epoch from k.last_failed_at) * 1000000)::bigint::text as last_failed_us,
           (extract(epoch from r.ended_at) * 1000000)::bigint::text as recovered_us,
           (select count(*)::int from devices d where d.tenant_id = ${tenantId} and d.initiator_id = k.initiator_id) as device_count
    from (
      select * from (${keyFailuresSql(sql, filter)}) as key_failures
      ${position}
      order by last_failed_at desc, initiator_id, provider
    ) as k
    left join lateral (
      select i.ended_at
      from interceptions i
      where i.tenant_id = ${tenantId} and i.initiator_id = k.initiator_id and i.started_at > k.last_failed_at
        and i.provider = k.provider and i.key_source = 'byok' and i.error_type is null and i.ended_at is not null
      order by i.started_at
      limit 1
    ) as r on true
    ${request.brokenOnly ? sql`where r.ended_at is null` : sql``}
    order by k.last_failed_at desc, k.initiator_id, k.provider
    limit ${pageSize + 1}`;
  const page = rows.slice(0, pageSize);
  const history = await notificationHistory(
    sql,
    tenantId,
    page.map((row) => ({ initiatorId: row.initiator_id, provider: row.provider })),
    NOTIFICATIONS_PER_KEY,
  );
  const last = page.at(-1);
  return {
    keyStates: page.map((row) => ({
      initiatorId: row.initiator_id,
      provider: row.provider,
      lastErrorType: toProtoErrorType(row.last_error_type),
      lastFailedAt: timestampFromMicros(row.last_failed_us),
      lastFailedInterceptionId: row.last_interception_id,
      failures: BigInt(row.failures),
      recoveredAt: row.recovered_us === null ? undefined : timestampFromMicros(row.recovered_us),
      deviceCount: row.device_count,
      notifications: history.filter((e) => e.initiator_id === row.initiator_id && e.provider === row.provider).map(toKeyNotification),
    })),
    nextPageToken:
      rows.length > pageSize && last !== undefined
        ? encodeKeysetToken([last.last_failed_us, last.initiator_id, last.provider], bound)
        : "",
  };
}

function toKeyNotification(event: NotificationEventRow) {
  return {
    interceptionId: event.interception_id,
    errorType: toProtoErrorType(event.error_type),
    status: toProtoNotificationStatus(event.status),
    attempts: event.attempts,
    lastError: event.last_error ?? "",
    createdAt: timestampFromMicros(event.created_us),
    finishedAt: event.finished_us === null ? undefined : timestampFromMicros(event.finished_us),
    deliveries: event.deliveries.map((d) => ({
      attempt: d.attempt,
      outcome: toProtoDeliveryOutcome(d.outcome),
      error: d.error ?? "",
      devicesReached: d.devices_reached,
      devicesRemoved: d.devices_removed,
      recordedAt: timestampFromMicros(d.recorded_us),
    })),
  };
}

/** A filter on an identifier: empty filters nothing; otherwise it must be one the recorder would store. */
function identifierFilter(field: "initiator_id" | "provider", value: string, violations: FieldViolation[]): string | null {
  if (value === "") return null;
  const problem = identifierProblem(value, FIELD_MAX_BYTES[field]);
  if (problem !== undefined) violations.push({ field, description: problem });
  return value;
}
