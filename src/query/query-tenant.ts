import { Code, ConnectError } from "@connectrpc/connect";
import type { Principal } from "../auth/authenticator.js";
import { assertTenant } from "../auth/principal.js";
import { invalidArgument } from "../rpc/invalid-argument.js";

/**
 * The tenant a query reads: the one asked for, which a tenant-bound token may leave empty to mean
 * its own. Asking for another tenant's data is PermissionDenied; a token for every tenant must say
 * which.
 */
export function queryTenant(principal: Principal | undefined, requested: string): string {
  if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
  const tenantId = requested === "" ? principal.tenantId : requested;
  if (tenantId === null) throw invalidArgument([{ field: "tenant_id", description: "required with a token for every tenant" }]);
  assertTenant(principal, tenantId);
  return tenantId;
}
