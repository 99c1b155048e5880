import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import type { NormalizedInterception } from "../../src/interception/interception.js";
import { type InterceptionLimits, normalizeInterception } from "../../src/interception/normalize-interception.js";
import type { FieldViolation } from "../../src/rpc/invalid-argument.js";
import { interception } from "../support/clients.js";
import { scriptedClassifier } from "./support/scripted-classifier.js";

// The server's clock for every case: two hours after the builder's started_at (2026-11-22T10:00:00.123456Z).
const NOW_MS = Date.parse("2026-11-22T12:00:00Z");
const LIMIT = 16;
const LIMITS: InterceptionLimits = { errorMessageMaxBytes: LIMIT };
const DAY_MS = 86_400_000;

type Fields = Parameters<typeof interception>[0];

function normalize(fields: Fields, limits: InterceptionLimits = LIMITS, classify = scriptedClassifier().classify) {
  return normalizeInterception(interception(fields), limits, classify, NOW_MS);
}

function recordOf(fields: Fields, limits?: InterceptionLimits, classify?: ReturnType<typeof scriptedClassifier>["classify"]): NormalizedInterception {
  const result = normalize(fields, limits, classify);
  if (!result.ok) throw new Error(`expected a record, got violations: ${JSON.stringify(result.violations)}`);
  return result.interception;
}

function violationsOf(fields: Fields, limits?: InterceptionLimits): FieldViolation[] {
  const result = normalize(fields, limits);
  if (result.ok) throw new Error("expected violations, got a record");
  return result.violations;
}

const at = (iso: string) => timestampFromDate(new Date(iso));
const ofBytes = (bytes: number, char = "x") => char.repeat(bytes / Buffer.byteLength(char));

describe("the error type", () => {
  it.each([
    { sent: "rate_limited", stored: "rate_limited" },
    { sent: "  Rate_Limited\n", stored: "rate_limited" },
    { sent: "QUOTA_EXHAUSTED", stored: "quota_exhausted" },
    { sent: "\tUnknown ", stored: "unknown" },
  ])("when the type is a canonical one in another case or with space ($sent), then the canonical type is stored", ({ sent, stored }) => {
    expect(recordOf({ errorType: sent, errorMessage: "boom" }).errorType).toBe(stored);
  });

  it.each(["TooManyRequests", "rate limited", "rate-limited", "429", "ratelimited"])(
    "when the type is any other non-empty value (%s), then it is stored as unknown, not rejected",
    (sent) => {
      expect(recordOf({ errorType: sent, errorMessage: "boom" }).errorType).toBe("unknown");
    },
  );

  it("when only an unrecognised type is sent, with no message, then it is still a failure: unknown, never NULL", () => {
    const record = recordOf({ errorType: "Kaboom" });
    expect(record).toMatchObject({ errorType: "unknown", errorMessage: null, errorMessageBytes: 0, errorMessageTruncated: false });
  });

  it("when the bridge gives a type and the classifier would say another, then the bridge's type wins and the classifier's provider code is kept", () => {
    const { classify } = scriptedClassifier({ errorType: "overloaded", providerCode: "overloaded_error" });
    const record = recordOf({ errorType: "server_error", upstream: { httpStatus: 529, body: "{}" } }, LIMITS, classify);
    expect(record).toMatchObject({ errorType: "server_error", providerCode: "overloaded_error" });
  });

  it("when the bridge gives a type and neither a message nor upstream facts, then the classifier is not asked and there is no provider code", () => {
    const scripted = scriptedClassifier({ providerCode: "never" });
    expect(recordOf({ errorType: "timeout" }, LIMITS, scripted.classify)).toMatchObject({ errorType: "timeout", providerCode: null });
    expect(scripted.asked).toEqual([]);
  });
});

