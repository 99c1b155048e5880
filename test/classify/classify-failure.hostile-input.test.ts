import { describe, expect, it } from "vitest";
import { classifyFailure, type Classification, type UpstreamFailure } from "../../src/classify/classify-failure.js";
import { RETRY_AFTER_MAX_MS } from "../../src/classify/retry-hint.js";
import { isErrorType, isRetryable } from "../../src/interception/error-type.js";
import { seededRandom } from "../support/seeded-random.js";

const MiB = 1024 * 1024;

function expectWellFormed(result: Classification): void {
  expect(isErrorType(result.errorType)).toBe(true);
  expect(result.retryable).toBe(isRetryable(result.errorType));
  expect(result.providerCode === undefined || typeof result.providerCode === "string").toBe(true);
  const hint = result.retryAfterMs;
  expect(hint === undefined || (Number.isInteger(hint) && hint >= 0 && hint <= RETRY_AFTER_MAX_MS), String(hint)).toBe(true);
}

/** Calls with facts of any shape, as an untyped caller (or a JSON decoder) could. */
function classifyAnything(facts: unknown): Classification {
  return classifyFailure(facts as UpstreamFailure);
}

// Pieces of syntax and of real error vocabulary, so random text often looks almost right.
const FRAGMENTS = [
  ..."{}[]\"':,\\ ".split(""),
  "\n",
  "\r\n",
  "data:",
  "event: error\n",
  "<html>",
  "null",
  "true",
  "-1e999",
  "0",
  ...['"error"', '"code"', '"type"', '"status"', '"details"', '"message"', '"reason"', '"violations"'],
  ...['"quotaId"', '"metadata"', '"raw"', '"__type"', '"innererror"', '"@type"'],
  ...["RESOURCE_EXHAUSTED", "UNAVAILABLE", "insufficient_quota", "overloaded_error", "ThrottlingException"],
  ...["ECONNRESET", "429 ", "8 ", "{'error': ", "None", "per day", "limit: 0"],
  ...["\u0000", "\ud800", "😀", "ü", "\u2028"],
];

const KEYS = [
  ...["error", "code", "type", "status", "details", "message", "reason", "violations", "quotaId", "metadata"],
  ...["raw", "__type", "innererror", "@type", "name", "Message", "detail", "errors", "provider_specific_fields"],
  ...["throttlingException", "__proto__", "constructor"],
];

