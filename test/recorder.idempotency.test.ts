import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, KeySource, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import { createClient } from "@connectrpc/connect";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

let client: ReturnType<typeof recorderClient>;
const env = useTestServer();
beforeAll(() => {
  client = recorderClient("grpc", env.server.url, env.server.token);
});

const at = (iso: string) => timestampFromDate(new Date(iso));

/** The start and end records a bridge sends for one call. */
function startAndEnd() {
  const start = interception({
    endedAt: undefined,
    model: "",
    keySource: KeySource.UNSPECIFIED,
    startedAt: at("2026-11-22T10:00:00Z"),
    threadRootId: "6f1c7c55-0d8a-4a8e-9c4e-0e5b7a1d2c3f",
    metadata: { phase: "start", route: "/v1/chat" },
  });
  const end = interception({
    ...start,
    threadRootId: undefined,
    model: "gpt-4o-2024-08-06",
    keySource: KeySource.BYOK,
    endedAt: at("2026-11-22T10:00:02Z"),
    usage: { inputTokens: 100n, outputTokens: 20n, cacheReadTokens: 5n, cacheWriteTokens: 1n },
    costMicros: 1234n,
    errorType: "rate_limited",
    errorMessage: "slow down",
    metadata: { phase: "end", attempt: "1" },
  });
  return { start, end };
}

async function rows(id: string) {
  return env.db.sql`
    select model, key_source, thread_root_id, started_at, ended_at, input_tokens, output_tokens,
           cache_read_tokens, cache_write_tokens, cost_micros, error_type, error_message, metadata
    from interceptions where id = ${id}`;
}

const merged = {
  model: "gpt-4o-2024-08-06",
  key_source: "byok",
  thread_root_id: "6f1c7c55-0d8a-4a8e-9c4e-0e5b7a1d2c3f",
  started_at: new Date("2026-11-22T10:00:00Z"),
  ended_at: new Date("2026-11-22T10:00:02Z"),
  input_tokens: "100",
  output_tokens: "20",
  cache_read_tokens: "5",
  cache_write_tokens: "1",
  cost_micros: "1234",
  error_type: "rate_limited",
  error_message: "slow down",
};

