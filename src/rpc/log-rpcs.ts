import { randomUUID } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Principal } from "../auth/authenticator.js";
import { principalKey } from "../auth/principal.js";

/**
 * One JSON log line per RPC: request id (the caller's `x-request-id` if well-formed, or a new
 * one), RPC, the authenticated token id and tenant, status code and duration. Never the token, nor any request or error body. An error a handler
 * throws that is not a deliberate ConnectError reaches the client as a bare Internal; its cause is
 * logged here at error level, so it is not lost.
 */
export function logRpcs(log: Logger): Interceptor {
  return (next) => async (request) => {
    const started = performance.now();
    const requestId = validRequestId(request.header.get("x-request-id")) ?? randomUUID();
    const rpc = `${request.service.typeName}/${request.method.name}`;
    const line = (code: string) => ({
      requestId,
      rpc,
      ...who(request.contextValues.get(principalKey), request.message),
      code,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    });
    try {
      const response = await next(request);
      log.info(line("OK"), "rpc");
      return response;
    } catch (error) {
      const failure = ConnectError.from(error);
      const code = Code[failure.code];
      if (error instanceof ConnectError) log.info(line(code), "rpc");
      else log.error({ ...line(code), err: error }, "unexpected error in an RPC");
      throw error;
    }
  };
}

/**
 * The caller's token id and tenant, only once its token was checked: a tenant-bound token's own
 * tenant, or for a token for every tenant the tenant its request names. Before, a refused
 * request's body named the tenant that was logged, so anyone could write any tenant into the logs.
 */
function who(principal: Principal | undefined, message: unknown): { tokenId?: string; tenant?: string } {
  if (principal === undefined) return {};
  return { tokenId: principal.tokenId, tenant: principal.tenantId ?? tenantOf(message) };
}

/**
 * The caller's request id when it is one: 1 to 128 visible ASCII characters. Anything else (a
 * 60 KB header was logged verbatim) is replaced by a new id.
 */
function validRequestId(value: string | null): string | undefined {
  return value !== null && /^[\x21-\x7e]{1,128}$/.test(value) ? value : undefined;
}

/** The tenant a unary request names, if any (streams are logged without one). */
function tenantOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const fields = message as { tenantId?: unknown; interception?: { tenantId?: unknown } };
  const tenant = fields.tenantId ?? fields.interception?.tenantId;
  return typeof tenant === "string" && tenant !== "" ? tenant : undefined;
}
