import type { DescService } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";

/**
 * A service and its implementation, built once and served by every stack: connect-node (Connect,
 * gRPC-Web, and gRPC from callers without a token) and @grpc/grpc-js (gRPC from callers with one).
 */
export interface ServiceRegistration {
  service: DescService;
  impl: Partial<ServiceImpl<DescService>>;
}

/** Pairs a service with its implementation, type-checked against the service. */
export function serviceRegistration<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>): ServiceRegistration {
  return { service, impl: impl as Partial<ServiceImpl<DescService>> };
}
