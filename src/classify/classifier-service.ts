import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ClassifierService } from "../../gen/bridgelog/v1/classifier_service_pb.js";
import { toProtoErrorType } from "../interception/proto-enums.js";
import { responseHeadersOf } from "../interception/normalize-interception.js";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import type { classifyFailure } from "./classify-failure.js";
import { readUpstreamHttpStatus, UPSTREAM_HTTP_STATUS_RULE } from "./http-status.js";

/**
 * bridgelog.v1.ClassifierService: the recorder's classification, synchronously, for bridges
 * deciding whether to retry or fall back. The same function, so the same answer.
 */
export function createClassifierService(classify: typeof classifyFailure): ServiceImpl<typeof ClassifierService> {
  return {
    classifyError(request) {
      const upstream = request.upstream;
      const httpStatus = readUpstreamHttpStatus(upstream?.httpStatus ?? 0);
      if (!httpStatus.valid) {
        throw invalidArgument([{ field: "upstream.http_status", description: UPSTREAM_HTTP_STATUS_RULE }]);
      }
      const violations: FieldViolation[] = [];
      const responseHeaders = responseHeadersOf(upstream?.responseHeaders ?? {}, (field, description) =>
        violations.push({ field, description }),
      );
      if (violations.length > 0) throw invalidArgument(violations);
      if (upstream === undefined && request.errorMessage === "") {
        throw new ConnectError("nothing to classify: send upstream facts, an error_message, or both", Code.InvalidArgument);
      }
      const result = classify({
        provider: request.provider,
        httpStatus: httpStatus.status,
        body: upstream?.body,
        errorName: upstream?.errorName,
        code: upstream?.code,
        message: request.errorMessage,
        responseHeaders,
      });
      return {
        errorType: toProtoErrorType(result.errorType),
        providerCode: result.providerCode ?? "",
        retryable: result.retryable,
        retryAfterMs: result.retryAfterMs === undefined ? undefined : BigInt(result.retryAfterMs),
      };
    },
  };
}
