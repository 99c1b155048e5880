import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/classify/classify-failure.js";
import type { ErrorType } from "../../src/interception/error-type.js";

describe("classifyFailure when only the HTTP status is known", () => {
  const expected: readonly (readonly [number, ErrorType])[] = [
    [400, "bad_request"],
    [401, "unauthorized"],
    [402, "quota_exhausted"],
    [403, "permission_denied"],
    [404, "not_found"],
    [405, "bad_request"],
    [408, "timeout"],
    [409, "bad_request"],
    [410, "not_found"],
    [413, "bad_request"],
    [422, "bad_request"],
    [429, "rate_limited"],
    [451, "bad_request"],
    [499, "canceled"],
    [500, "server_error"],
    [501, "server_error"],
    [502, "server_error"],
    [503, "overloaded"],
    [504, "timeout"],
    [520, "server_error"],
    [521, "network_error"],
    [522, "network_error"],
    [523, "network_error"],
    [524, "timeout"],
    [529, "overloaded"],
    [599, "server_error"],
  ];

  it.each(expected)("then %i is %s", (status, errorType) => {
    expect(classifyFailure({ httpStatus: status }).errorType).toBe(errorType);
    expect(classifyFailure({ httpStatus: status }).providerCode).toBeUndefined();
  });

  it.each([0, -1, 99, 200, 204, 301, 600, 99999, 429.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "then the non-error status %s alone is unknown",
    (status) => {
      expect(classifyFailure({ httpStatus: status })).toEqual({
        errorType: "unknown",
        providerCode: undefined,
        retryable: false,
      });
    },
  );

  it("then a status the provider redefines follows the provider (Groq 498 is capacity)", () => {
    expect(classifyFailure({ provider: "groq", httpStatus: 498 }).errorType).toBe("overloaded");
    expect(classifyFailure({ provider: "cohere", httpStatus: 498 }).errorType).toBe("bad_request");
  });

  it("then nothing at all is unknown", () => {
    expect(classifyFailure({})).toEqual({ errorType: "unknown", providerCode: undefined, retryable: false });
  });
});
