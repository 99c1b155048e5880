import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";

/**
 * Logs, with its cause, any error a handler throws that is not a deliberate ConnectError. Connect
 * answers those with a bare Internal, so without this the cause would be lost; with it, the client
 * still learns nothing of the internals.
 */
export function logUnexpectedErrors(log: Logger): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      if (!(error instanceof ConnectError)) {
        log.error({ err: error, rpc: `${request.service.typeName}/${request.method.name}` }, "unexpected error in an RPC");
      }
      throw error;
    }
  };
}
