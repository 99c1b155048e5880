import { createHash } from "node:crypto";

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
  return Buffer.from(JSON.stringify({ s: position.startedAt, i: position.id, f: filterHash(filters) })).toString("base64url");
}

/** The position in a token, or undefined when the token is malformed or was made for other filters. */
export function decodePageToken(token: string, filters: unknown): PagePosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { s, i, f } = value as Record<string, unknown>;
    if (typeof s !== "string" || typeof i !== "string" || f !== filterHash(filters)) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(s) || !/^[0-9a-f-]{36}$/.test(i)) return undefined;
    return { startedAt: s, id: i };
  } catch {
    return undefined;
  }
}

function filterHash(filters: unknown): string {
  return createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16);
}
