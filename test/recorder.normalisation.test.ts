import * as http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { TimestampSchema, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import { RecordInterceptionRequestSchema } from "../gen/bridgelog/v1/recorder_service_pb.js";
import { BadRequestSchema } from "../gen/google/rpc/error_details_pb.js";
import { interception, recorderClient } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

let client: ReturnType<typeof recorderClient>;
const MESSAGE_LIMIT = 16;
const env = useTestServer({ errorMessageMaxBytes: MESSAGE_LIMIT, maxRequestBytes: 64 * 1024, maxStreamRecords: 5 });
beforeAll(() => {
  client = recorderClient("grpc", env.server.url, env.server.token);
});

function unexpectedSuccess(): never {
  throw new Error("expected the call to fail");
}

async function stored(id: string) {
  const [row] = await env.db.sql`
    select error_type, error_message, error_message_truncated, error_message_bytes, metadata, ended_at,
           upstream_http_status, upstream_body, provider, model
    from interceptions where id = ${id}`;
  return row;
}

describe("error messages are cut on a character boundary", () => {
  // The limit is 16 bytes; each message puts one multi-byte character across byte 16.
  it.each([
    { name: "2-byte", message: `${"a".repeat(15)}éz`, kept: "a".repeat(15) },
    { name: "3-byte", message: `${"a".repeat(14)}€z`, kept: "a".repeat(14) },
    { name: "4-byte", message: `${"a".repeat(13)}😀z`, kept: "a".repeat(13) },
  ])("when a $name character straddles the limit, then the stored message stops before it", async ({ message, kept }) => {
    const sent = interception({ errorType: "server_error", errorMessage: message });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded).toMatchObject({ errorMessageTruncated: true, errorMessageBytes: Buffer.byteLength(message) });
    expect(await stored(sent.id)).toMatchObject({
      error_message: kept,
      error_message_truncated: true,
      error_message_bytes: Buffer.byteLength(message),
    });
  });

  it("when the message fits exactly, then it is stored whole and not marked as cut", async () => {
    const message = `${"a".repeat(12)}😀`; // 16 bytes
    const sent = interception({ errorType: "server_error", errorMessage: message });
    await client.recordInterception({ interception: sent });
    expect(await stored(sent.id)).toMatchObject({ error_message: message, error_message_truncated: false, error_message_bytes: 16 });
  });
});

