/**
 * Which parts of a summary's window the hourly rollups can answer and which only the raw table
 * can (migrations/000008_interception_rollups.sql).
 *
 * A rollup row holds a whole UTC hour, so an hour can be read from the rollups only when it lies
 * wholly inside the window and inside one chart bucket. That is every hour of an hour-aligned
 * window with buckets of whole hours (the common case: the dashboard asks for those), and no hour
 * when buckets are shorter than an hour; the partial hours at the window's edges, and hours a
 * bucket boundary cuts, are counted from the raw rows. Reading both in one statement keeps the two
 * parts in one snapshot, and the result is exactly what a scan of the raw rows would give.
 */
export interface WindowPlan {
  /** Start of each hour to read from the rollups, in microseconds since the epoch, ascending. */
  rollupHours: bigint[];
  /** Half-open [start, end) ranges, in microseconds, to count from the raw table; ascending, disjoint. */
  rawRanges: [bigint, bigint][];
}

const HOUR_MICROS = 3_600_000_000n;

export function planWindow(startMicros: bigint, endMicros: bigint, bucketSeconds: number): WindowPlan {
  const bucketMicros = BigInt(bucketSeconds) * 1_000_000n;
  const bucketOf = (micros: bigint) => (micros - startMicros) / bucketMicros;
  const rollupHours: bigint[] = [];
  const rawRanges: [bigint, bigint][] = [];
  const raw = (from: bigint, to: bigint) => {
    if (from >= to) return;
    const last = rawRanges[rawRanges.length - 1];
    if (last !== undefined && last[1] === from) last[1] = to;
    else rawRanges.push([from, to]);
  };
  let cursor = startMicros;
  for (let hour = ceilTo(startMicros, HOUR_MICROS); hour + HOUR_MICROS <= endMicros; hour += HOUR_MICROS) {
    if (bucketOf(hour) !== bucketOf(hour + HOUR_MICROS - 1n)) continue;
    raw(cursor, hour);
    rollupHours.push(hour);
    cursor = hour + HOUR_MICROS;
  }
  raw(cursor, endMicros);
  return { rollupHours, rawRanges };
}

/** The smallest multiple of `step` at or after `value` (for values on either side of the epoch). */
function ceilTo(value: bigint, step: bigint): bigint {
  const remainder = ((value % step) + step) % step;
  return remainder === 0n ? value : value - remainder + step;
}

const DAY_MICROS = 24n * HOUR_MICROS;

/**
 * The rolled-up hours as whole UTC days (all 24 of their hours among them) and the hours left over,
 * for rollups that are kept by the day too: a window-wide count (no buckets) reads a day's row
 * instead of its 24 hourly ones. Both ascending.
 */
export function wholeDaysOf(rollupHours: readonly bigint[]): { days: bigint[]; hours: bigint[] } {
  const byDay = new Map<bigint, number>();
  for (const hour of rollupHours) {
    const day = hour - (((hour % DAY_MICROS) + DAY_MICROS) % DAY_MICROS);
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  const days = [...byDay].filter(([, hours]) => hours === 24).map(([day]) => day);
  const whole = new Set(days);
  return {
    days,
    hours: rollupHours.filter((hour) => !whole.has(hour - (((hour % DAY_MICROS) + DAY_MICROS) % DAY_MICROS))),
  };
}
