import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { Sql } from "postgres";
import { ErrorType as ProtoErrorType } from "../../gen/bridgelog/v1/interception_pb.js";
import { type ErrorCountsSchema, OutcomeFilter, QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";
import { principalKey } from "../auth/principal.js";
import { ERROR_TYPES } from "../interception/error-type.js";
import type { KeySource } from "../interception/interception.js";
import { fromProtoErrorType, fromProtoKeySource, toProtoErrorType } from "../interception/proto-enums.js";
import { FIELD_MAX_BYTES } from "../interception/normalize-interception.js";
import { identifierProblem, isUuid, isValidTimestamp, TIMESTAMP_RANGE } from "../rpc/field-checks.js";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import { getInterception, getThreadDescendants } from "./get-interceptions.js";
import { getOverview } from "./get-overview.js";
import { type ListFilters, listInterceptions, type OutcomeFilter as DomainOutcomeFilter } from "./list-interceptions.js";
import { isoFromMicros, microsFromTimestamp, timestampFromMicros } from "./micros.js";
import { decodePageToken, encodePageToken } from "./page-token.js";
import { queryTenant } from "./query-tenant.js";
import { queryWindowOf } from "./query-window.js";
import { type ErrorCountsSummary, summarizeErrors } from "./summarize-errors.js";
import { listKeyStates } from "./list-key-states.js";
import { listTenants } from "./list-tenants.js";
import { toStoredInterception } from "./stored-interception.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface QueryServiceOptions {
  sql: Sql;
  now?: () => Date;
}

/**
 * bridgelog.v1.QueryService: the read side, for dashboards and any gRPC client. Every query is
 * scoped to one tenant, chosen by `queryTenant` from the caller's token.
 */
export function createQueryService(options: QueryServiceOptions): ServiceImpl<typeof QueryService> {
  const { sql, now = () => new Date() } = options;

  return {
    // TEMP: GetOverview is built on branch overview-rpc; this stub only lets this branch type-check.
    getOverview: (request, context) => getOverview(sql, context.values.get(principalKey), request, BigInt(now().getTime()) * 1000n),

    async listInterceptions(request, context) {
      const tenantId = queryTenant(context.values.get(principalKey), request.tenantId);
      const violations: FieldViolation[] = [];
      if (request.pageSize < 0) violations.push({ field: "page_size", description: "must not be negative" });
      if (request.errorTypes.includes(ProtoErrorType.UNSPECIFIED)) {
        violations.push({ field: "error_types", description: "must name error types, not UNSPECIFIED" });
      }
      const errorTypes = request.errorTypes.filter((t) => t !== ProtoErrorType.UNSPECIFIED).map(fromProtoErrorType);
      if (errorTypes.includes(null)) violations.push({ field: "error_types", description: "names an error type this server does not know" });
      checkTimestamp("start_time", request.startTime, violations);
      checkTimestamp("end_time", request.endTime, violations);
      for (const [field, value] of [
        ["provider", request.provider],
        ["model", request.model],
        ["feature", request.feature],
        ["initiator_id", request.initiatorId],
      ] as const) {
        const problem = value === "" ? undefined : identifierProblem(value, FIELD_MAX_BYTES[field]);
        if (problem !== undefined) violations.push({ field, description: problem });
      }
      if (violations.length > 0) throw invalidArgument(violations);
      const filters: ListFilters = {
        tenantId,
        startTime: instant(request.startTime),
        endTime: instant(request.endTime),
        provider: text(request.provider.trim().toLowerCase()),
        model: text(request.model),
        feature: text(request.feature),
        keySource: nullIfUnspecified(fromProtoKeySource(request.keySource)),
        initiatorId: text(request.initiatorId),
        outcome: outcomeFilter(request.outcome),
        errorTypes: [...new Set(errorTypes.filter((t) => t !== null))].sort(),
      };
      const after = request.pageToken === "" ? undefined : decodePageToken(request.pageToken, filters);
      if (request.pageToken !== "" && after === undefined) {
        violations.push({ field: "page_token", description: "is not a token from a previous page with these same filters" });
      }
      if (violations.length > 0) throw invalidArgument(violations);
      const pageSize = Math.min(request.pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const page = await listInterceptions(sql, filters, after, pageSize);
      return {
        interceptions: page.rows.map(toStoredInterception),
        nextPageToken: page.next === undefined ? "" : encodePageToken(page.next, filters),
      };
    },

    async getInterception(request, context) {
      const tenantId = queryTenant(context.values.get(principalKey), request.tenantId);
      requireUuid("id", request.id);
      const row = await getInterception(sql, tenantId, request.id);
      if (row === undefined) throw new ConnectError(`no interception ${request.id} for tenant ${tenantId}`, Code.NotFound);
      return { interception: toStoredInterception(row) };
    },

    async getThread(request, context) {
      const tenantId = queryTenant(context.values.get(principalKey), request.tenantId);
      requireUuid("root_id", request.rootId);
      const root = await getInterception(sql, tenantId, request.rootId);
      if (root === undefined) throw new ConnectError(`no interception ${request.rootId} for tenant ${tenantId}`, Code.NotFound);
      const rootView = toStoredInterception(root);
      const descendants = await getThreadDescendants(sql, tenantId, request.rootId);
      return { root: rootView, descendants: descendants.map(toStoredInterception), error: rootView.error };
    },

    async summarizeErrors(request, context) {
      const tenantId = queryTenant(context.values.get(principalKey), request.tenantId);
      const violations: FieldViolation[] = [];
      const { start, end, bucketSeconds } = queryWindowOf(request, BigInt(now().getTime()) * 1000n, violations);
      if (violations.length > 0) throw invalidArgument(violations);
      const summary = await summarizeErrors(sql, tenantId, start, end, bucketSeconds);
      const bucketMicros = BigInt(bucketSeconds) * 1_000_000n;
      return {
        startTime: timestampFromMicros(String(start)),
        endTime: timestampFromMicros(String(end)),
        bucketSeconds,
        totals: toErrorCounts(summary.totals),
        byProvider: [...summary.byProvider]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([provider, counts]) => ({ provider, counts: toErrorCounts(counts) })),
        buckets: summary.buckets.map((counts, i) => ({
          startTime: timestampFromMicros(String(start + BigInt(i) * bucketMicros)),
          counts: toErrorCounts(counts),
        })),
      };
    },

    listTenants: (request, context) => listTenants(sql, context.values.get(principalKey), request, BigInt(now().getTime()) * 1000n),

    listKeyStates: (request, context) => listKeyStates(sql, context.values.get(principalKey), request),
  };
}

