import type { FieldViolation } from "../rpc/invalid-argument.js";

/**
 * The page sizes every paged RPC of QueryService takes: "At most 500; 50 when unset" in the
 * contract. The same numbers as ListInterceptions' (query-service.ts), which predates this file.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The rows to return for a requested page_size: negative is refused, larger than the maximum is capped. */
export function pageSizeOf(requested: number, violations: FieldViolation[]): number {
  if (requested < 0) violations.push({ field: "page_size", description: "must not be negative" });
  return Math.min(requested || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}
