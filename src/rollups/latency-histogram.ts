/**
 * The latency histogram of the hourly rollups: four buckets per doubling of the duration in
 * milliseconds, bucket 95 holding everything from 2^24 ms (4.6 hours) up. The SQL function
 * `interception_latency_bucket` (migrations/000008) puts durations in; this module reads
 * percentiles back out. test/schema-agreement.test.ts keeps the two formulas equal.
 */
export const LATENCY_BUCKETS = 96;
const PER_DOUBLING = 4;

/** The bucket of a duration: floor(4 * log2(1 + ms)), at most 95. */
export function latencyBucketOf(ms: number): number {
  return Math.min(LATENCY_BUCKETS - 1, Math.floor(PER_DOUBLING * Math.log2(1 + Math.max(ms, 0))));
}

/** The durations bucket `bucket` holds: [lower, upper) in milliseconds. */
export function latencyBucketBounds(bucket: number): [number, number] {
  const edge = (b: number) => 2 ** (b / PER_DOUBLING) - 1;
  return [edge(bucket), bucket === LATENCY_BUCKETS - 1 ? Infinity : edge(bucket + 1)];
}

/**
 * The q-quantile (0.5 for the median, 0.95 for p95) of the durations counted in `counts`
 * (counts[i] durations in bucket i), interpolated within its bucket; undefined when there are none.
 * Within 19% of the exact value, the width of a bucket.
 */
export function latencyPercentileMs(counts: readonly number[], q: number): number | undefined {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (const [bucket, n] of counts.entries()) {
    if (n > 0 && below + n >= rank) {
      const [lower, upper] = latencyBucketBounds(bucket);
      if (upper === Infinity) return lower;
      return lower + ((rank - below) / n) * (upper - lower);
    }
    below += n;
  }
  return latencyBucketBounds(counts.length - 1)[0];
}
