import { retryDelayMs } from "../retry/retry-delay.js";

export interface BackoffOptions {
  /** The first delay's ceiling, in milliseconds. */
  initialDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /** A source of numbers in [0, 1); Math.random by default. */
  random?: () => number;
}

/** Delays between retries: `next()` after each failure, `reset()` after a success. */
export interface Backoff {
  next(): number;
  reset(): void;
}

/**
 * Bounded exponential backoff with jitter (see retryDelayMs), counting consecutive failures, so
 * many bridges cut off by the same outage do not come back in lockstep, and none retries in a
 * tight loop.
 */
export function createBackoff(options: BackoffOptions): Backoff {
  const { initialDelayMs, maxDelayMs, random = Math.random } = options;
  let failures = 0;
  return {
    next() {
      failures = Math.min(failures + 1, 31);
      return retryDelayMs(failures, initialDelayMs, maxDelayMs, random);
    },
    reset() {
      failures = 0;
    },
  };
}