describe("a failure signal without a type", () => {
  it("when a message arrives without a type, then it is a failure whose type the classifier names from the message", () => {
    const scripted = scriptedClassifier({ errorType: "network_error", providerCode: "ECONNRESET" });
    const record = recordOf({ provider: "openai", errorMessage: "read ECONNRESET" }, LIMITS, scripted.classify);
    expect(record).toMatchObject({ errorType: "network_error", errorMessage: "read ECONNRESET", providerCode: "ECONNRESET" });
    expect(scripted.asked).toEqual([
      { provider: "openai", httpStatus: undefined, body: "", errorName: undefined, code: undefined, message: "read ECONNRESET" },
    ]);
  });

  it("when only upstream facts arrive, then it is a failure classified from them, with no message and the facts kept", () => {
    const scripted = scriptedClassifier({ errorType: "quota_exhausted", providerCode: "insufficient_quota" });
    const record = recordOf(
      { provider: "openai", upstream: { httpStatus: 429, body: '{"error":{}}', errorName: "RateLimitError", code: "insufficient_quota" } },
      LIMITS,
      scripted.classify,
    );
    expect(record).toMatchObject({ errorType: "quota_exhausted", errorMessage: null, providerCode: "insufficient_quota" });
    expect(record.upstream).toEqual({ httpStatus: 429, body: '{"error":{}}', errorName: "RateLimitError", code: "insufficient_quota" });
    expect(scripted.asked).toEqual([
      { provider: "openai", httpStatus: 429, body: '{"error":{}}', errorName: "RateLimitError", code: "insufficient_quota", message: undefined },
    ]);
  });

  it("when the message and the body are longer than the limit, then the classifier reads them whole, not the stored cut", () => {
    const scripted = scriptedClassifier();
    const message = `${"m".repeat(40)} context_length_exceeded`;
    const body = `${"b".repeat(40)} insufficient_quota`;
    const record = recordOf({ errorMessage: message, upstream: { httpStatus: 400, body } }, LIMITS, scripted.classify);
    expect(scripted.asked[0]).toMatchObject({ message, body });
    expect(record.errorMessage).toBe("m".repeat(LIMIT));
    expect(record.upstream?.body).toBe("b".repeat(LIMIT));
  });

  it("when the classifier finds no provider code, then none is stored", () => {
    const { classify } = scriptedClassifier({ errorType: "unknown", providerCode: undefined });
    expect(recordOf({ errorMessage: "something broke" }, LIMITS, classify)).toMatchObject({ errorType: "unknown", providerCode: null });
  });
});

describe("no failure signal", () => {
  it.each([
    { name: "no error fields at all", fields: {} },
    { name: "an empty type", fields: { errorType: "" } },
    { name: "a blank type and a blank message", fields: { errorType: "  ", errorMessage: " \n" } },
  ])("when the call succeeded with $name, then no error is stored and the classifier is not asked", ({ fields }) => {
    const scripted = scriptedClassifier({ errorType: "unknown", providerCode: "x" });
    expect(recordOf(fields, LIMITS, scripted.classify)).toMatchObject({
      errorType: null,
      errorMessage: null,
      errorMessageTruncated: false,
      errorMessageBytes: 0,
      providerCode: null,
      upstream: null,
    });
    expect(scripted.asked).toEqual([]);
  });
});

