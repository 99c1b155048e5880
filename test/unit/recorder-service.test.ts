import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ErrorType, type Interception, Outcome } from "../../gen/bridgelog/v1/interception_pb.js";
import { RecordedInterceptionSchema, RecorderService } from "../../gen/bridgelog/v1/recorder_service_pb.js";
import { requireToken } from "../../src/auth/require-token.js";
import type { Classification } from "../../src/classify/classify-failure.js";
import { type NormalizedInterception, outcomeOf, type RecordedInterception } from "../../src/interception/interception.js";
import type { BatchWriter } from "../../src/recorder/batch-writer.js";
import { createRecorderService } from "../../src/recorder/recorder-service.js";
import { interception } from "../support/clients.js";
import { fieldViolationsOf, rejectionOf } from "../support/rejection.js";
import { as, fixedAuthenticator } from "./support/fixed-authenticator.js";

/** What the writer answers for a record it stored: the row as the database would describe it. */
type Answer = (record: NormalizedInterception) => RecordedInterception | Promise<RecordedInterception>;

const stored: Answer = (record) => ({
  tenantId: record.tenantId,
  id: record.id,
  created: true,
  outcome: outcomeOf(record.errorType, record.endedAt !== null),
  errorType: record.errorType,
  errorMessageTruncated: record.errorMessageTruncated,
  errorMessageBytes: record.errorMessageBytes,
  providerCode: record.providerCode,
  retryAfterMs: record.retryAfterMs,
});

/**
 * The recorder's side of the BatchWriter interface, in memory: it keeps every record it is given,
 * in order, and answers as told. The SQL behind the real one has its own tests
 * (recorder.write-path, recorder.idempotency).
 */
