import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** What a token allows: `record` for bridges, `read` for dashboards and queries, `admin` for tokens and devices. */
export const SCOPES = ["record", "read", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * A token is `blg_<id>_<secret>`: the id (16 hex characters) finds the row, the secret (32 random
 * bytes, base64url) proves possession. Only SHA-256 of the secret is stored.
 */
const TOKEN = /^blg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  id: string;
  secretHash: Buffer;
}

export function mintToken(): { id: string; token: string; secretHash: Buffer } {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `blg_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The token's parts, or undefined when it is not shaped like a bridgelog token. */
export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  return { id: match[1]!, secretHash: hashSecret(match[2]!) };
}

/** Constant-time comparison of two secret hashes. */
export function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}
