import { ClassifierService } from "../../gen/bridgelog/v1/classifier_service_pb.js";
import { DeviceService } from "../../gen/bridgelog/v1/device_service_pb.js";
import { QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";
import { RecorderService } from "../../gen/bridgelog/v1/recorder_service_pb.js";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { TraceService } from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { ServiceAccess } from "./require-token.js";

/**
 * The scope each service requires: bridges record (and classify), dashboards read, operators and
 * apps registering devices administer. The health check is the one open service, and reflection,
 * which only describes the API, takes a token of any scope. A service missing here is refused.
 */
export const SERVICE_ACCESS: ServiceAccess = {
  [RecorderService.typeName]: "record",
  [ClassifierService.typeName]: "record",
  // OTLP trace export: instrumented gateways record through it (docs/otlp.md).
  [TraceService.typeName]: "record",
  [QueryService.typeName]: "read",
  [DeviceService.typeName]: "admin",
  [Health.typeName]: "open",
  [ServerReflection.typeName]: "any-token",
};
