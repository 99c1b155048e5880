import { ErrorType as ProtoErrorType, Outcome as ProtoOutcome } from "../../gen/bridgelog/v1/interception_pb.js";
import type { ErrorType } from "./error-type.js";
import type { Outcome } from "./interception-record.js";

/** "rate_limited" is ERROR_TYPE_RATE_LIMITED: the proto enum value named by the same words. */
export function toProtoErrorType(type: ErrorType | null): ProtoErrorType {
  if (type === null) return ProtoErrorType.UNSPECIFIED;
  return ProtoErrorType[type.toUpperCase() as keyof typeof ProtoErrorType];
}

export function toProtoOutcome(outcome: Outcome): ProtoOutcome {
  return ProtoOutcome[outcome.toUpperCase() as keyof typeof ProtoOutcome];
}
