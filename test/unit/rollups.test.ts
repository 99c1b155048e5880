import { describe, expect, it } from "vitest";
import { latencyBucketBounds, latencyBucketOf, latencyPercentileMs } from "../../src/rollups/latency-histogram.js";
import { planWindow, wholeDaysOf } from "../../src/rollups/window-plan.js";

const H = 3_600_000_000n;
const at = (hours: number) => BigInt(Math.round(hours * 3600)) * 1_000_000n;

describe("planWindow", () => {
  it("when the window is on the hour with hourly buckets, then every hour comes from the rollups and nothing from the raw rows", () => {
    expect(planWindow(at(10), at(13), 3600)).toEqual({ rollupHours: [at(10), at(11), at(12)], rawRanges: [] });
  });

  it("when the window's edges fall inside hours, then the partial hours are raw and the whole ones rolled up", () => {
    // One bucket for the whole window, so only the edges cut hours.
    expect(planWindow(at(10.25), at(12.5), 86_400)).toEqual({
      rollupHours: [at(11)],
      rawRanges: [
        [at(10.25), at(11)],
        [at(12), at(12.5)],
      ],
    });
  });

  it("when buckets start off the hour, then every hour straddles a boundary and the whole window is raw", () => {
    expect(planWindow(at(10.25), at(12.25), 3600)).toEqual({ rollupHours: [], rawRanges: [[at(10.25), at(12.25)]] });
  });

  it("when buckets are shorter than an hour, then no hour fits in one and the whole window is raw", () => {
    expect(planWindow(at(10), at(12), 900)).toEqual({ rollupHours: [], rawRanges: [[at(10), at(12)]] });
  });

  it("when a bucket boundary cuts an hour, then that hour alone is raw, joined to its raw neighbours", () => {
    // 90-minute buckets from 10:00: the boundary at 11:30 cuts the hour 11-12.
    expect(planWindow(at(10), at(13), 5400)).toEqual({ rollupHours: [at(10), at(12)], rawRanges: [[at(11), at(12)]] });
  });

  it("when the window is shorter than an hour or empty, then it is all raw", () => {
    expect(planWindow(at(10.1), at(10.9), 3600)).toEqual({ rollupHours: [], rawRanges: [[at(10.1), at(10.9)]] });
    expect(planWindow(at(10), at(10), 3600)).toEqual({ rollupHours: [], rawRanges: [] });
  });

  it("when the window is before 1970, then hours are still whole UTC hours", () => {
    expect(planWindow(-H - 1n, H, 86_400).rollupHours).toEqual([-H, 0n]);
  });
});

describe("wholeDaysOf", () => {
  const hours = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => at(from + i));

  it("when a week's hours start and end inside days, then the days between are whole and the edges stay hours", () => {
    // From 21:00 on day 0 to 03:00 on day 7: days 1 to 6 whole, 3 hours before them, 3 after.
    const { days, hours: left } = wholeDaysOf(hours(21, 7 * 24 + 3));
    expect(days).toEqual([1, 2, 3, 4, 5, 6].map((d) => at(d * 24)));
    expect(left).toEqual([...hours(21, 24), ...hours(7 * 24, 7 * 24 + 3)]);
  });

  it("when a day misses one hour (a bucket boundary cut it), then that day is read by its hours", () => {
    const all = hours(0, 48).filter((hour) => hour !== at(30));
    expect(wholeDaysOf(all)).toEqual({ days: [at(0)], hours: hours(24, 48).filter((hour) => hour !== at(30)) });
  });

  it("when the hours are before 1970, then days are still UTC days", () => {
    expect(wholeDaysOf(hours(-24, 0)).days).toEqual([at(-24)]);
  });
});

describe("latency histogram", () => {
  it("when a duration is bucketed, then it falls within its bucket's bounds, four buckets per doubling", () => {
    for (const ms of [0, 0.4, 1, 7, 99.9, 1000, 12_345, 600_000, 3_600_000]) {
      const [lower, upper] = latencyBucketBounds(latencyBucketOf(ms));
      expect(ms).toBeGreaterThanOrEqual(lower - 1e-9);
      expect(ms).toBeLessThan(upper);
    }
    expect(latencyBucketOf(1023) - latencyBucketOf(511)).toBe(4);
    expect(latencyBucketOf(1e12)).toBe(95);
  });

  it("when percentiles are read back, then they are within a bucket's width of the exact ones", () => {
    const durations = Array.from({ length: 10_000 }, (_, i) => 50 + (i % 1000) * 7.3 + (i % 7) * 100);
    const counts: number[] = [];
    for (const ms of durations) {
      const b = latencyBucketOf(ms);
      while (counts.length <= b) counts.push(0);
      counts[b]!++;
    }
    const sorted = [...durations].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const estimate = latencyPercentileMs(counts, q)!;
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.19);
    }
    expect(latencyPercentileMs([], 0.5)).toBeUndefined();
    expect(latencyPercentileMs([0, 0, 0], 0.5)).toBeUndefined();
  });
});
