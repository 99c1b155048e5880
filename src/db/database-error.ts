/**
 * The one place that reads PostgreSQL and driver error codes. Callers ask what kind of failure it
 * was; no raw database message ever reaches a client.
 */

// postgres.js's own codes for a connection that could not be made or was lost.
const DRIVER_CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * Whether the same statement may succeed if tried again: the connection failed, the server is
 * starting up or shutting down (class 08, 57P01-57P03), out of resources (53), or a
 * serialization failure or deadlock (40001, 40P01).
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return false;
  if (DRIVER_CONNECTION_CODES.has(code)) return true;
  return (
    code.startsWith("08") ||
    code.startsWith("53") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    code === "40001" ||
    code === "40P01"
  );
}

/**
 * Whether the statement failed because of the values in it (class 22 data exception, class 23
 * integrity constraint violation): retrying the same rows cannot help, but the rows without the
 * bad value can still be written.
 */
export function isDataError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (code.startsWith("22") || code.startsWith("23"));
}

/**
 * Whether an insert failed because no partition of the table covers the row's key. PostgreSQL
 * raises it as a check violation (23514) that names no constraint, which tells it apart from every
 * real CHECK failure without reading the (translatable) message. Creating the partition and trying
 * again succeeds.
 */
export function isMissingPartitionError(error: unknown): boolean {
  if (codeOf(error) !== "23514") return false;
  const constraint = (error as { constraint_name?: unknown }).constraint_name;
  return constraint === undefined || constraint === null || constraint === "";
}