describe("error types are normalised, never rejected, never NULL for a failure", () => {
  it.each([
    { sent: "rate_limited", type: "rate_limited" },
    { sent: "  Rate_Limited\n", type: "rate_limited" },
    { sent: "QUOTA_EXHAUSTED", type: "quota_exhausted" },
    { sent: "TooManyRequests", type: "unknown" },
    { sent: "rate limited", type: "unknown" },
    { sent: "unknown", type: "unknown" },
  ])("when the type is $sent, then $type is stored", async ({ sent: errorType, type }) => {
    const sent = interception({ errorType, errorMessage: "boom" });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded?.outcome).toBe(Outcome.FAILED);
    expect(recorded?.errorType).toBe(ErrorType[type.toUpperCase() as keyof typeof ErrorType]);
    expect(await stored(sent.id)).toMatchObject({ error_type: type, error_message: "boom" });
  });

  it("when a message arrives without a type, then it is still a failure, classified from the message", async () => {
    const vague = interception({ errorMessage: "something broke" });
    expect((await client.recordInterception({ interception: vague })).recorded?.errorType).toBe(ErrorType.UNKNOWN);
    expect(await stored(vague.id)).toMatchObject({ error_type: "unknown", error_message: "something broke" });

    const reset = interception({ errorMessage: "read ECONNRESET" });
    expect((await client.recordInterception({ interception: reset })).recorded?.errorType).toBe(ErrorType.NETWORK_ERROR);
  });

  it("when upstream facts carry a provider code, then the code is kept beside the classified type", async () => {
    const body = JSON.stringify({ error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } });
    const sent = interception({ upstream: { httpStatus: 429, body } });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded).toMatchObject({ errorType: ErrorType.QUOTA_EXHAUSTED, providerCode: "insufficient_quota" });
    const [row] = await env.db.sql`select error_type, provider_code from interceptions where id = ${sent.id}`;
    expect(row).toEqual({ error_type: "quota_exhausted", provider_code: "insufficient_quota" });
  });

  it("when the bridge gives a type and upstream facts, then its type wins and the provider code is still kept", async () => {
    const body = JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const sent = interception({ errorType: "server_error", upstream: { httpStatus: 529, body } });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded).toMatchObject({ errorType: ErrorType.SERVER_ERROR, providerCode: "overloaded_error" });
  });

  it("when the classifier decides from the whole body, then a signal past the stored cut still counts", async () => {
    // The stored body is cut to 16 bytes; the code that decides the type comes after that.
    const body = JSON.stringify({ error: { message: "x".repeat(100), type: "invalid_request_error", code: "context_length_exceeded" } });
    const sent = interception({ upstream: { httpStatus: 400, body } });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded).toMatchObject({ errorType: ErrorType.BAD_REQUEST, providerCode: "context_length_exceeded" });
  });

  it("when only upstream facts arrive, then it is a failure and the facts are kept", async () => {
    const sent = interception({ upstream: { httpStatus: 503, body: "<html>Service Unavailable</html>" } });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded?.outcome).toBe(Outcome.FAILED);
    expect(await stored(sent.id)).toMatchObject({
      error_type: "overloaded",
      error_message: null,
      upstream_http_status: 503,
      upstream_body: "<html>Service Un",
    });
  });

  it.each([
    { name: "no error fields at all", fields: {} },
    { name: "an empty type", fields: { errorType: "" } },
    { name: "a blank type and a blank message", fields: { errorType: "  ", errorMessage: " " } },
  ])("when the call succeeded with $name, then no error is stored", async ({ fields }) => {
    const sent = interception(fields);
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded).toMatchObject({ outcome: Outcome.SUCCEEDED, errorType: ErrorType.UNSPECIFIED, errorMessageBytes: 0 });
    expect(await stored(sent.id)).toMatchObject({ error_type: null, error_message: null, error_message_truncated: false });
  });

  it("when a start is recorded without an end, then it is in progress with no error", async () => {
    const sent = interception({ endedAt: undefined });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded?.outcome).toBe(Outcome.IN_PROGRESS);
    expect(await stored(sent.id)).toMatchObject({ error_type: null, ended_at: null });
  });

  it("the table itself refuses a message without a type", async () => {
    await expect(env.db.sql`
      insert into interceptions (tenant_id, id, provider, started_at, error_message)
      values ('t', gen_random_uuid(), 'p', now(), 'orphan')`).rejects.toMatchObject({ code: "23514" });
  });
});