function randomText(random: () => number, parts: number): string {
  let text = "";
  for (let i = 0; i < parts; i++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
  return text;
}

function randomJson(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth > 5 || pick < 0.3) {
    const leaves: unknown[] = [null, true, 429, -1, 1e308, "", randomText(random, 3), "RESOURCE_EXHAUSTED"];
    return leaves[Math.floor(random() * leaves.length)];
  }
  if (pick < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(random() * 5);
  for (let i = 0; i < n; i++) o[KEYS[Math.floor(random() * KEYS.length)]!] = randomJson(random, depth + 1);
  return o;
}

function randomValue(random: () => number): unknown {
  const values: unknown[] = [
    undefined, null, 0, -1, 99999, Number.NaN, Number.POSITIVE_INFINITY, 429, "429", "", true, {}, [], 12n,
    randomText(random, 8), JSON.stringify(randomJson(random, 0)), Symbol("s"),
  ];
  return values[Math.floor(random() * values.length)];
}

describe("classifyFailure on hostile input", () => {
  it("then it never throws on 3,000 seeded random strings, JSON bodies and mistyped fields", () => {
    const random = seededRandom(20240611);
    for (let i = 0; i < 3000; i++) {
      const body = [JSON.stringify(randomJson(random, 0)), randomText(random, 40), randomValue(random)][i % 3];
      const facts = {
        provider: i % 5 === 0 ? randomValue(random) : "groq",
        httpStatus: randomValue(random),
        body,
        errorName: i % 7 === 0 ? randomValue(random) : randomText(random, 2),
        code: i % 4 === 0 ? randomValue(random) : randomText(random, 1),
        message: i % 2 === 0 ? randomText(random, 20) : JSON.stringify(randomJson(random, 0)),
        responseHeaders: i % 3 === 0 ? randomValue(random) : { "retry-after": randomValue(random), "retry-after-ms": randomText(random, 2) },
      };
      expectWellFormed(classifyAnything(facts));
    }
  });

  it("then JSON nested 10,000 levels deep is unknown, not a stack overflow", () => {
    const arrays = "[".repeat(10_000) + "]".repeat(10_000);
    const errors = '{"error":'.repeat(10_000) + '"x"' + "}".repeat(10_000);
    for (const text of [arrays, errors]) {
      expectWellFormed(classifyFailure({ body: text }));
      expectWellFormed(classifyFailure({ message: text }));
      expect(classifyFailure({ body: text, httpStatus: 500 }).errorType).toBe("server_error");
    }
  });

  it("then 1 MiB of `[`, `{` or whitespace after one is unknown", () => {
    const unknown = { errorType: "unknown", providerCode: undefined, retryable: false };
    expect(classifyFailure({ body: "[".repeat(MiB) })).toEqual(unknown);
    expect(classifyFailure({ body: "{".repeat(MiB) }).errorType).toBe("unknown");
    expect(classifyFailure({ message: "[{".repeat(MiB / 2) }).errorType).toBe("unknown");
    expect(classifyFailure({ body: `[${" ".repeat(MiB)}`, message: `{${" ".repeat(MiB)}` }).errorType).toBe("unknown");
  });

  it("then 1 MiB of `a` is unknown, and the status still decides", () => {
    expect(classifyFailure({ body: "a".repeat(MiB), message: "a".repeat(MiB) }).errorType).toBe("unknown");
    expect(classifyFailure({ body: "a".repeat(MiB), httpStatus: 503 }).errorType).toBe("overloaded");
  });

  it("then bodies that are JSON arrays, numbers, strings or null fall back to the status", () => {
    const bodies = ["[]", "[1,2,3]", "42", "-0.5e10", '"just a string"', "null", "true", "{}", '{"error":null}', '{"error":[]}'];
    for (const body of bodies) {
      expect(classifyFailure({ body, httpStatus: 404 }).errorType, body).toBe("not_found");
      expectWellFormed(classifyFailure({ body }));
    }
  });

  it("then invalid and truncated JSON falls back to the text and the status", () => {
    const truncated = '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"';
    expect(classifyFailure({ body: truncated, httpStatus: 429 })).toEqual({
      errorType: "quota_exhausted",
      providerCode: "insufficient_quota",
      retryable: false,
    });
    expect(classifyFailure({ body: "{not json at all", httpStatus: 502 }).errorType).toBe("server_error");
  });

  it("then missing, null and mistyped facts are unknown", () => {
    const mistyped = { body: 12, message: {}, code: [], errorName: 5, provider: {} };
    for (const facts of [undefined, null, 0, "body", [], mistyped]) {
      expect(classifyAnything(facts)).toEqual({ errorType: "unknown", providerCode: undefined, retryable: false });
    }
  });

  it("then facts whose getters throw are unknown", () => {
    const facts = Object.defineProperty({ httpStatus: 429 }, "body", {
      get() {
        throw new Error("body already consumed");
      },
    });
    expect(classifyAnything(facts)).toEqual({ errorType: "unknown", providerCode: undefined, retryable: false });
  });

  it("then strings that defeat backtracking regexes are handled", () => {
    const messages = ["1".repeat(100_000), `${"error ".repeat(50_000)}999`, `${" ".repeat(100_000)}!`, `8 ${"A".repeat(1e5)}:`];
    for (const message of messages) {
      expectWellFormed(classifyFailure({ message }));
    }
  });

  it("then mistyped or enormous response headers give no hint and never throw", () => {
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x-h${i}`, "1"]));
    const headerSets: unknown[] = [
      [],
      ["retry-after", "3"],
      { "retry-after": 3 },
      { "retry-after": null, "retry-after-ms": {} },
      { "retry-after": "9".repeat(MiB) },
      { "retry-after": `Wed, 21 Oct 2015 07:28:00 GMT${" ".repeat(MiB)}x` },
      many,
    ];
    for (const responseHeaders of headerSets) {
      const result = classifyAnything({ httpStatus: 429, responseHeaders });
      expectWellFormed(result);
      expect(result.retryAfterMs).toBeUndefined();
    }
  });

  it("then a megabyte of retry wording is read in bounded time and gives a bounded hint", () => {
    for (const message of ["try again in ".repeat(MiB / 13), `Please retry after ${"9".repeat(MiB)} seconds`, "retry in 1h".repeat(MiB / 11)]) {
      expectWellFormed(classifyFailure({ httpStatus: 429, message }));
    }
  });
});