describe("free text is cut to the byte limit on a character boundary", () => {
  // The limit is 16 bytes; each message puts one multi-byte character across byte 16.
  it.each([
    { name: "2-byte é", message: `${"a".repeat(15)}éz`, kept: "a".repeat(15) },
    { name: "3-byte €", message: `${"a".repeat(14)}€z`, kept: "a".repeat(14) },
    { name: "4-byte 😀", message: `${"a".repeat(13)}😀z`, kept: "a".repeat(13) },
  ])("when the message ends inside a multi-byte character ($name), then it is cut before that character", ({ message, kept }) => {
    expect(recordOf({ errorType: "server_error", errorMessage: message })).toMatchObject({
      errorMessage: kept,
      errorMessageTruncated: true,
      errorMessageBytes: Buffer.byteLength(message),
    });
  });

  it("when the message fits exactly, then it is kept whole and not marked as cut", () => {
    const message = `${"a".repeat(12)}😀`;
    expect(recordOf({ errorType: "server_error", errorMessage: message })).toMatchObject({
      errorMessage: message,
      errorMessageTruncated: false,
      errorMessageBytes: 16,
    });
  });

  it("when the message is one byte over, then one byte goes and the byte count is of the message as received", () => {
    const message = "a".repeat(17);
    expect(recordOf({ errorType: "server_error", errorMessage: message })).toMatchObject({
      errorMessage: "a".repeat(16),
      errorMessageTruncated: true,
      errorMessageBytes: 17,
    });
  });

  it("when the upstream body ends inside a multi-byte character, then it is cut before that character too", () => {
    const record = recordOf({ upstream: { httpStatus: 502, body: `${"a".repeat(14)}€z` } });
    expect(record.upstream?.body).toBe("a".repeat(14));
  });

  it("when the limit is raised, then the same message is kept whole", () => {
    const message = "a".repeat(17);
    expect(recordOf({ errorType: "server_error", errorMessage: message }, { errorMessageMaxBytes: 17 })).toMatchObject({
      errorMessage: message,
      errorMessageTruncated: false,
    });
  });

  it("when free text holds NUL characters or lone surrogates, then they are stored as U+FFFD", () => {
    const record = recordOf({
      errorType: "unknown",
      errorMessage: "a\u0000b\ud800",
      metadata: { "k\u0000": "v\udc00" },
      upstream: { httpStatus: 500, body: "x\u0000" },
    });
    expect(record.errorMessage).toBe("a\uFFFDb\uFFFD");
    expect(record.metadata).toEqual({ "k\uFFFD": "v\uFFFD" });
    expect(record.upstream?.body).toBe("x\uFFFD");
  });
});

describe("identifiers are validated, never cut", () => {
  // The limits users are promised (README, "Limits"): bytes of UTF-8.
  const limits = [
    { field: "tenant_id", key: "tenantId", bytes: 128 },
    { field: "provider", key: "provider", bytes: 128 },
    { field: "initiator_id", key: "initiatorId", bytes: 256 },
    { field: "model", key: "model", bytes: 256 },
    { field: "feature", key: "feature", bytes: 256 },
    { field: "client", key: "client", bytes: 512 },
  ] as const;

  it.each(limits)("when $field is exactly $bytes bytes, even of multi-byte characters, then it is kept whole", ({ key, bytes }) => {
    const value = ofBytes(bytes, "é");
    const record = recordOf({ [key]: value });
    expect(record[key]).toBe(key === "provider" ? value.toLowerCase() : value);
  });

  it.each(limits)("when $field is one byte over $bytes, then it is refused by name, not cut", ({ field, key, bytes }) => {
    expect(violationsOf({ [key]: `${ofBytes(bytes - 1)}é` })).toEqual([
      { field: `interception.${field}`, description: `must be at most ${bytes} bytes` },
    ]);
  });

  it.each([
    { field: "upstream.error_name", upstream: { errorName: "e".repeat(257) } },
    { field: "upstream.code", upstream: { code: "c".repeat(257) } },
  ])("when $field is over 256 bytes, then it is refused by name", ({ field, upstream }) => {
    expect(violationsOf({ upstream })).toEqual([{ field: `interception.${field}`, description: "must be at most 256 bytes" }]);
  });

  it.each([
    { field: "tenant_id", key: "tenantId", value: "a\nb" },
    { field: "provider", key: "provider", value: "open\tai" },
    { field: "model", key: "model", value: "gpt\u0000" },
    { field: "client", key: "client", value: "bridge\u007f" },
  ] as const)("when $field holds a control character, then it is refused by name", ({ field, key, value }) => {
    expect(violationsOf({ [key]: value })).toEqual([{ field: `interception.${field}`, description: "must not contain control characters" }]);
  });

  it.each([
    { field: "tenant_id", key: "tenantId" },
    { field: "provider", key: "provider" },
  ] as const)("when the required $field is empty or blank, then it is refused as required", ({ field, key }) => {
    for (const value of ["", "   "]) {
      expect(violationsOf({ [key]: value })).toEqual([{ field: `interception.${field}`, description: "required" }]);
    }
  });

  it("when the optional identifiers are empty, then the record is valid", () => {
    expect(recordOf({ initiatorId: "", model: "", feature: "", client: "" })).toMatchObject({ initiatorId: "", model: "", feature: "", client: "" });
  });

  it("when the provider is written in another case or with space, then it is stored trimmed and lower-case; other identifiers as sent", () => {
    expect(recordOf({ provider: " OpenAI ", model: "GPT-4o", tenantId: "Tenant-A" })).toMatchObject({
      provider: "openai",
      model: "GPT-4o",
      tenantId: "Tenant-A",
    });
  });

  it.each([
    { name: "missing", id: "", description: "required: a client-generated UUID" },
    { name: "not a UUID", id: "not-a-uuid", description: "must be a UUID in 8-4-4-4-12 hex form" },
    { name: "a UUID without dashes", id: "6f1c7c550d8a4a8e9c4e0e5b7a1d2c3f", description: "must be a UUID in 8-4-4-4-12 hex form" },
  ])("when the id is $name, then it is refused by name", ({ id, description }) => {
    expect(violationsOf({ id })).toEqual([{ field: "interception.id", description }]);
  });

  it("when ids are upper-case UUIDs, then they are stored lower-case", () => {
    const id = "6F1C7C55-0D8A-4A8E-9C4E-0E5B7A1D2C3F";
    expect(recordOf({ id, threadRootId: id, threadParentId: id })).toMatchObject({
      id: id.toLowerCase(),
      threadRootId: id.toLowerCase(),
      threadParentId: id.toLowerCase(),
    });
  });

  it("when thread ids are absent, then they are null; when malformed, then each is refused by name", () => {
    expect(recordOf({})).toMatchObject({ threadRootId: null, threadParentId: null });
    expect(violationsOf({ threadRootId: "root", threadParentId: "parent" })).toEqual([
      { field: "interception.thread_root_id", description: "must be a UUID in 8-4-4-4-12 hex form" },
      { field: "interception.thread_parent_id", description: "must be a UUID in 8-4-4-4-12 hex form" },
    ]);
  });
});