describe("the provider's retry hint is stored with the failure", () => {
  const hintOf = async (id: string) => (await env.db.sql`select retry_after_ms from interceptions where id = ${id}`)[0]?.retry_after_ms;

  it("when the failed response carried retry-after, then retry_after_ms holds it in milliseconds", async () => {
    const sent = interception({ upstream: { httpStatus: 429, responseHeaders: { "Retry-After": "20" } } });
    const { recorded } = await client.recordInterception({ interception: sent });
    expect(recorded?.errorType).toBe(ErrorType.RATE_LIMITED);
    expect(await hintOf(sent.id)).toBe("20000");
    expect(recorded?.retryAfterMs).toBe(20_000n);
  });

  it("when the message states the wait, then it is stored even though the bridge named the type itself", async () => {
    const sent = interception({ errorType: "rate_limited", errorMessage: "Rate limit reached. Please try again in 1.5s." });
    await client.recordInterception({ interception: sent });
    expect(await hintOf(sent.id)).toBe("1500");
  });

  it("when the call succeeded, or the failure is one a wait cannot fix, then retry_after_ms is NULL", async () => {
    const ok = interception({});
    const okAnswer = await client.recordInterception({ interception: ok });
    expect(await hintOf(ok.id)).toBeNull();
    expect(okAnswer.recorded?.retryAfterMs).toBeUndefined();
    const badKey = interception({ upstream: { httpStatus: 401, responseHeaders: { "retry-after": "20" } } });
    const badKeyAnswer = await client.recordInterception({ interception: badKey });
    expect(await hintOf(badKey.id)).toBeNull();
    expect(badKeyAnswer.recorded?.retryAfterMs).toBeUndefined();
  });

  it("when a start record is completed by a failing end record, then the end's hint is kept, and a later retry of the record does not change it", async () => {
    const start = interception({ endedAt: undefined });
    await client.recordInterception({ interception: start });
    expect(await hintOf(start.id)).toBeNull();
    const end = (retryAfter: string) => interception({ id: start.id, upstream: { httpStatus: 503, responseHeaders: { "retry-after": retryAfter } } });
    await client.recordInterception({ interception: end("7") });
    expect(await hintOf(start.id)).toBe("7000");
    // The answer is what is stored, not what the retry said.
    const retried = await client.recordInterception({ interception: end("99") });
    expect(await hintOf(start.id)).toBe("7000");
    expect(retried.recorded).toMatchObject({ created: false, retryAfterMs: 7_000n });
  });

  it("when records arrive on a RecordInterceptions stream, then each result carries its own stored hint", async () => {
    const limited = interception({ upstream: { httpStatus: 429, responseHeaders: { "retry-after-ms": "1500" } } });
    const ok = interception({});
    const response = await client.recordInterceptions(
      (async function* () {
        yield { interception: limited };
        yield { interception: ok };
      })(),
    );
    const recorded = response.results.map((r) => (r.result.case === "recorded" ? r.result.value : undefined));
    expect(recorded.map((r) => r?.id)).toEqual([limited.id, ok.id]);
    expect(recorded[0]?.retryAfterMs).toBe(1_500n);
    expect(recorded[1]?.retryAfterMs).toBeUndefined();
    expect(await hintOf(limited.id)).toBe("1500");
  });
});

describe("every value arrives exactly as sent", () => {
  // The batch travels as one jsonb document (src/recorder/write-interceptions.ts).
  it("when a record carries 64-bit counts, microseconds, a flag and text JSON must escape, then each column stores exactly that", async () => {
    const text = 'quote " backslash \\ tab \t newline \n é € 😀 </script>';
    const sent = interception({
      errorType: "server_error",
      errorMessage: "x",
      model: 'm"o\\del',
      streaming: true,
      startedAt: create(TimestampSchema, { seconds: 1795341600n, nanos: 123_456_000 }),
      endedAt: create(TimestampSchema, { seconds: 1795341601n, nanos: 999_999_000 }),
      usage: { inputTokens: 9_223_372_036_854_775_807n, outputTokens: 9_007_199_254_740_993n },
      costMicros: 1n,
      metadata: { [text]: text, "{}": "[]" },
    });
    await client.recordInterception({ interception: sent });
    const [row] = await env.db.sql`
      select model, streaming, input_tokens::text, output_tokens::text, cost_micros::text, metadata,
             to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as started,
             to_char(ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as ended
      from interceptions where id = ${sent.id}`;
    expect(row).toEqual({
      model: 'm"o\\del',
      streaming: true,
      input_tokens: "9223372036854775807",
      output_tokens: "9007199254740993",
      cost_micros: "1",
      metadata: { [text]: text, "{}": "[]" },
      started: "2026-11-22T10:00:00.123456",
      ended: "2026-11-22T10:00:01.999999",
    });
  });
});

