import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { TraceService } from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { principalKey } from "../auth/principal.js";
import type { ExportTraces } from "./export-traces.js";

/**
 * opentelemetry.proto.collector.trace.v1.TraceService: OTLP/gRPC on the service's one port, behind
 * the same token check as every RPC (the record scope, SERVICE_ACCESS).
 */
export function createTraceService(exportTraces: ExportTraces): ServiceImpl<typeof TraceService> {
  return {
    async export(request, context) {
      const principal = context.values.get(principalKey);
      if (principal === undefined) throw new ConnectError("not authenticated", Code.Unauthenticated);
      return exportTraces(request, principal);
    },
  };
}
