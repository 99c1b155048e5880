import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import type { FieldViolation } from "../interception/normalize-interception.js";

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