describe("every violation is reported with its field name", () => {
  it("when many fields are bad, then each is named once, in the order of the message, and no record is made", () => {
    const result = normalize({
      id: "x",
      tenantId: "",
      provider: "p\n",
      startedAt: at("2026-11-22T10:00:05Z"),
      endedAt: at("2026-11-22T10:00:04Z"),
      usage: { inputTokens: -1n, outputTokens: -2n, cacheReadTokens: -3n, cacheWriteTokens: -4n },
      costMicros: -5n,
      metadata: { "": "v" },
      upstream: { httpStatus: 1000 },
    });
    expect(result).toEqual({
      ok: false,
      violations: [
        { field: "interception.id", description: "must be a UUID in 8-4-4-4-12 hex form" },
        { field: "interception.tenant_id", description: "required" },
        { field: "interception.provider", description: "must not contain control characters" },
        { field: "interception.ended_at", description: "must not be before started_at" },
        { field: "interception.usage.input_tokens", description: "must not be negative" },
        { field: "interception.usage.output_tokens", description: "must not be negative" },
        { field: "interception.usage.cache_read_tokens", description: "must not be negative" },
        { field: "interception.usage.cache_write_tokens", description: "must not be negative" },
        { field: "interception.cost_micros", description: "must not be negative" },
        { field: "interception.metadata", description: "keys must not be empty" },
        { field: "interception.upstream.http_status", description: "must be 0 (no response) or 100 to 999" },
      ],
    });
  });

  it("when there is no interception at all, then that alone is reported, naming `interception`", () => {
    const result = normalizeInterception(undefined, LIMITS, scriptedClassifier().classify, NOW_MS);
    expect(result).toEqual({ ok: false, violations: [{ field: "interception", description: "required" }] });
  });

  it("when the counts are zero or positive, then they are kept as sent", () => {
    expect(recordOf({ usage: { inputTokens: 100n, outputTokens: 0n, cacheReadTokens: 5n, cacheWriteTokens: 1n }, costMicros: 1234n })).toMatchObject({
      inputTokens: 100n,
      outputTokens: 0n,
      cacheReadTokens: 5n,
      cacheWriteTokens: 1n,
      costMicros: 1234n,
    });
    expect(recordOf({ usage: undefined })).toMatchObject({ inputTokens: 0n, outputTokens: 0n, cacheReadTokens: 0n, cacheWriteTokens: 0n });
  });
});

