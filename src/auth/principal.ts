import { Code, ConnectError, createContextKey } from "@connectrpc/connect";
import type { Principal } from "./authenticator.js";

/**
 * The authenticated caller of the current RPC, set by the `requireToken` interceptor, for handlers:
 * `context.values.get(principalKey)`.
 */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "bridgelog principal" });

/** Throws PermissionDenied unless the principal may act for `tenantId`. */
export function assertTenant(principal: Principal | undefined, tenantId: string): void {
  if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
  if (principal.tenantId !== null && principal.tenantId !== tenantId) {
    throw new ConnectError(`this token may not act for tenant ${JSON.stringify(tenantId)}`, Code.PermissionDenied);
  }
}