function createMemoryWriter(answer: Answer = stored) {
  const written: NormalizedInterception[] = [];
  const waiting: (() => void)[] = [];
  const writer: BatchWriter = {
    async write(record) {
      written.push(record);
      for (const wake of waiting.splice(0)) wake();
      return answer(record);
    },
    queued: () => 0,
    close: async () => {},
  };
  /** Resolves once `count` records have been written; rejects after a second. */
  const untilWritten = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${written.length} of ${count} records were written`)), 1000);
      const check = () => {
        if (written.length >= count) {
          clearTimeout(timer);
          resolve();
        } else waiting.push(check);
      };
      check();
    });
  return { writer, written, untilWritten };
}

// The classification the service hands down for a failure without a type, whatever the text.
const classify = (): Classification => ({ errorType: "quota_exhausted", providerCode: "insufficient_quota", retryable: false });

const PRINCIPALS = {
  "every-tenant": { tenantId: null, scopes: ["record"] },
  "tenant-a": { tenantId: "tenant-a", scopes: ["record"] },
  reader: { tenantId: null, scopes: ["read"] },
} as const;

interface RecorderOptions {
  writer: BatchWriter;
  maxStreamRecords?: number;
  onRejected?: (code: Code) => void;
  /** false: no token interceptor in front, so the handler sees no principal. */
  authenticate?: boolean;
}

/** The recorder service behind the real token interceptor, over an in-memory transport, and a real client for it. */
function recorder({ writer, maxStreamRecords = 5, onRejected, authenticate = true }: RecorderOptions) {
  const service = createRecorderService({ writer, classify, limits: { errorMessageMaxBytes: 16, maxStreamRecords }, onRejected });
  const interceptors = authenticate
    ? [requireToken(fixedAuthenticator(PRINCIPALS), { [RecorderService.typeName]: "record" })]
    : [];
  const transport = createRouterTransport((router) => router.service(RecorderService, service), { router: { interceptors } });
  return createClient(RecorderService, transport);
}

async function* stream(...interceptions: Interception[]) {
  for (const sent of interceptions) yield { interception: sent };
}

describe("RecordInterception", () => {
  it("when a record is valid, then the writer gets it normalised, and the answer is what the writer stored, in proto terms", async () => {
    const { writer, written } = createMemoryWriter((record) => ({
      tenantId: record.tenantId,
      id: record.id,
      created: false,
      outcome: "failed",
      errorType: "quota_exhausted",
      errorMessageTruncated: true,
      errorMessageBytes: 5000,
      providerCode: "insufficient_quota",
      retryAfterMs: 3_600_000,
    }));
    const sent = interception({ id: "6F1C7C55-0D8A-4A8E-9C4E-0E5B7A1D2C3F", provider: " OpenAI", errorMessage: "You exceeded your current quota" });
    const { recorded } = await recorder({ writer }).recordInterception({ interception: sent }, as("every-tenant"));

    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      id: "6f1c7c55-0d8a-4a8e-9c4e-0e5b7a1d2c3f",
      tenantId: "tenant-a",
      provider: "openai",
      errorType: "quota_exhausted",
      errorMessage: "You exceeded you",
      errorMessageTruncated: true,
      providerCode: "insufficient_quota",
    });
    expect(recorded).toEqual(
      create(RecordedInterceptionSchema, {
        id: "6f1c7c55-0d8a-4a8e-9c4e-0e5b7a1d2c3f",
        created: false,
        outcome: Outcome.FAILED,
        errorType: ErrorType.QUOTA_EXHAUSTED,
        errorMessageTruncated: true,
        errorMessageBytes: 5000,
        providerCode: "insufficient_quota",
        retryAfterMs: 3_600_000n,
      }),
    );
  });

  it.each([
    { outcome: "succeeded", endedAt: true, expected: Outcome.SUCCEEDED },
    { outcome: "in_progress", endedAt: false, expected: Outcome.IN_PROGRESS },
  ] as const)("when the stored interception has not failed ($outcome), then the error type is UNSPECIFIED and the provider code empty", async ({ endedAt, expected }) => {
    const { writer } = createMemoryWriter();
    const sent = interception(endedAt ? {} : { endedAt: undefined });
    const { recorded } = await recorder({ writer }).recordInterception({ interception: sent }, as("every-tenant"));
    expect(recorded).toEqual(
      create(RecordedInterceptionSchema, { id: sent.id, created: true, outcome: expected, errorType: ErrorType.UNSPECIFIED, providerCode: "" }),
    );
  });

  it("when fields are bad, then InvalidArgument names every one, in the message and as BadRequest field violations, and nothing is written", async () => {
    const { writer, written } = createMemoryWriter();
    const rejected: Code[] = [];
    const client = recorder({ writer, onRejected: (code) => rejected.push(code) });
    const error = await rejectionOf(client.recordInterception({ interception: interception({ id: "x", tenantId: "", provider: "" }) }, as("every-tenant")));

    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("interception.id: must be a UUID in 8-4-4-4-12 hex form; interception.tenant_id: required; interception.provider: required");
    expect(fieldViolationsOf(error)).toEqual([
      { field: "interception.id", description: "must be a UUID in 8-4-4-4-12 hex form" },
      { field: "interception.tenant_id", description: "required" },
      { field: "interception.provider", description: "required" },
    ]);
    expect(written).toEqual([]);
    expect(rejected).toEqual([Code.InvalidArgument]);
  });

  it("when the request carries no interception, then InvalidArgument names it", async () => {
    const { writer } = createMemoryWriter();
    const error = await rejectionOf(recorder({ writer }).recordInterception({}, as("every-tenant")));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldViolationsOf(error)).toEqual([{ field: "interception", description: "required" }]);
  });

  it("when the writer refuses (the database is away), then its code and message reach the caller and the rejection is counted", async () => {
    const { writer } = createMemoryWriter(() => {
      throw new ConnectError("the database is unavailable; retry with backoff", Code.Unavailable);
    });
    const rejected: Code[] = [];
    const error = await rejectionOf(recorder({ writer, onRejected: (code) => rejected.push(code) }).recordInterception({ interception: interception() }, as("every-tenant")));
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toBe("the database is unavailable; retry with backoff");
    expect(rejected).toEqual([Code.Unavailable]);
  });
});

describe("tenants", () => {
  it("when a token for one tenant records for another, then PermissionDenied names the tenant and nothing is written", async () => {
    const { writer, written } = createMemoryWriter();
    const error = await rejectionOf(recorder({ writer }).recordInterception({ interception: interception({ tenantId: "tenant-b" }) }, as("tenant-a")));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toBe('this token may not act for tenant "tenant-b"');
    expect(written).toEqual([]);
  });

  it("when a token for one tenant records for it, or a token for every tenant records for any, then the record is written", async () => {
    const { writer, written } = createMemoryWriter();
    const client = recorder({ writer });
    await client.recordInterception({ interception: interception({ tenantId: "tenant-a" }) }, as("tenant-a"));
    await client.recordInterception({ interception: interception({ tenantId: "tenant-b" }) }, as("every-tenant"));
    expect(written.map((r) => r.tenantId)).toEqual(["tenant-a", "tenant-b"]);
  });

  it("when a record is both invalid and for another tenant, then the caller is told what is wrong with it first", async () => {
    const { writer } = createMemoryWriter();
    const error = await rejectionOf(recorder({ writer }).recordInterception({ interception: interception({ tenantId: "tenant-b", provider: "" }) }, as("tenant-a")));
    expect(error.code).toBe(Code.InvalidArgument);
  });

  it("when the token lacks the record scope or is unknown, then the call is refused before the handler", async () => {
    const { writer, written } = createMemoryWriter();
    const client = recorder({ writer });
    expect((await rejectionOf(client.recordInterception({ interception: interception() }, as("reader")))).code).toBe(Code.PermissionDenied);
    expect((await rejectionOf(client.recordInterception({ interception: interception() }, as("nobody")))).code).toBe(Code.Unauthenticated);
    expect((await rejectionOf(client.recordInterception({ interception: interception() }))).code).toBe(Code.Unauthenticated);
    expect(written).toEqual([]);
  });

  it("when nothing authenticated the caller, then the handler itself refuses with Unauthenticated", async () => {
    const { writer, written } = createMemoryWriter();
    const client = recorder({ writer, authenticate: false });
    expect((await rejectionOf(client.recordInterception({ interception: interception() }))).code).toBe(Code.Unauthenticated);
    const { results } = await client.recordInterceptions(stream(interception()));
    expect(results[0]?.result).toMatchObject({ case: "rejected", value: { code: "unauthenticated" } });
    expect(written).toEqual([]);
  });
});

describe("RecordInterceptions", () => {
  it("when records of a stream fail for different reasons, then each gets its own result, in order, with the code's wire name", async () => {
    const late = interception();
    const { writer, written } = createMemoryWriter((record) => {
      if (record.id === late.id) throw new ConnectError("the write queue is full", Code.DeadlineExceeded);
      return stored(record);
    });
    const rejected: Code[] = [];
    const good = [interception(), interception()];
    const invalid = interception({ tenantId: "" });
    const foreign = interception({ tenantId: "tenant-b" });
    const { results } = await recorder({ writer, onRejected: (code) => rejected.push(code) }).recordInterceptions(
      stream(good[0]!, invalid, foreign, late, good[1]!),
      as("tenant-a"),
    );

    expect(results.map((r) => r.result.case)).toEqual(["recorded", "rejected", "rejected", "rejected", "recorded"]);
    expect(results[0]?.result.value).toMatchObject({ id: good[0]!.id, created: true, outcome: Outcome.SUCCEEDED });
    expect(results[1]?.result.value).toMatchObject({
      id: invalid.id,
      code: "invalid_argument",
      message: "interception.tenant_id: required",
      fieldViolations: [expect.objectContaining({ field: "interception.tenant_id", description: "required" })],
    });
    expect(results[2]?.result.value).toMatchObject({ id: foreign.id, code: "permission_denied", message: 'this token may not act for tenant "tenant-b"', fieldViolations: [] });
    expect(results[3]?.result.value).toMatchObject({ id: late.id, code: "deadline_exceeded", message: "the write queue is full" });
    expect(results[4]?.result.value).toMatchObject({ id: good[1]!.id });
    expect(written.map((r) => r.id)).toEqual([good[0]!.id, late.id, good[1]!.id]);
    expect(rejected.sort()).toEqual([Code.InvalidArgument, Code.PermissionDenied, Code.DeadlineExceeded].sort());
  });

  it("when a rejected record has no usable id, then its result carries the id as sent", async () => {
    const { writer } = createMemoryWriter();
    const { results } = await recorder({ writer }).recordInterceptions(stream(interception({ id: "" }), interception({ id: "not-a-uuid" })), as("every-tenant"));
    expect(results.map((r) => r.result.value?.id)).toEqual(["", "not-a-uuid"]);
  });

  it("when a stream is empty, then the answer has no results", async () => {
    const { writer } = createMemoryWriter();
    expect((await recorder({ writer }).recordInterceptions(stream(), as("every-tenant"))).results).toEqual([]);
  });

  it("when a stream carries exactly the most records allowed, then all are recorded", async () => {
    const { writer, written } = createMemoryWriter();
    const { results } = await recorder({ writer, maxStreamRecords: 3 }).recordInterceptions(stream(interception(), interception(), interception()), as("every-tenant"));
    expect(results).toHaveLength(3);
    expect(written).toHaveLength(3);
  });

  it("when a stream carries one record more than allowed, then it fails with ResourceExhausted, and the first records were still written", async () => {
    const { writer, written } = createMemoryWriter();
    const sent = [interception(), interception(), interception(), interception()];
    const error = await rejectionOf(recorder({ writer, maxStreamRecords: 3 }).recordInterceptions(stream(...sent), as("every-tenant")));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toBe(
      "a stream may carry at most 3 records; the first 3 are being recorded, send the rest on a new stream",
    );
    expect(written.map((r) => r.id)).toEqual(sent.slice(0, 3).map((s) => s.id));
  });

  it("when a stream is still open, then the records already sent are written, not held back until it ends", async () => {
    const { writer, untilWritten } = createMemoryWriter();
    const client = recorder({ writer });
    async function* slowBridge() {
      yield { interception: interception() };
      await untilWritten(1);
      yield { interception: interception() };
      await untilWritten(2);
    }
    const { results } = await client.recordInterceptions(slowBridge(), as("every-tenant"));
    expect(results.map((r) => r.result.case)).toEqual(["recorded", "recorded"]);
  });
});
