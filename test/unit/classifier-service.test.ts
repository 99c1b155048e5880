import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ClassifierService, type ClassifyErrorRequestSchema, ClassifyErrorResponseSchema } from "../../gen/bridgelog/v1/classifier_service_pb.js";
import { ErrorType } from "../../gen/bridgelog/v1/interception_pb.js";
import { createClassifierService } from "../../src/classify/classifier-service.js";
import { classifyFailure, type UpstreamFailure } from "../../src/classify/classify-failure.js";
import { FAILURE_CASES } from "../classify/cases.js";
import { fieldViolationsOf, rejectionOf } from "../support/rejection.js";
import { scriptedClassifier } from "./support/scripted-classifier.js";

/** The service over an in-memory transport, with a real client. */
function classifierOver(classify: typeof classifyFailure) {
  const transport = createRouterTransport((router) => router.service(ClassifierService, createClassifierService(classify)));
  return createClient(ClassifierService, transport);
}

/** The request a bridge would send for these facts: upstream facts when it has any, the message beside them. */
function requestFor(facts: UpstreamFailure): MessageInitShape<typeof ClassifyErrorRequestSchema> {
  const { provider = "", httpStatus, body, errorName, code, message = "", responseHeaders } = facts;
  const hasUpstream = [httpStatus, body, errorName, code, responseHeaders].some((v) => v !== undefined);
  return {
    provider,
    errorMessage: message,
    upstream: hasUpstream
      ? { httpStatus: httpStatus ?? 0, body: body ?? "", errorName: errorName ?? "", code: code ?? "", responseHeaders }
      : undefined,
  };
}

describe("ClassifyError", () => {
  it(`when asked about each of the ${FAILURE_CASES.length} recorded provider failures, then it answers exactly what the recorder's classifier says`, async () => {
    const client = classifierOver(classifyFailure);
    for (const { name, facts } of FAILURE_CASES) {
      const direct = classifyFailure(facts);
      const answer = await client.classifyError(requestFor(facts));
      expect(answer, name).toEqual(
        create(ClassifyErrorResponseSchema, {
          errorType: ErrorType[direct.errorType.toUpperCase() as keyof typeof ErrorType],
          providerCode: direct.providerCode ?? "",
          retryable: direct.retryable,
          retryAfterMs: direct.retryAfterMs === undefined ? undefined : BigInt(direct.retryAfterMs),
        }),
      );
    }
  });

  it("when the classifier names a type and a code, then the answer carries the enum value, the code and whether to retry", async () => {
    const { classify } = scriptedClassifier({ errorType: "rate_limited", providerCode: "rate_limit_exceeded", retryable: true });
    expect(await classifierOver(classify).classifyError({ errorMessage: "slow down" })).toEqual(
      create(ClassifyErrorResponseSchema, { errorType: ErrorType.RATE_LIMITED, providerCode: "rate_limit_exceeded", retryable: true }),
    );
  });

  it("when the classifier finds no provider code, then the answer's code is empty", async () => {
    const { classify } = scriptedClassifier({ errorType: "unknown", providerCode: undefined, retryable: false });
    expect(await classifierOver(classify).classifyError({ errorMessage: "something broke" })).toMatchObject({ errorType: ErrorType.UNKNOWN, providerCode: "" });
  });

  it("when http_status is 0, then the classifier is told there was no response; the other facts reach it as sent", async () => {
    const scripted = scriptedClassifier({ errorType: "network_error", providerCode: "ECONNRESET", retryable: true });
    await classifierOver(scripted.classify).classifyError({
      provider: "openai",
      upstream: { httpStatus: 0, body: "", errorName: "APIConnectionError", code: "ECONNRESET" },
      errorMessage: "read ECONNRESET",
    });
    expect(scripted.asked).toHaveLength(1);
    expect(scripted.asked[0]).toMatchObject({ provider: "openai", errorName: "APIConnectionError", code: "ECONNRESET", message: "read ECONNRESET" });
    expect(scripted.asked[0]?.httpStatus).toBeUndefined();
  });

  it.each([-1, 1000])("when http_status is %i, then InvalidArgument names upstream.http_status and nothing is classified", async (httpStatus) => {
    const scripted = scriptedClassifier({ errorType: "unknown", providerCode: undefined, retryable: false });
    const error = await rejectionOf(classifierOver(scripted.classify).classifyError({ upstream: { httpStatus } }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldViolationsOf(error)).toEqual([
      { field: "upstream.http_status", description: "must be 0 (no response) or 100 to 999" },
    ]);
    expect(scripted.asked).toEqual([]);
  });

  it("when neither upstream facts nor a message are sent, then InvalidArgument says there is nothing to classify", async () => {
    const scripted = scriptedClassifier({ errorType: "unknown", providerCode: undefined, retryable: false });
    const error = await rejectionOf(classifierOver(scripted.classify).classifyError({ provider: "openai" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("nothing to classify: send upstream facts, an error_message, or both");
    expect(scripted.asked).toEqual([]);
  });

  it("when only a message is sent, then it is classified from the message alone", async () => {
    const scripted = scriptedClassifier({ errorType: "timeout", providerCode: undefined, retryable: true });
    await classifierOver(scripted.classify).classifyError({ errorMessage: "Request timed out." });
    expect(scripted.asked).toHaveLength(1);
    expect(scripted.asked[0]).toMatchObject({ message: "Request timed out." });
    expect([scripted.asked[0]?.httpStatus, scripted.asked[0]?.body, scripted.asked[0]?.errorName, scripted.asked[0]?.code]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("when the provider sent a retry header, then the answer carries the hint in milliseconds", async () => {
    const answer = await classifierOver(classifyFailure).classifyError({
      provider: "anthropic",
      upstream: { httpStatus: 529, responseHeaders: { "Retry-After": "12" } },
    });
    expect(answer).toMatchObject({ errorType: ErrorType.OVERLOADED, retryable: true, retryAfterMs: 12_000n });
  });

  it("when no hint can be found, then the answer has no retry_after_ms", async () => {
    const answer = await classifierOver(classifyFailure).classifyError({ provider: "anthropic", upstream: { httpStatus: 529 } });
    expect(answer.retryAfterMs).toBeUndefined();
  });

  it("when more than 64 response headers are sent, then InvalidArgument names upstream.response_headers and nothing is classified", async () => {
    const scripted = scriptedClassifier({ errorType: "unknown", providerCode: undefined, retryable: false });
    const responseHeaders = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-h${i}`, "v"]));
    const error = await rejectionOf(classifierOver(scripted.classify).classifyError({ upstream: { httpStatus: 429, responseHeaders } }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldViolationsOf(error)).toEqual([{ field: "upstream.response_headers", description: "must have at most 64 entries" }]);
    expect(scripted.asked).toEqual([]);
  });
});
