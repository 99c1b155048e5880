/**
 * The checks every RPC applies to the identifying strings of a request (ids, tenants, initiators,
 * providers, tokens). Identifiers are refused when wrong, never cut or cleaned: they are keys, and a
 * changed key would silently file data under another name.
 */

import type { Timestamp } from "@bufbuild/protobuf/wkt";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// C0 controls and DEL: never meaningful in an identifier, and invisible in every UI.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True for a UUID in its 8-4-4-4-12 hex form, either case. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * What is wrong with a non-empty identifier, as a field violation's description, or undefined when
 * it is acceptable: at most `maxBytes` of UTF-8 and no control characters.
 */
export function identifierProblem(value: string, maxBytes: number): string | undefined {
  if (Buffer.byteLength(value) > maxBytes) return `must be at most ${maxBytes} bytes`;
  if (CONTROL.test(value)) return "must not contain control characters";
  return undefined;
}

// protobuf Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;

/** True for a Timestamp within protobuf's range (years 1 to 9999) with nanos in 0..999,999,999. */
export function isValidTimestamp(value: Timestamp): boolean {
  return value.seconds >= MIN_SECONDS && value.seconds <= MAX_SECONDS && value.nanos >= 0 && value.nanos <= 999_999_999;
}

export const TIMESTAMP_RANGE = "must be a valid timestamp between years 1 and 9999";
