import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Scope } from "./api-token.js";
import type { Authenticator } from "./authenticator.js";
import { headerPrincipalKey } from "./authenticate-before-body.js";
import { principalKey } from "./principal.js";

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
    const principal =
      request.contextValues.get(headerPrincipalKey) ?? (await authenticator.authenticate(request.header.get("authorization")));
    if (required !== "any-token" && !principal.scopes.has(required)) {
      throw new ConnectError(`this token lacks the "${required}" scope`, Code.PermissionDenied);
    }
    request.contextValues.set(principalKey, principal);
    return next(request);
  };
}
