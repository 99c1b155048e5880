import {
  ErrorType as ProtoErrorType,
  KeySource as ProtoKeySource,
  Outcome as ProtoOutcome,
} from "../../gen/bridgelog/v1/interception_pb.js";
import type { ErrorType } from "./error-type.js";
import type { KeySource, Outcome } from "./interception.js";

// The proto enums and the domain's string unions name each value with the same words:
// ERROR_TYPE_RATE_LIMITED is "rate_limited", KEY_SOURCE_BYOK is "byok". protoc-gen-es drops the
// prefix, so each mapping is the enum's own name in lower case: one rule, here, for every enum.

/** "rate_limited" is ERROR_TYPE_RATE_LIMITED; no error is UNSPECIFIED. */
export function toProtoErrorType(type: ErrorType | null): ProtoErrorType {
  if (type === null) return ProtoErrorType.UNSPECIFIED;
  return ProtoErrorType[type.toUpperCase() as keyof typeof ProtoErrorType];
}

/** ERROR_TYPE_RATE_LIMITED is "rate_limited"; UNSPECIFIED, or a value this server does not know, is null. */
export function fromProtoErrorType(value: ProtoErrorType): ErrorType | null {
  if (value === ProtoErrorType.UNSPECIFIED) return null;
  return (ProtoErrorType[value]?.toLowerCase() as ErrorType | undefined) ?? null;
}

export function toProtoOutcome(outcome: Outcome): ProtoOutcome {
  return ProtoOutcome[outcome.toUpperCase() as keyof typeof ProtoOutcome];
}

export function toProtoKeySource(source: KeySource): ProtoKeySource {
  return ProtoKeySource[source.toUpperCase() as keyof typeof ProtoKeySource];
}

/** A value from a newer contract this server does not know is "unspecified". */
export function fromProtoKeySource(value: ProtoKeySource): KeySource {
  return (ProtoKeySource[value]?.toLowerCase() as KeySource | undefined) ?? "unspecified";
}
