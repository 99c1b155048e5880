import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ClassifierService } from "../../gen/bridgelog/v1/classifier_service_pb.js";
import { toProtoErrorType } from "../interception/proto-enums.js";
import { invalidArgument } from "../rpc/invalid-argument.js";
import type { classifyFailure } from "./classify-failure.js";

/**
 * bridgelog.v1.ClassifierService: the recorder's classification, synchronously, for bridges
 * deciding whether to retry or fall back. The same function, so the same answer.
 */
export function createClassifierService(classify: typeof classifyFailure): ServiceImpl<typeof ClassifierService> {
  return {
    classifyError(request) {
      const upstream = request.upstream;
      if (upstream !== undefined && (upstream.httpStatus < 0 || upstream.httpStatus > 999)) {
        throw invalidArgument([{ field: "upstream.http_status", description: "must be 0 (no response) or 100 to 999" }]);
      }
      if (upstream === undefined && request.errorMessage === "") {
        throw new ConnectError("nothing to classify: send upstream facts, an error_message, or both", Code.InvalidArgument);
      }
      const result = classify({
        provider: request.provider,
        httpStatus: upstream?.httpStatus || undefined,
        body: upstream?.body,
        errorName: upstream?.errorName,
        code: upstream?.code,
        message: request.errorMessage,
      });
      return {
        errorType: toProtoErrorType(result.errorType),
        providerCode: result.providerCode ?? "",
        retryable: result.retryable,
      };
    },
  };
}
