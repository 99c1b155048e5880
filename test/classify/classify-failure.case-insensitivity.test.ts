import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/classify/classify-failure.js";
import { FAILURE_CASES } from "./cases.js";

/** Whether a body is structured (JSON or SSE), whose keys a provider never re-cases. */
function structured(body: string): boolean {
  const head = body.trimStart();
  return head.startsWith("{") || head.startsWith("[") || head.startsWith('"') || head.startsWith("event:");
}

describe("classifyFailure when text arrives in another case", () => {
  const recasings = [
    ["upper", (s: string) => s.toUpperCase()],
    ["lower", (s: string) => s.toLowerCase()],
  ] as const;

  it.each(recasings)("then every case keeps its type with %s-cased messages, names, codes and text", (_how, recase) => {
    for (const failure of FAILURE_CASES) {
      const facts = { ...failure.facts };
      if (facts.message !== undefined) facts.message = recase(facts.message);
      if (facts.errorName !== undefined) facts.errorName = recase(facts.errorName);
      if (facts.code !== undefined) facts.code = recase(facts.code);
      if (facts.provider !== undefined) facts.provider = recase(facts.provider);
      if (facts.body !== undefined && !structured(facts.body)) facts.body = recase(facts.body);
      expect(classifyFailure(facts).errorType, failure.name).toBe(failure.errorType);
    }
  });

  it("then AWS exception names are reported in their canonical spelling", () => {
    for (const name of ["THROTTLINGEXCEPTION", "throttlingexception", "throttlingException", "ThrottlingException"]) {
      expect(classifyFailure({ provider: "bedrock", errorName: name })).toEqual({
        errorType: "rate_limited",
        providerCode: "ThrottlingException",
        retryable: true,
      });
    }
  });

  it("then transport codes are reported in their canonical spelling", () => {
    expect(classifyFailure({ code: "econnreset" })).toEqual({
      errorType: "network_error",
      providerCode: "ECONNRESET",
      retryable: true,
    });
  });

  it("then a provider code in a body matches whatever its case, and is reported as sent", () => {
    const body = '{"error":{"message":"quota","type":"INSUFFICIENT_QUOTA","code":"INSUFFICIENT_QUOTA"}}';
    expect(classifyFailure({ provider: "OpenAI", httpStatus: 429, body })).toEqual({
      errorType: "quota_exhausted",
      providerCode: "INSUFFICIENT_QUOTA",
      retryable: false,
    });
  });

  it("then a google.rpc status in lower case still counts", () => {
    const body = '{"error":{"code":429,"message":"Resource has been exhausted.","status":"resource_exhausted"}}';
    expect(classifyFailure({ httpStatus: 429, body }).errorType).toBe("rate_limited");
    const grpc = classifyFailure({ message: "8 resource_exhausted: quota exceeded." });
    expect(grpc.providerCode).toBe("RESOURCE_EXHAUSTED");
  });

  it("then the provider name is matched whatever its case", () => {
    expect(classifyFailure({ provider: "  GROQ ", httpStatus: 498 }).errorType).toBe("overloaded");
  });
});
