/**
 * The console's time windows. Preset windows end at the next boundary of their bucket width, so a
 * window stays the same (and a page token stays valid) until that boundary passes, calls recorded
 * meanwhile still fall inside it, and windows of whole hours are answered from the hourly rollups.
 */
export type RangeName = "1h" | "24h" | "7d" | "30d" | "custom";

export const PRESETS: Record<Exclude<RangeName, "custom">, { label: string; hours: number; bucketSeconds: number }> = {
  "1h": { label: "Last hour", hours: 1, bucketSeconds: 300 },
  "24h": { label: "Last 24 hours", hours: 24, bucketSeconds: 3600 },
  "7d": { label: "Last 7 days", hours: 168, bucketSeconds: 3 * 3600 },
  "30d": { label: "Last 30 days", hours: 720, bucketSeconds: 12 * 3600 },
};

/** Bucket widths a custom window may use, smallest first: at most MAX_BUCKETS of them. */
const CUSTOM_BUCKETS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400];
const MAX_BUCKETS = 120;

export interface TimeWindow {
  start: Date;
  end: Date;
  bucketSeconds: number;
}

export function windowOf(range: RangeName, now: Date, from?: string, to?: string): TimeWindow {
  if (range === "custom") {
    const start = parseInstant(from);
    const end = parseInstant(to);
    if (start !== undefined && end !== undefined && start < end) {
      const span = (end.getTime() - start.getTime()) / 1000;
      const bucketSeconds = CUSTOM_BUCKETS.find((b) => span / b <= MAX_BUCKETS) ?? CUSTOM_BUCKETS.at(-1)!;
      return { start, end, bucketSeconds };
    }
    range = "24h";
  }
  const preset = PRESETS[range] ?? PRESETS["24h"];
  const step = preset.bucketSeconds * 1000;
  // The next bucket boundary (on the hour for hourly and wider buckets, counted in UTC).
  const end = new Date((Math.floor(now.getTime() / Math.min(step, 3_600_000)) + 1) * Math.min(step, 3_600_000));
  return { start: new Date(end.getTime() - preset.hours * 3_600_000), end, bucketSeconds: preset.bucketSeconds };
}

/** The window of the same length just before. */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = window.end.getTime() - window.start.getTime();
  return { start: new Date(window.start.getTime() - length), end: window.start, bucketSeconds: window.bucketSeconds };
}

export function parseInstant(text: string | undefined): Date | undefined {
  if (text === undefined || text === "") return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The viewer's time zone and its current offset, e.g. "Europe/Berlin (UTC+01:00)". */
export function timeZoneLabel(now = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const minutes = -now.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${zone} (UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")})`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const listTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const shortDateTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** A time in the viewer's zone, to the second. */
export function formatTime(date: Date | undefined): string {
  return date === undefined ? "" : dateTime.format(date);
}

/** A time for a table row: to the second, without the year. */
export function formatListTime(date: Date | undefined): string {
  return date === undefined ? "" : listTime.format(date);
}

export function formatShortTime(date: Date): string {
  return shortDateTime.format(date);
}

/** The value of a datetime-local input for an instant, in the viewer's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
