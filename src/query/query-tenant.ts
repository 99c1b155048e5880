import { Code, ConnectError } from "@connectrpc/connect";
import type { Principal } from "../auth/authenticator.js";
import { assertTenant } from "../auth/principal.js";
import { FIELD_MAX_BYTES } from "../interception/normalize-interception.js";
import { identifierProblem } from "../rpc/field-checks.js";
import { invalidArgument } from "../rpc/invalid-argument.js";

/**
 * The tenant a query reads: the one asked for, which a tenant-bound token may leave empty to mean
 * its own. Asking for another tenant's data is PermissionDenied; a token for every tenant must say
 * which.
 */
export function queryTenant(principal: Principal | undefined, requested: string): string {
  if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
  // A NUL reached PostgreSQL (INTERNAL); no stored tenant has a control character anyway.
  const problem = requested === "" ? undefined : identifierProblem(requested, FIELD_MAX_BYTES.tenant_id);
  if (problem !== undefined) throw invalidArgument([{ field: "tenant_id", description: problem }]);
  const tenantId = requested === "" ? principal.tenantId : requested;
  if (tenantId === null) throw invalidArgument([{ field: "tenant_id", description: "required with a token for every tenant" }]);
  assertTenant(principal, tenantId);
  return tenantId;
}
