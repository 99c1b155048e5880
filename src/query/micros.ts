import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";

/**
 * Instants as PostgreSQL keeps them: whole microseconds since the epoch, carried as decimal text
 * (queries select `extract(epoch from t) * 1000000`), because a JS Date would drop the last three
 * digits and a keyset cursor must compare exactly.
 */

export function timestampFromMicros(text: string): MessageInitShape<typeof TimestampSchema> {
  const { seconds, micros } = split(BigInt(text));
  return { seconds, nanos: micros * 1000 };
}

/** ISO 8601 with six fraction digits, which `::timestamptz` parses back exactly. */
export function isoFromMicros(text: string): string {
  const { seconds, micros } = split(BigInt(text));
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}

/** Microseconds since the epoch of a protobuf Timestamp (sub-microsecond nanos are dropped). */
export function microsFromTimestamp(timestamp: Timestamp): bigint {
  return timestamp.seconds * 1_000_000n + BigInt(Math.floor(timestamp.nanos / 1000));
}

// Floor division, so instants before 1970 get a non-negative fraction.
function split(total: bigint): { seconds: bigint; micros: number } {
  let seconds = total / 1_000_000n;
  let rest = total % 1_000_000n;
  if (rest < 0n) {
    seconds -= 1n;
    rest += 1_000_000n;
  }
  return { seconds, micros: Number(rest) };
}
