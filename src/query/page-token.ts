import { createHash } from "node:crypto";
import { isUuid } from "../rpc/field-checks.js";

/** Where a page ended: the last row's start (ISO, microseconds) and id. */
export interface PagePosition {
  startedAt: string;
  id: string;
}

/**
 * Page tokens are opaque to clients: base64url JSON of the last row's position and a hash of the
 * filters, so a token cannot be replayed with other filters (which would skip or repeat rows).
 */
export function encodePageToken(position: PagePosition, filters: unknown): string {
  return encode({ s: position.startedAt, i: position.id, f: filterHash(filters) });
}

/** The position in a token, or undefined when the token is malformed or was made for other filters. */
export function decodePageToken(token: string, filters: unknown): PagePosition | undefined {
  const value = decode(token);
  if (value === undefined) return undefined;
  const { s, i, f } = value;
  if (typeof s !== "string" || typeof i !== "string" || f !== filterHash(filters)) return undefined;
  // The filter hash is not a secret (a client can recompute it), so every field is checked as if
  // the client wrote it: a forged instant such as 2026-13-45 or an id that is not a UUID reached
  // PostgreSQL and failed (INTERNAL). A well-formed forged position only moves the cursor within
  // the caller's own tenant, which the filters could do too.
  if (!isInstant(s) || !isUuid(i)) return undefined;
  return { startedAt: s, id: i };
}

/**
 * The same kind of token for a keyset of any shape (ListTenants, ListKeyStates): the last row's
 * sort key as a list of strings, bound to the filters by the same hash. The caller checks what
 * each string must look like, since only it knows the key.
 */
export function encodeKeysetToken(key: readonly string[], filters: unknown): string {
  return encode({ k: key, f: filterHash(filters) });
}

/** The key in a token, or undefined when it is malformed, has another length, or was made for other filters. */
export function decodeKeysetToken(token: string, filters: unknown, length: number): string[] | undefined {
  const value = decode(token);
  if (value === undefined) return undefined;
  const { k, f } = value;
  if (f !== filterHash(filters) || !Array.isArray(k) || k.length !== length) return undefined;
  return k.every((part): part is string => typeof part === "string") ? k : undefined;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decode(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function filterHash(filters: unknown): string {
  return createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16);
}

/** An ISO instant with six fraction digits, as isoFromMicros writes, naming a real moment in years 1 to 9999. */
function isInstant(text: string): boolean {
  const match = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.exec(text);
  if (match === null || match[1] === "0000") return false;
  // Date.parse accepts 2026-02-30; its round trip does not give the same text back.
  const millis = Date.parse(`${text.slice(0, 23)}Z`);
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 19) === text.slice(0, 19);
}

