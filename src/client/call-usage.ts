/**
 * Tokens and cost of one call. Any field may be missing; the record stores 0 for it. Values that
 * are not non-negative numbers (NaN, negative, infinite) are stored as 0 too.
 */
export interface CallUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** What the call cost, in millionths of a US dollar, rounded to a whole number. */
  costMicros?: number | bigint;
}

/** Reads usage and cost from a call's result. Called on the caller's path: keep it cheap. */
export type UsageExtractor = (result: unknown) => CallUsage | undefined;
