import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListTenantsRequest, ListTenantsResponseSchema } from "../../gen/bridgelog/v1/query_service_pb.js";
import type { Principal } from "../auth/authenticator.js";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Sql } from "postgres";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import { isoFromMicros, microsFromTimestamp, timestampFromMicros } from "./micros.js";
import { pageSizeOf } from "./page-size.js";
import { decodeKeysetToken, encodeKeysetToken } from "./page-token.js";

const DAY_MICROS = 86_400_000_000n;
const HOUR_MICROS = 3_600_000_000n;
const DEFAULT_WINDOW_DAYS = 30n;
const MAX_WINDOW_DAYS = 400n;

/** One tenant's activity as the query reads it; counts and the hour as decimal text (bigint, microseconds). */
interface TenantRow {
  tenant_id: string;
  calls: string;
  failed: string;
  last_hour_us: string;
}

/**
 * ListTenants: the tenants with ended interceptions in a window, busiest first, read from the hourly
 * rollups (migrations/000008) so that its cost follows the window's rollup rows, never the raw rows:
 * a console opens on it. Being read from hourly rollups, the window is counted in whole UTC hours,
 * every hour it touches: [start rounded down to its hour, end). A window on whole hours is exact.
 *
 * A token bound to a tenant sees only its own tenant, one row or none; a token for every tenant
 * sees them all. The page token carries the window it was made for, resolved: a client that leaves
 * the window unset ("the last 30 days") gets the same window on every page, and a token shown
 * another explicit window is refused on page_token.
 */
export async function listTenants(
  sql: Sql,
  principal: Principal | undefined,
  request: ListTenantsRequest,
  nowMicros: bigint,
): Promise<MessageInitShape<typeof ListTenantsResponseSchema>> {
  if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
  const violations: FieldViolation[] = [];
  const pageSize = pageSizeOf(request.pageSize, violations);
  // What the token is bound to: the window as asked (unset stays unset) and whose tenants it lists.
  const asked = {
    start: request.startTime === undefined ? null : String(microsFromTimestamp(request.startTime)),
    end: request.endTime === undefined ? null : String(microsFromTimestamp(request.endTime)),
    tenant: principal.tenantId,
  };
  let after: { calls: bigint; tenantId: string } | undefined;
  let end = asked.end === null ? nowMicros : BigInt(asked.end);
  let start = asked.start === null ? end - DEFAULT_WINDOW_DAYS * DAY_MICROS : BigInt(asked.start);
  if (request.pageToken !== "") {
    const key = decodeKeysetToken(request.pageToken, asked, 4);
    const [calls, tenantId, tokenStart, tokenEnd] = key ?? [];
    if (key === undefined || !isInteger(calls) || !isInteger(tokenStart) || !isInteger(tokenEnd)) {
      violations.push({ field: "page_token", description: "is not a token from a previous page with this same window" });
    } else {
      after = { calls: BigInt(calls!), tenantId: tenantId! };
      [start, end] = [BigInt(tokenStart!), BigInt(tokenEnd!)];
    }
  }
  if (start >= end) violations.push({ field: "end_time", description: "must be after start_time" });
  else if (end - start > MAX_WINDOW_DAYS * DAY_MICROS) {
    violations.push({ field: "start_time", description: `the window may span at most ${MAX_WINDOW_DAYS} days` });
  }
  if (violations.length > 0) throw invalidArgument(violations);

  const firstHour = floorTo(start, HOUR_MICROS);
  const rows = await sql<TenantRow[]>`
    select tenant_id, sum(calls)::text as calls, coalesce(sum(calls) filter (where error_type <> ''), 0)::text as failed,
           (extract(epoch from max(hour) filter (where calls > 0)) * 1000000)::bigint::text as last_hour_us
    from interception_rollups_live
    -- As text, cast here: postgres.js would send a timestamptz parameter through a JS Date, in milliseconds.
    where hour >= ${isoFromMicros(String(firstHour))}::text::timestamptz and hour < ${isoFromMicros(String(end))}::text::timestamptz
      ${principal.tenantId === null ? sql`` : sql`and tenant_id = ${principal.tenantId}`}
    group by tenant_id
    -- A rollup row can hold zero calls (an interception moved to another row): it is no activity.
    having sum(calls) > 0
      ${after === undefined ? sql`` : sql`and (sum(calls) < ${String(after.calls)}::bigint or (sum(calls) = ${String(after.calls)}::bigint and tenant_id > ${after.tenantId}))`}
    order by sum(calls) desc, tenant_id
    limit ${pageSize + 1}`;
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    tenants: page.map((row) => ({
      tenantId: row.tenant_id,
      calls: BigInt(row.calls),
      failed: BigInt(row.failed),
      lastActiveHour: timestampFromMicros(row.last_hour_us),
    })),
    nextPageToken:
      rows.length > pageSize && last !== undefined ? encodeKeysetToken([last.calls, last.tenant_id, String(start), String(end)], asked) : "",
  };
}

function isInteger(text: string | undefined): boolean {
  return text !== undefined && /^-?\d{1,20}$/.test(text);
}

/** The largest multiple of `step` at or before `value`, either side of the epoch. */
function floorTo(value: bigint, step: bigint): bigint {
  return value - (((value % step) + step) % step);
}
