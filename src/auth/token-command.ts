import { parseArgs } from "node:util";
import { isScope, type Scope } from "./api-token.js";
import type { TokenStore } from "./token-store.js";

export const TOKEN_USAGE = `usage:
  bridgelog token create (--tenant TENANT | --all-tenants) --scope SCOPE [--scope SCOPE ...] [--label TEXT]
  bridgelog token list
  bridgelog token revoke TOKEN_ID

scopes: record (bridges), read (dashboards, queries), admin (tokens and devices)`;

/**
 * `bridgelog token ...`: creates (printing the token once: only its hash is kept), lists and
 * revokes API tokens. Resolves with the exit code; writes results to `out`, problems to `err`.
 */
export async function runTokenCommand(
  args: string[],
  store: TokenStore,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [action, ...rest] = args;
  try {
    switch (action) {
      case "create": {
        const { values } = parseArgs({
          args: rest,
          options: {
            tenant: { type: "string" },
            "all-tenants": { type: "boolean", default: false },
            scope: { type: "string", multiple: true, default: [] },
            label: { type: "string", default: "" },
          },
          strict: true,
        });
        if ((values.tenant === undefined) === !values["all-tenants"]) {
          err("token create: give either --tenant TENANT or --all-tenants");
          return 2;
        }
        if (values.tenant !== undefined && values.tenant.trim() === "") {
          err("token create: --tenant must not be empty");
          return 2;
        }
        const bad = values.scope.filter((s) => !isScope(s));
        if (values.scope.length === 0 || bad.length > 0) {
          err(`token create: --scope must be record, read or admin${bad.length > 0 ? ` (got ${bad.join(", ")})` : ""}`);
          return 2;
        }
        const scopes = [...new Set(values.scope)] as Scope[];
        const created = await store.create({ tenantId: values.tenant ?? null, scopes, label: values.label });
        out(created.token);
        err(`token ${created.id} created for ${values.tenant ?? "every tenant"} with ${scopes.join(", ")}; it is shown only now`);
        return 0;
      }
      case "list": {
        const tokens = await store.list();
        out(["id", "tenant", "scopes", "created", "revoked", "label"].join("\t"));
        for (const t of tokens) {
          out(
            [t.id, t.tenantId ?? "*", t.scopes.join(","), t.createdAt.toISOString(), t.revokedAt?.toISOString() ?? "-", t.label].join("\t"),
          );
        }
        return 0;
      }
      case "revoke": {
        const [id] = rest;
        if (id === undefined || rest.length !== 1) {
          err("token revoke: give one TOKEN_ID (see bridgelog token list)");
          return 2;
        }
        if (!(await store.revoke(id))) {
          err(`token revoke: no active token ${id}`);
          return 1;
        }
        err(`token ${id} revoked; running servers refuse it within BRIDGELOG_TOKEN_CACHE_MS`);
        return 0;
      }
      default:
        err(TOKEN_USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      err(`token ${action}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
