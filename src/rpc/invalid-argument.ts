import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";

/** One bad field: its path in the request (e.g. "interception.tenant_id") and what is wrong. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * An InvalidArgument error whose message names every bad field, with the same list attached as a
 * `google.rpc.BadRequest` detail for clients that read details.
 */
export function invalidArgument(violations: readonly FieldViolation[]): ConnectError {
  const summary = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return new ConnectError(summary, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [...violations] }) },
  ]);
}
