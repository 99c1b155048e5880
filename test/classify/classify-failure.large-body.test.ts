import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/classify/classify-failure.js";

const MiB = 1024 * 1024;
const padding = "x".repeat(MiB);

describe("classifyFailure when a 1 MiB body carries its signal in the first bytes", () => {
  it("then a JSON error too large to parse is still read from its head", () => {
    const body = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"padding":"${padding}"}`;
    expect(classifyFailure({ provider: "anthropic", httpStatus: 500, body })).toEqual({
      errorType: "overloaded",
      providerCode: "overloaded_error",
      retryable: true,
    });
  });

  it("then a plain-text message is still read from its head", () => {
    const body = `Your credit balance is too low to access the Anthropic API.\n${padding}`;
    expect(classifyFailure({ provider: "anthropic", httpStatus: 400, body }).errorType).toBe("quota_exhausted");
  });

  it("then an error event at the start of a long stream is found", () => {
    const errorEvent = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const body = errorEvent + "data: {}\n\n".repeat(MiB / 10);
    expect(classifyFailure({ provider: "anthropic", httpStatus: 200, body })).toEqual({
      errorType: "overloaded",
      providerCode: "overloaded_error",
      retryable: true,
    });
  });

  it("then a Google quota error keeps its per-day meaning", () => {
    const quotaFailure = {
      "@type": "type.googleapis.com/google.rpc.QuotaFailure",
      violations: [{ quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier" }],
    };
    const body = JSON.stringify({ error: { code: 429, status: "RESOURCE_EXHAUSTED", details: [quotaFailure], message: padding } });
    expect(classifyFailure({ provider: "gemini", httpStatus: 429, body })).toEqual({
      errorType: "quota_exhausted",
      providerCode: "RESOURCE_EXHAUSTED",
      retryable: false,
    });
  });

  it("then an HTML page of 1 MiB still leaves the decision to the status", () => {
    const body = `<html><head><title>502 Bad Gateway</title></head><body>${padding}</body></html>`;
    expect(classifyFailure({ httpStatus: 502, body }).errorType).toBe("server_error");
  });
});
