import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { ServerMetrics } from "./server-metrics.js";

/** Counts every RPC by method and code and times it (bridgelog_rpcs_total, bridgelog_rpc_duration_seconds). */
export function measureRpcs(metrics: ServerMetrics): Interceptor {
  return (next) => async (request) => {
    const rpc = `${request.service.typeName}/${request.method.name}`;
    const stop = metrics.rpcSeconds.startTimer({ rpc });
    try {
      const response = await next(request);
      metrics.rpcs.inc({ rpc, code: "OK" });
      return response;
    } catch (error) {
      metrics.rpcs.inc({ rpc, code: Code[ConnectError.from(error).code] });
      throw error;
    } finally {
      stop();
    }
  };
}
