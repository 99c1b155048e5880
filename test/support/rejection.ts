import { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import type { FieldViolation } from "../../src/rpc/invalid-argument.js";

/** The ConnectError a call rejected with. When the call succeeds, throws, so the test fails saying so. */
export async function rejectionOf(call: Promise<unknown>): Promise<ConnectError> {
  return call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => ConnectError.from(error),
  );
}

/** The field violations in an error's google.rpc.BadRequest details, as plain { field, description }. */
export function fieldViolationsOf(error: ConnectError): FieldViolation[] {
  return error.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map(({ field, description }) => ({ field, description })));
}
