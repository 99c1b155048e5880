/**
 * How long to wait before the next attempt: `baseMs` doubled per attempt made, capped at `maxMs`,
 * then a random point in the upper half of that, so replicas that failed together (FCM or Redis
 * down) do not all come back at the same moment, and no retry comes sooner than half the backoff.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
