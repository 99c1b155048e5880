import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { isValidTimestamp, TIMESTAMP_RANGE } from "../rpc/field-checks.js";
import type { FieldViolation } from "../rpc/invalid-argument.js";
import { microsFromTimestamp } from "./micros.js";

const DAY_MICROS = 86_400_000_000n;
/** 0001-01-01T00:00:00Z, the earliest protobuf Timestamp. */
const MIN_MICROS = -62_135_596_800_000_000n;
/** The widest window a summary may span, and the most buckets it may be cut into. */
export const MAX_WINDOW_DAYS = 400n;
export const MAX_BUCKETS = 1000;

/** A summary's window in microseconds since the epoch, half-open, and its bucket width. */
export interface QueryWindow {
  start: bigint;
  end: bigint;
  bucketSeconds: number;
}

/**
 * The window and buckets of a summary request (SummarizeErrors, GetOverview): the last 24 hours
 * to now when unset, hourly buckets when unset. Problems are added to `violations`.
 */
export function queryWindowOf(
  request: { startTime?: Timestamp; endTime?: Timestamp; bucketSeconds: number },
  nowMicros: bigint,
  violations: FieldViolation[],
): QueryWindow {
  const bucketSeconds = request.bucketSeconds || 3600;
  // Out-of-range instants (seconds of 1e15, int64's maximum) fail in JavaScript or PostgreSQL.
  let valid = true;
  for (const [field, value] of [["start_time", request.startTime], ["end_time", request.endTime]] as const) {
    if (value !== undefined && !isValidTimestamp(value)) {
      violations.push({ field, description: TIMESTAMP_RANGE });
      valid = false;
    }
  }
  if (!valid) return { start: 0n, end: 1n, bucketSeconds };
  const end = request.endTime === undefined ? nowMicros : microsFromTimestamp(request.endTime);
  // The default day before must itself be a valid instant, or the response cannot say it.
  const start = request.startTime === undefined ? (end - DAY_MICROS > MIN_MICROS ? end - DAY_MICROS : MIN_MICROS) : microsFromTimestamp(request.startTime);
  if (start >= end) violations.push({ field: "end_time", description: "must be after start_time" });
  if (end - start > MAX_WINDOW_DAYS * DAY_MICROS) violations.push({ field: "start_time", description: `the window may span at most ${MAX_WINDOW_DAYS} days` });
  if (bucketSeconds < 1) violations.push({ field: "bucket_seconds", description: "must be positive" });
  else if ((end - start) / BigInt(bucketSeconds * 1_000_000) >= BigInt(MAX_BUCKETS)) {
    violations.push({ field: "bucket_seconds", description: `too small for the window: at most ${MAX_BUCKETS} buckets` });
  }
  return { start, end, bucketSeconds };
}

/** Buckets in the window, the last one possibly cut short by its end. */
export function bucketCountOf(window: QueryWindow): number {
  const width = BigInt(window.bucketSeconds) * 1_000_000n;
  return Number((window.end - window.start + width - 1n) / width);
}
