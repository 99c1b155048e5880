import { DAY_MS } from "./interception-partitions.js";

/**
 * A retention period as operators write it: a whole number of days, "30d". Days because the
 * interceptions are partitioned by day: a finer period could not be honoured.
 */
export interface RetentionPeriod {
  days: number;
}

/** Longest period accepted: 100 years, past which "keep forever" (no retention) is what is meant. */
const MAX_DAYS = 36_500;

/** Parses "30d"; returns a sentence saying what is wrong otherwise. */
export function parseRetentionPeriod(text: string): RetentionPeriod | { error: string } {
  const match = /^\s*(\d+)\s*d\s*$/i.exec(text);
  const days = match === null ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS) {
    return { error: `must be a whole number of days from 1d to ${MAX_DAYS}d, like 30d; got ${JSON.stringify(text)}` };
  }
  return { days };
}

/** The instant before which data is past the period. */
export function retentionCutoff(period: RetentionPeriod, now: Date): Date {
  return new Date(now.getTime() - period.days * DAY_MS);
}
