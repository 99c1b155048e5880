import { RPC_STATUS_NAMES } from "./provider-codes.js";

// `8 RESOURCE_EXHAUSTED: Quota exceeded.`, as @grpc/grpc-js formats a status into an Error message
// (Vertex and other Google Cloud Node clients surface it unchanged). Anchored, no nested quantifiers.
const GRPC_MESSAGE = /^(?:error: )?\d{1,2} ([a-z_]{4,25}):/i;

/**
 * The google.rpc status name at the head of a gRPC error message, such as `DEADLINE_EXCEEDED` in
 * `4 DEADLINE_EXCEEDED: Deadline exceeded`; undefined for any other message.
 */
export function grpcStatusName(message: string): string | undefined {
  const name = GRPC_MESSAGE.exec(message.trimStart())?.[1]?.toUpperCase();
  return name !== undefined && RPC_STATUS_NAMES.has(name) ? name : undefined;
}