describe("timestamps", () => {
  it("when started_at is missing, then it is required; ended_at may be missing, and then the call is open", () => {
    expect(violationsOf({ startedAt: undefined })).toEqual([{ field: "interception.started_at", description: "required" }]);
    expect(recordOf({ endedAt: undefined }).endedAt).toBeNull();
  });

  it("when timestamps have nanoseconds, then they are stored as ISO 8601 with microseconds, cut not rounded", () => {
    const record = recordOf({
      startedAt: { $typeName: "google.protobuf.Timestamp", seconds: 1795341600n, nanos: 123_456_999 },
      endedAt: { $typeName: "google.protobuf.Timestamp", seconds: 1795341601n, nanos: 0 },
    });
    expect(record.startedAt).toBe("2026-11-22T10:00:00.123456Z");
    expect(record.endedAt).toBe("2026-11-22T10:00:01.000000Z");
  });

  it("when ended_at equals started_at, then it is valid; one nanosecond before, then ended_at is refused", () => {
    const started = { $typeName: "google.protobuf.Timestamp", seconds: 1795341600n, nanos: 500 } as const;
    expect(recordOf({ startedAt: started, endedAt: started }).endedAt).toBe(recordOf({ startedAt: started }).startedAt);
    expect(violationsOf({ startedAt: started, endedAt: { ...started, nanos: 499 } })).toEqual([
      { field: "interception.ended_at", description: "must not be before started_at" },
    ]);
  });

  it.each([
    { name: "before year 1", value: { seconds: -62135596801n, nanos: 0 } },
    { name: "after year 9999", value: { seconds: 253402300800n, nanos: 0 } },
    { name: "negative nanos", value: { seconds: 1795341600n, nanos: -1 } },
    { name: "nanos of a whole second", value: { seconds: 1795341600n, nanos: 1_000_000_000 } },
  ])("when a timestamp is outside protobuf's range ($name), then it is refused by name", ({ value }) => {
    const timestamp = { $typeName: "google.protobuf.Timestamp", ...value } as const;
    expect(violationsOf({ startedAt: timestamp, endedAt: undefined })).toEqual([
      { field: "interception.started_at", description: "must be a valid timestamp between years 1 and 9999" },
    ]);
    expect(violationsOf({ endedAt: timestamp })).toEqual([
      { field: "interception.ended_at", description: "must be a valid timestamp between years 1 and 9999" },
    ]);
  });

  it("when started_at is at protobuf's bounds and no retention is set, then it is valid", () => {
    const first = recordOf({ startedAt: { $typeName: "google.protobuf.Timestamp", seconds: -62135596800n, nanos: 0 }, endedAt: undefined });
    expect(first.startedAt).toBe("0001-01-01T00:00:00.000000Z");
  });

  it("when started_at is a day ahead of the server's clock, then it is valid; a millisecond more, then it is refused", () => {
    const ahead = (ms: number) => timestampFromDate(new Date(NOW_MS + ms));
    expect(recordOf({ startedAt: ahead(DAY_MS), endedAt: undefined }).startedAt).toBe("2026-11-23T12:00:00.000000Z");
    expect(violationsOf({ startedAt: ahead(DAY_MS + 1), endedAt: undefined })).toEqual([
      { field: "interception.started_at", description: "must not be more than a day ahead of the server's clock (check the bridge's clock)" },
    ]);
  });

  it("when a retention period is set, then started_at exactly that old is valid and a millisecond older is refused, naming the period", () => {
    const retention = { errorMessageMaxBytes: LIMIT, startedAtMaxAgeDays: 7 };
    const ago = (ms: number) => timestampFromDate(new Date(NOW_MS - ms));
    expect(recordOf({ startedAt: ago(7 * DAY_MS), endedAt: undefined }, retention).startedAt).toBe("2026-11-15T12:00:00.000000Z");
    expect(violationsOf({ startedAt: ago(7 * DAY_MS + 1), endedAt: undefined }, retention)).toEqual([
      { field: "interception.started_at", description: "must not be older than the server keeps data (BRIDGELOG_RETENTION, 7 days)" },
    ]);
  });

  it("when no retention period is set, then an old started_at is valid", () => {
    expect(recordOf({ startedAt: at("2001-01-01T00:00:00Z"), endedAt: undefined }).startedAt).toBe("2001-01-01T00:00:00.000000Z");
  });
});

