import { Code, ConnectError } from "@connectrpc/connect";
import type { Scope } from "../../../src/auth/api-token.js";
import type { Authenticator, Principal } from "../../../src/auth/authenticator.js";

export interface FixedPrincipal {
  /** null: every tenant. */
  tenantId: string | null;
  scopes: readonly Scope[];
}

/**
 * An Authenticator over a fixed table instead of the token store: `Bearer <name>` is the
 * principal listed under that name, and anything else is Unauthenticated, as with the real one.
 * With the real `requireToken` interceptor in front of a handler, a test chooses the caller by
 * the header it sends, and the handler reads the principal the way it does in production.
 */
export function fixedAuthenticator(principals: Record<string, FixedPrincipal>): Authenticator {
  const principalOf = (authorization: string | null | undefined): Principal | undefined => {
    const name = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    const found = name === undefined ? undefined : principals[name];
    return found === undefined ? undefined : { tokenId: name!, tenantId: found.tenantId, scopes: new Set(found.scopes) };
  };
  return {
    async authenticate(authorization) {
      const principal = principalOf(authorization);
      if (principal === undefined) throw new ConnectError("invalid or revoked token", Code.Unauthenticated);
      return principal;
    },
    cached: principalOf,
  };
}

/** Call options that send `Authorization: Bearer <name>`. */
export function as(name: string) {
  return { headers: { authorization: `Bearer ${name}` } };
}
