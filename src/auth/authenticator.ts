import { Code, ConnectError } from "@connectrpc/connect";
import { parseToken, type Scope, sameSecret } from "./api-token.js";
import type { TokenRecord, TokenStore } from "./token-store.js";

/** Who is calling: the token's id, its tenant (null: every tenant) and its scopes. */
export interface Principal {
  tokenId: string;
  tenantId: string | null;
  scopes: ReadonlySet<Scope>;
}

export interface Authenticator {
  /**
   * The principal behind an `Authorization` header value. Rejects with Unauthenticated. `fresh`
   * reads the token's row now instead of trusting a cached one (and caches it anew).
   */
  authenticate(authorization: string | null, options?: { fresh?: boolean }): Promise<Principal>;
  /**
   * The principal behind an `Authorization` header value if its token's row is cached and still
   * trusted, without waiting for the database; undefined otherwise (not cached, expired, invalid).
   */
  cached(authorization: string | undefined): Principal | undefined;
}

export interface AuthenticatorOptions {
  store: TokenStore;
  /**
   * How long a token row read from the database is trusted before it is read again. Bounds how
   * long a revoked token keeps working on a running server, and saves a database round trip on
   * every recorder call.
   */
  cacheMs: number;
  now?: () => number;
}

/**
 * Checks bearer tokens against the token store. The secret is compared in constant time against
 * the stored hash, cached or not; only rows are cached, never a verdict on a secret.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { store, cacheMs, now = Date.now } = options;
  const cache = new Map<string, { record: TokenRecord | undefined; until: number }>();

  async function lookUp(id: string, fresh: boolean): Promise<TokenRecord | undefined> {
    const cached = cache.get(id);
    if (!fresh && cached !== undefined && cached.until > now()) return cached.record;
    const record = await store.find(id);
    // Unknown ids are cached too, so a flood of made-up tokens costs one query per id, and the
    // map is bounded by dropping the oldest entry.
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
    cache.set(id, { record, until: now() + cacheMs });
    return record;
  }

  function verify(record: TokenRecord | undefined, parsed: ParsedToken): Principal {
    if (record === undefined || record.revokedAt !== null || !sameSecret(record.secretHash, parsed.secretHash)) {
      throw new ConnectError("invalid or revoked token", Code.Unauthenticated);
    }
    return { tokenId: record.id, tenantId: record.tenantId, scopes: new Set(record.scopes) };
  }

  return {
    async authenticate(authorization, { fresh = false } = {}) {
      if (authorization === null || authorization === "") {
        throw new ConnectError("missing credentials: send Authorization: Bearer <token>", Code.Unauthenticated);
      }
      const parsed = parseAuthorization(authorization);
      if (parsed === undefined) {
        throw new ConnectError("malformed credentials: expected Authorization: Bearer blg_...", Code.Unauthenticated);
      }
      return verify(await lookUp(parsed.id, fresh), parsed);
    },

    cached(authorization) {
      const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
      const cached = parsed === undefined ? undefined : cache.get(parsed.id);
      if (cached === undefined || cached.until <= now()) return undefined;
      try {
        return verify(cached.record, parsed!);
      } catch {
        return undefined;
      }
    },
  };
}

type ParsedToken = NonNullable<ReturnType<typeof parseToken>>;

function parseAuthorization(authorization: string): ParsedToken | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match === null ? undefined : parseToken(match[1]!);
}