describe("the same id recorded twice is one row", () => {
  it("when the same record is retried, then there is one row and the retry reports it was not created", async () => {
    const sent = interception({ errorType: "timeout" });
    const first = await client.recordInterception({ interception: sent });
    const retry = await client.recordInterception({ interception: sent });
    expect(first.recorded?.created).toBe(true);
    expect(retry.recorded).toMatchObject({ created: false, outcome: Outcome.FAILED, errorType: ErrorType.TIMEOUT });
    expect(await rows(sent.id)).toHaveLength(1);
  });

  it("when start then end arrive, then the row is the merge and later-known fields fill in", async () => {
    const { start, end } = startAndEnd();
    expect((await client.recordInterception({ interception: start })).recorded?.outcome).toBe(Outcome.IN_PROGRESS);
    expect((await client.recordInterception({ interception: end })).recorded).toMatchObject({
      created: false,
      outcome: Outcome.FAILED,
      errorType: ErrorType.RATE_LIMITED,
    });
    const [row] = await rows(start.id);
    expect(row).toMatchObject(merged);
    // Existing metadata values are kept; new keys fill in.
    expect(row?.metadata).toEqual({ phase: "start", route: "/v1/chat", attempt: "1" });
  });

  it("when end then start arrive, then the row is the same merge and the late start changes no outcome", async () => {
    const { start, end } = startAndEnd();
    await client.recordInterception({ interception: end });
    const late = await client.recordInterception({ interception: start });
    expect(late.recorded).toMatchObject({ created: false, outcome: Outcome.FAILED, errorType: ErrorType.RATE_LIMITED });
    const [row] = await rows(start.id);
    expect(row).toMatchObject(merged);
    expect(row?.metadata).toEqual({ phase: "end", attempt: "1", route: "/v1/chat" });
  });

  it("when start and end arrive in one stream, then they apply in the order sent", async () => {
    const { start, end } = startAndEnd();
    const response = await client.recordInterceptions(
      (async function* () {
        yield { interception: start };
        yield { interception: end };
      })(),
    );
    expect(response.results.map((r) => r.result.case === "recorded" && r.result.value.outcome)).toEqual([
      Outcome.IN_PROGRESS,
      Outcome.FAILED,
    ]);
    expect(await rows(start.id)).toEqual([expect.objectContaining(merged)]);
  });

  it("when an ended interception is sent again with another outcome, then the stored outcome does not change", async () => {
    const failed = interception({ errorType: "unauthorized", errorMessage: "bad key", costMicros: 0n });
    await client.recordInterception({ interception: failed });
    const rewrite = interception({ ...failed, errorType: undefined, errorMessage: undefined, costMicros: 999n, usage: { inputTokens: 5n } });
    const response = await client.recordInterception({ interception: rewrite });
    expect(response.recorded).toMatchObject({ outcome: Outcome.FAILED, errorType: ErrorType.UNAUTHORIZED });
    expect(await rows(failed.id)).toEqual([
      expect.objectContaining({ error_type: "unauthorized", error_message: "bad key", cost_micros: "0", input_tokens: "0" }),
    ]);
  });

  it("when a success is retried as a failure, then it stays a success", async () => {
    const ok = interception();
    await client.recordInterception({ interception: ok });
    const response = await client.recordInterception({ interception: { ...ok, errorType: "server_error" } });
    expect(response.recorded).toMatchObject({ outcome: Outcome.SUCCEEDED, errorType: ErrorType.UNSPECIFIED });
  });

  it("when a record carries another started_at than the first, then it is another interception: started_at is part of the key", async () => {
    const start = interception({ endedAt: undefined, startedAt: at("2026-11-22T10:00:05Z") });
    const end = interception({ ...start, startedAt: at("2026-11-22T10:00:00Z"), endedAt: at("2026-11-22T10:00:03Z") });
    await client.recordInterception({ interception: start });
    expect((await client.recordInterception({ interception: end })).recorded?.created).toBe(true);
    const stored = await env.db.sql`select started_at, ended_at from interceptions where id = ${start.id} order by started_at`;
    expect(stored).toEqual([
      { started_at: new Date("2026-11-22T10:00:00Z"), ended_at: new Date("2026-11-22T10:00:03Z") },
      { started_at: new Date("2026-11-22T10:00:05Z"), ended_at: null },
    ]);
    // GetInterception, which knows only the id, answers with the row written last.
    const query = createClient(QueryService, transport("grpc", env.server.url, env.server.token));
    const { interception: got } = await query.getInterception({ tenantId: start.tenantId, id: start.id });
    expect(got?.startedAt).toEqual(at("2026-11-22T10:00:00Z"));
  });

  it("when start and end records are a day apart, then they still merge into one row of the start's day", async () => {
    const start = interception({ endedAt: undefined, startedAt: at("2026-11-22T23:59:59.999Z") });
    const end = interception({ ...start, endedAt: at("2026-11-23T00:10:00Z"), usage: { inputTokens: 7n } });
    await client.recordInterception({ interception: start });
    expect((await client.recordInterception({ interception: end })).recorded).toMatchObject({ created: false, outcome: Outcome.SUCCEEDED });
    const stored = await env.db.sql`select tableoid::regclass::text as partition, input_tokens from interceptions where id = ${start.id}`;
    expect(stored).toEqual([{ partition: "interceptions_p20261122", input_tokens: "7" }]);
  });

  it("when two tenants use the same id, then each has its own row", async () => {
    const a = interception({ tenantId: "tenant-x" });
    await client.recordInterception({ interception: a });
    const b = await client.recordInterception({ interception: { ...a, tenantId: "tenant-y" } });
    expect(b.recorded?.created).toBe(true);
    expect(await rows(a.id)).toHaveLength(2);
  });

  it("when the id is upper-case, then it is the same interception as its lower-case form", async () => {
    const sent = interception();
    await client.recordInterception({ interception: sent });
    const again = await client.recordInterception({ interception: { ...sent, id: sent.id.toUpperCase() } });
    expect(again.recorded).toMatchObject({ id: sent.id, created: false });
  });
});
