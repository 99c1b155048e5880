import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
// "invalid_argument" for Code.InvalidArgument: the names Connect uses on the wire.
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Interception } from "../../gen/bridgelog/v1/interception_pb.js";
import {
  type RecordedInterceptionSchema,
  RecorderService,
  type RecordResultSchema,
} from "../../gen/bridgelog/v1/recorder_service_pb.js";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import type { RecordedInterception } from "../interception/interception.js";
import {
  type FailureClassifier,
  type InterceptionLimits,
  normalizeInterception,
} from "../interception/normalize-interception.js";
import { toProtoErrorType, toProtoOutcome } from "../interception/proto-enums.js";
import type { Principal } from "../auth/authenticator.js";
import { assertTenant, principalKey } from "../auth/principal.js";
import { invalidArgument } from "../rpc/invalid-argument.js";
import type { BatchWriter } from "./batch-writer.js";

export interface RecorderServiceOptions {
  writer: BatchWriter;
  classify: FailureClassifier;
  limits: InterceptionLimits & {
    /** Most records on one RecordInterceptions stream. */
    maxStreamRecords: number;
  };
  /** Told the code of every record that is not stored (for metrics). */
  onRejected?: (code: Code) => void;
}

/**
 * bridgelog.v1.RecorderService: validates and normalises at the boundary, checks that the caller's
 * token may write for the record's tenant, then group-commits.
 */
export function createRecorderService(options: RecorderServiceOptions): ServiceImpl<typeof RecorderService> {
  const { writer, classify, limits } = options;

  /** Resolves once the record is committed. Written without async functions: a stream runs this per record. */
  function record(interception: Interception | undefined, principal: Principal | undefined): Promise<RecordedInterception> {
    let written: Promise<RecordedInterception>;
    try {
      const result = normalizeInterception(interception, limits, classify);
      if (!result.ok) throw invalidArgument(result.violations);
      assertTenant(principal, result.interception.tenantId);
      written = writer.write(result.interception);
    } catch (error) {
      written = Promise.reject(error);
    }
    const { onRejected } = options;
    if (onRejected === undefined) return written;
    return written.catch((error: unknown) => {
      onRejected(ConnectError.from(error).code);
      throw error;
    });
  }

  /** One stream record's result; never rejects, so one bad record does not fail the others. */
  function recordOne(
    interception: Interception | undefined,
    principal: Principal | undefined,
  ): Promise<MessageInitShape<typeof RecordResultSchema>> {
    return record(interception, principal).then(
      (stored) => ({ result: { case: "recorded", value: toRecorded(stored) } }),
      (error: unknown) => {
        const failure = ConnectError.from(error);
        return {
          result: {
            case: "rejected",
            value: {
              id: interception?.id ?? "",
              code: codeToString(failure.code),
              message: failure.rawMessage,
              fieldViolations: failure.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations),
            },
          },
        };
      },
    );
  }

  return {
    async recordInterception(request, context) {
      return { recorded: toRecorded(await record(request.interception, context.values.get(principalKey))) };
    },

    async recordInterceptions(requests, context) {
      const principal = context.values.get(principalKey);
      // Records are written as they arrive, so a long stream's early records are not held back.
      const results: Promise<MessageInitShape<typeof RecordResultSchema>>[] = [];
      for await (const request of requests) {
        if (results.length === limits.maxStreamRecords) {
          throw new ConnectError(
            `a stream may carry at most ${limits.maxStreamRecords} records; the first ${limits.maxStreamRecords} are being recorded, send the rest on a new stream`,
            Code.ResourceExhausted,
          );
        }
        results.push(recordOne(request.interception, principal));
      }
      return { results: await Promise.all(results) };
    },
  };
}

function toRecorded(stored: RecordedInterception): MessageInitShape<typeof RecordedInterceptionSchema> {
  return {
    id: stored.id,
    created: stored.created,
    outcome: toProtoOutcome(stored.outcome),
    errorType: toProtoErrorType(stored.errorType),
    errorMessageTruncated: stored.errorMessageTruncated,
    errorMessageBytes: stored.errorMessageBytes,
    providerCode: stored.providerCode ?? "",
    retryAfterMs: stored.retryAfterMs === null ? undefined : BigInt(stored.retryAfterMs),
  };
}