describe("any string a client can send is storable", () => {
  it("when free text holds NUL characters, then they are stored as U+FFFD", async () => {
    const sent = interception({ errorType: "unknown", errorMessage: "a\u0000b", metadata: { "k\u0000": "v\u0000" } });
    await client.recordInterception({ interception: sent });
    expect(await stored(sent.id)).toMatchObject({ error_message: "a\uFFFDb", metadata: { "k\uFFFD": "v\uFFFD" } });
  });

  it("when Connect JSON carries a lone surrogate, then it is refused with InvalidArgument and nothing is stored", async () => {
    const sent = interception();
    // Raw JSON, so the escape reaches the server exactly as a hand-written client would send it.
    const body = `{"interception":{"id":"${sent.id}","tenantId":"t","provider":"p","startedAt":"2026-11-22T10:00:00Z",` +
      `"errorMessage":"x\\ud800y"}}`;
    const response = await fetch(`${env.server.url}/bridgelog.v1.RecorderService/RecordInterception`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.server.token}` },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("invalid_argument");
    expect(await stored(sent.id)).toBeUndefined();
  });

  // A string field is UTF-8 by the protobuf spec, and no conforming client sends anything else.
  // Connect, like grpc-go, answers a message it cannot parse with Internal.
  it("when a binary request has invalid UTF-8 in a string, then it is refused and nothing is stored", async () => {
    const sent = interception({ errorType: "unknown", errorMessage: "MARK" });
    const bytes = toBinary(RecordInterceptionRequestSchema, create(RecordInterceptionRequestSchema, { interception: sent }));
    const at = Buffer.from(bytes).indexOf("MARK");
    bytes[at] = 0xff; // never valid in UTF-8
    const response = await fetch(`${env.server.url}/bridgelog.v1.RecorderService/RecordInterception`, {
      method: "POST",
      headers: { "content-type": "application/proto", authorization: `Bearer ${env.server.token}` },
      body: bytes,
    });
    expect(await response.json()).toEqual({ code: "internal", message: expect.stringMatching(/utf-8/i) });
    expect(await stored(sent.id)).toBeUndefined();
  });
});

describe("invalid requests name the field and write nothing", () => {
  const at = (seconds: number) => timestampFromDate(new Date(Date.UTC(2026, 10, 22, 10, 0, seconds)));
  it.each([
    { field: "interception.id", overrides: { id: "" }, description: "required" },
    { field: "interception.id", overrides: { id: "not-a-uuid" }, description: "UUID" },
    { field: "interception.tenant_id", overrides: { tenantId: "" }, description: "required" },
    { field: "interception.tenant_id", overrides: { tenantId: "x".repeat(129) }, description: "128 bytes" },
    { field: "interception.tenant_id", overrides: { tenantId: "a\nb" }, description: "control" },
    { field: "interception.provider", overrides: { provider: " " }, description: "required" },
    { field: "interception.started_at", overrides: { startedAt: undefined }, description: "required" },
    { field: "interception.ended_at", overrides: { startedAt: at(5), endedAt: at(4) }, description: "before started_at" },
    { field: "interception.usage.input_tokens", overrides: { usage: { inputTokens: -1n } }, description: "negative" },
    { field: "interception.usage.output_tokens", overrides: { usage: { outputTokens: -1n } }, description: "negative" },
    { field: "interception.usage.cache_read_tokens", overrides: { usage: { cacheReadTokens: -1n } }, description: "negative" },
    { field: "interception.usage.cache_write_tokens", overrides: { usage: { cacheWriteTokens: -1n } }, description: "negative" },
    { field: "interception.cost_micros", overrides: { costMicros: -5n }, description: "negative" },
    { field: "interception.thread_root_id", overrides: { threadRootId: "root" }, description: "UUID" },
    { field: "interception.thread_parent_id", overrides: { threadParentId: "parent" }, description: "UUID" },
    { field: "interception.metadata", overrides: { metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) }, description: "64 entries" },
    { field: 'interception.metadata["k"]', overrides: { metadata: { k: "v".repeat(2049) } }, description: "2048 bytes" },
    { field: "interception.upstream.http_status", overrides: { upstream: { httpStatus: 1000 } }, description: "999" },
    {
      field: "interception.upstream.response_headers",
      overrides: { upstream: { httpStatus: 429, responseHeaders: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-h${i}`, "v"])) } },
      description: "64 entries",
    },
    {
      field: 'interception.upstream.response_headers["retry-after"]',
      overrides: { upstream: { httpStatus: 429, responseHeaders: { "retry-after": "1".repeat(2049) } } },
      description: "2048 bytes",
    },
  ])("when $field is bad ($description), then InvalidArgument names it", async ({ field, overrides, description }) => {
    const sent = interception(overrides);
    const error = await client.recordInterception({ interception: sent }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain(field);
    const violations = error!.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
    expect(violations).toContainEqual(expect.objectContaining({ field, description: expect.stringContaining(description) }));
    if (sent.id !== "") {
      const [row] = await env.db.sql`select count(*)::int as n from interceptions where id::text = ${sent.id}`;
      expect(row?.n ?? 0).toBe(0);
    }
  });

  it("when several fields are bad, then every one is named at once", async () => {
    const error = await client.recordInterception({ interception: interception({ id: "x", tenantId: "", provider: "" }) }).then(unexpectedSuccess, ConnectError.from);
    expect(error.rawMessage).toBe("interception.id: must be a UUID in 8-4-4-4-12 hex form; interception.tenant_id: required; interception.provider: required");
  });

  it("when the request has no interception at all, then InvalidArgument names it", async () => {
    const error = await client.recordInterception({}).then(unexpectedSuccess, ConnectError.from);
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toContain("interception");
  });

  it("when a request is over the size limit, then it gets ResourceExhausted and nothing is stored", async () => {
    const sent = interception({ errorType: "unknown", errorMessage: "x".repeat(80 * 1024) });
    const error = await client.recordInterception({ interception: sent }).then(unexpectedSuccess, ConnectError.from);
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(await stored(sent.id)).toBeUndefined();
  });

  it.each([
    { rpc: "RecorderService/RecordInterception", size: 80 * 1024, what: "just over the limit" },
    { rpc: "QueryService/ListInterceptions", size: 80 * 1024, what: "just over the limit" },
    { rpc: "RecorderService/RecordInterception", size: 1024 * 1024, what: "far over the limit" },
  ])("when a client is still sending a body $what ($rpc), then it reads ResourceExhausted and is told to stop (RST_STREAM NO_ERROR)", async ({ rpc, size }) => {
    // Bigger than HTTP/2's 64 KiB initial window: the client cannot finish sending unless the
    // server reads the rest or resets the stream, and it must not be left waiting.
    const head = Buffer.alloc(5);
    head.writeUInt32BE(size, 1);
    const session = http2.connect(env.server.url);
    try {
      const outcome = await new Promise<{ status: string | undefined; rstCode: number | undefined }>((resolve, reject) => {
        const stream = session.request({
          ":method": "POST",
          ":path": `/bridgelog.v1.${rpc}`,
          "content-type": "application/grpc",
          te: "trailers",
          authorization: `Bearer ${env.server.token}`,
        });
        let status: string | undefined;
        // In trailers, or in the headers of a trailers-only response (gRPC allows both).
        stream.on("response", (headers) => (status ??= headers["grpc-status"]?.toString()));
        stream.on("trailers", (trailers) => (status = String(trailers["grpc-status"])));
        stream.on("error", () => {});
        stream.resume();
        const deadline = setTimeout(() => reject(new Error(`the stream was still open after 10 s (status ${status})`)), 10_000);
        stream.on("close", () => {
          clearTimeout(deadline);
          resolve({ status, rstCode: stream.rstCode });
        });
        stream.end(Buffer.concat([head, Buffer.alloc(size)]));
      });
      expect(outcome).toEqual({ status: String(Code.ResourceExhausted), rstCode: http2.constants.NGHTTP2_NO_ERROR });
    } finally {
      session.close();
    }
  });
});

describe("RecordInterceptions answers each record on its own", () => {
  it("when one record of a stream is invalid, then it alone is rejected and the others are stored", async () => {
    const good = [interception(), interception()];
    const bad = interception({ tenantId: "" });
    const response = await client.recordInterceptions(
      (async function* () {
        yield { interception: good[0] };
        yield { interception: bad };
        yield { interception: good[1] };
      })(),
    );
    expect(response.results.map((r) => r.result.case)).toEqual(["recorded", "rejected", "recorded"]);
    expect(response.results[1]?.result.value).toMatchObject({
      id: bad.id,
      code: "invalid_argument",
      fieldViolations: [expect.objectContaining({ field: "interception.tenant_id" })],
    });
    for (const g of good) expect(await stored(g.id)).toBeDefined();
    expect(await stored(bad.id)).toBeUndefined();
  });

  it("when a stream carries more records than allowed, then it gets ResourceExhausted", async () => {
    const error = await client
      .recordInterceptions(
        (async function* () {
          for (let i = 0; i < 6; i++) yield { interception: interception() };
        })(),
      )
      .then(unexpectedSuccess, ConnectError.from);
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toContain("at most 5 records");
  });
});