describe("metadata", () => {
  const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

  it("when there are 64 entries, a 128-byte key and a 2048-byte value, then they are kept", () => {
    expect(Object.keys(recordOf({ metadata: entries(64) }).metadata)).toHaveLength(64);
    const key = ofBytes(128, "é");
    const value = ofBytes(2048, "😀");
    expect(recordOf({ metadata: { [key]: value } }).metadata).toEqual({ [key]: value });
  });

  it("when there are 65 entries, then metadata is refused with the limit", () => {
    expect(violationsOf({ metadata: entries(65) })).toEqual([{ field: "interception.metadata", description: "must have at most 64 entries" }]);
  });

  it("when a key is empty, then metadata is refused", () => {
    expect(violationsOf({ metadata: { "": "v" } })).toEqual([{ field: "interception.metadata", description: "keys must not be empty" }]);
  });

  it("when a key is over 128 bytes, even in fewer characters, then the entry is named by the key's first 32 characters", () => {
    const key = "é".repeat(65); // 65 characters, 130 bytes
    expect(violationsOf({ metadata: { [key]: "v" } })).toEqual([
      { field: `interception.metadata["${"é".repeat(32)}"]`, description: "key must be at most 128 bytes" },
    ]);
  });

  it("when a value is over 2048 bytes, then the entry is named by its key", () => {
    expect(violationsOf({ metadata: { region: `${"v".repeat(2047)}é` } })).toEqual([
      { field: 'interception.metadata["region"]', description: "value must be at most 2048 bytes" },
    ]);
  });
});

describe("upstream facts", () => {
  it.each([-1, 1000, 100_000])("when http_status is %i, then it is refused by name", (httpStatus) => {
    expect(violationsOf({ upstream: { httpStatus } })).toEqual([
      { field: "interception.upstream.http_status", description: "must be 0 (no response) or 100 to 999" },
    ]);
  });

  it.each([100, 200, 429, 599, 999])("when http_status is %i, then it is kept", (httpStatus) => {
    expect(recordOf({ upstream: { httpStatus } }).upstream?.httpStatus).toBe(httpStatus);
  });

  // The refusal names the statuses that exist, 100 to 999, but 1 to 99 pass the check, as they
  // always have (src/classify/http-status.ts says so): kept as sent, like any status.
  it("when http_status is between 1 and 99, then it is kept as sent, though the refusal's wording names 100 to 999", () => {
    expect(recordOf({ upstream: { httpStatus: 42 } }).upstream?.httpStatus).toBe(42);
  });

  it("when http_status is 0 and the other facts are empty, then no response arrived: each is stored as null, and it is still a failure", () => {
    const scripted = scriptedClassifier({ errorType: "network_error" });
    const record = recordOf({ upstream: { httpStatus: 0, body: "", errorName: "", code: "" } }, LIMITS, scripted.classify);
    expect(record.upstream).toEqual({ httpStatus: null, body: null, errorName: null, code: null });
    expect(record.errorType).toBe("network_error");
    expect(scripted.asked[0]).toMatchObject({ httpStatus: undefined, errorName: undefined, code: undefined });
  });
});

describe("key source", () => {
  it.each([
    { sent: KeySource.PLATFORM, stored: "platform" },
    { sent: KeySource.BYOK, stored: "byok" },
    { sent: KeySource.UNSPECIFIED, stored: "unspecified" },
    { sent: 99 as KeySource, stored: "unspecified" },
  ])("when the key source is $sent, then $stored is stored", ({ sent, stored }) => {
    expect(recordOf({ keySource: sent }).keySource).toBe(stored);
  });
});
