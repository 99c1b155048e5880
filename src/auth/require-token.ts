import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import type { Scope } from "./api-token.js";
import type { Authenticator, Principal } from "./authenticator.js";

/** The authenticated caller of the current RPC, for handlers: `context.values.get(principalKey)`. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "bridgelog principal" });

/**
 * What each service requires: a scope; "any-token" for a valid token of any scope (reflection,
 * which only describes the API); or "open" for services anyone may call (health).
 */
export type ServiceAccess = Record<string, Scope | "any-token" | "open">;

/**
 * Admits only callers with a valid token holding the scope the service requires, and hands the
 * principal to the handler. Deny by default: a service missing from `access` is refused, so a new
 * service cannot be exposed by forgetting to list it.
 */
export function requireToken(authenticator: Authenticator, access: ServiceAccess): Interceptor {
  return (next) => async (request) => {
    const required = access[request.service.typeName];
    if (required === "open") return next(request);
    if (required === undefined) {
      throw new ConnectError(`${request.service.typeName} has no access rule`, Code.PermissionDenied);
    }
    const principal = await authenticator.authenticate(request.header.get("authorization"));
    if (required !== "any-token" && !principal.scopes.has(required)) {
      throw new ConnectError(`this token lacks the "${required}" scope`, Code.PermissionDenied);
    }
    request.contextValues.set(principalKey, principal);
    return next(request);
  };
}

/** Throws PermissionDenied unless the principal may act for `tenantId`. */
export function assertTenant(principal: Principal | undefined, tenantId: string): void {
  if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
  if (principal.tenantId !== null && principal.tenantId !== tenantId) {
    throw new ConnectError(`this token may not act for tenant ${JSON.stringify(tenantId)}`, Code.PermissionDenied);
  }
}