function toErrorCounts(counts: ErrorCountsSummary): MessageInitShape<typeof ErrorCountsSchema> {
  return {
    total: BigInt(counts.total),
    failed: BigInt(counts.failed),
    failureRate: counts.total === 0 ? 0 : counts.failed / counts.total,
    // In taxonomy order, for stable output.
    byErrorType: ERROR_TYPES.filter((t) => counts.byErrorType.has(t)).map((t) => ({
      errorType: toProtoErrorType(t),
      count: BigInt(counts.byErrorType.get(t)!),
    })),
  };
}

/** Out of protobuf's range (seconds of ±1e15, int64 max) an instant fails in JavaScript or PostgreSQL. */
function checkTimestamp(field: string, value: Timestamp | undefined, violations: FieldViolation[]): void {
  if (value !== undefined && !isValidTimestamp(value)) violations.push({ field, description: TIMESTAMP_RANGE });
}

function requireUuid(field: string, value: string): void {
  if (!isUuid(value)) throw invalidArgument([{ field, description: "must be a UUID" }]);
}

function instant(timestamp: Timestamp | undefined): string | null {
  return timestamp === undefined ? null : isoFromMicros(String(microsFromTimestamp(timestamp)));
}

function text(value: string): string | null {
  return value === "" ? null : value;
}

/** An unspecified key source filters nothing. */
function nullIfUnspecified(source: KeySource): KeySource | null {
  return source === "unspecified" ? null : source;
}

function outcomeFilter(value: OutcomeFilter): DomainOutcomeFilter {
  switch (value) {
    case OutcomeFilter.SUCCEEDED:
      return "succeeded";
    case OutcomeFilter.FAILED:
      return "failed";
    case OutcomeFilter.IN_PROGRESS:
      return "in_progress";
    default:
      return "any";
  }
}

