/**
 * What the console's browser tests look at: a gateway's day of LLM traffic, recorded over gRPC the
 * way bridges record it, with a thread, a BYOK key that broke and recovered, and one that stays
 * broken. The numbers are computed here too, so tests compare the page with what was sent.
 */
import { randomUUID } from "node:crypto";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Interception, KeySource } from "../../../gen/bridgelog/v1/interception_pb.js";
import { type InterceptionFields, interception, recorderClient } from "../../support/clients.js";
import { seededRandom } from "../../support/seeded-random.js";
import type { TestServer } from "../../support/server.js";

const HOUR = 3_600_000;

export interface ConsoleData {
  tenant: string;
  /** Ended calls in the last 24 hours (the default window), and how many failed, by type. */
  calls: number;
  failed: number;
  byType: Map<string, number>;
  byProvider: Map<string, number>;
  thread: { rootId: string; childId: string; grandchildId: string };
  /** A failure with a message cut to the byte limit, and its full length. */
  truncated: { id: string; bytes: number };
  /** alice's openai key: failed (unauthorized), then worked again. bob's anthropic key: still broken. */
  recoveredKey: { initiator: string; provider: string; failedId: string };
  brokenKey: { initiator: string; provider: string; failedId: string };
}

const FAILURES: InterceptionFields[] = [
  { errorType: "rate_limited", errorMessage: "Rate limit reached for gpt-4o in organization org-1 on tokens per min (TPM)" },
  { upstream: { httpStatus: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' } },
  { upstream: { httpStatus: 500, body: '{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}' } },
  { errorType: "timeout", errorMessage: "Request timed out after 60000 ms" },
];
const FAILURE_TYPES = ["rate_limited", "overloaded", "server_error", "timeout"];

/**
 * Records a day of traffic for `tenant`, hour by hour, ending a few minutes ago. Deterministic: the
 * same calls every run, relative to now.
 */
export async function recordConsoleData(server: TestServer, tenant: string, now = Date.now()): Promise<ConsoleData> {
  const random = seededRandom(13);
  const recorder = recorderClient("grpc", server.url, server.token);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const sent: Interception[] = [];
  const byType = new Map<string, number>();
  const byProvider = new Map<string, number>();
  let failed = 0;
  // 23 whole hours back from the current hour, so every call is inside "last 24 hours" however
  // close to the hour the test runs.
  const thisHour = Math.floor(now / HOUR) * HOUR;
  for (let hour = 0; hour < 23; hour++) {
    const calls = 6 + Math.floor(random() * 6) + (hour === 4 ? 20 : 0);
    for (let i = 0; i < calls; i++) {
      const started = thisHour - (hour + 1) * HOUR + Math.floor(random() * (HOUR - 120_000));
      const provider = pick(["openai", "openai", "anthropic", "gemini"]);
      const duration = 200 + Math.floor(random() * (provider === "anthropic" ? 4000 : 1500));
      const failure = random() < (hour === 4 ? 0.6 : 0.15) ? Math.floor(random() * FAILURES.length) : -1;
      const fields: InterceptionFields = {
        tenantId: tenant,
        provider,
        model: provider === "openai" ? pick(["gpt-4o", "gpt-4o-mini"]) : provider === "anthropic" ? "claude-sonnet-4-5" : "gemini-2.5-flash",
        feature: pick(["chat", "chat", "summarize", "search"]),
        initiatorId: pick(["user-1", "user-2", "user-3", "user-4", "user-5"]),
        keySource: random() < 0.25 ? KeySource.BYOK : KeySource.PLATFORM,
        startedAt: timestampFromDate(new Date(started)),
        endedAt: timestampFromDate(new Date(started + duration)),
        usage: { inputTokens: BigInt(100 + Math.floor(random() * 900)), outputTokens: BigInt(20 + Math.floor(random() * 400)) },
        costMicros: BigInt(50 + Math.floor(random() * 3000)),
        metadata: { region: pick(["eu-west-1", "us-east-1"]) },
        ...(failure >= 0 ? FAILURES[failure] : {}),
      };
      // A BYOK failure of a transient type is not a key failure; keep the key story in its own calls.
      if (failure >= 0) fields.keySource = KeySource.PLATFORM;
      // Anthropic's own overload answer comes from Anthropic.
      if (failure === 1) Object.assign(fields, { provider: "anthropic", model: "claude-sonnet-4-5" });
      sent.push(interception(fields));
      byProvider.set(fields.provider!, (byProvider.get(fields.provider!) ?? 0) + 1);
      if (failure >= 0) {
        failed++;
        byType.set(FAILURE_TYPES[failure]!, (byType.get(FAILURE_TYPES[failure]!) ?? 0) + 1);
      }
    }
  }

  // A thread: an agent's root call failed after a tool call and a retried sub-call.
  const rootId = randomUUID();
  const childId = randomUUID();
  const grandchildId = randomUUID();
  const threadStart = thisHour - 2 * HOUR + 600_000;
  const at = (offset: number) => timestampFromDate(new Date(threadStart + offset));
  const common = { tenantId: tenant, provider: "anthropic", model: "claude-sonnet-4-5", feature: "agent", initiatorId: "user-2" };
  sent.push(
    interception({ ...common, id: rootId, startedAt: at(0), endedAt: at(9000), upstream: { httpStatus: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' } }),
    interception({ ...common, id: childId, threadRootId: rootId, threadParentId: rootId, feature: "tool-call", startedAt: at(1000), endedAt: at(2500) }),
    interception({ ...common, id: grandchildId, threadRootId: rootId, threadParentId: childId, feature: "retrieval", provider: "openai", model: "gpt-4o-mini", startedAt: at(1200), endedAt: at(1900), errorType: "timeout", errorMessage: "retrieval timed out" }),
  );
  byProvider.set("anthropic", (byProvider.get("anthropic") ?? 0) + 2);
  byProvider.set("openai", (byProvider.get("openai") ?? 0) + 1);
  failed += 2;
  byType.set("overloaded", (byType.get("overloaded") ?? 0) + 1);
  byType.set("timeout", (byType.get("timeout") ?? 0) + 1);

  // A message longer than the byte limit (4096 by default): stored cut, with its length.
  const truncatedId = randomUUID();
  const longMessage = `context_length_exceeded: ${"This model's maximum context length is 128000 tokens. ".repeat(100)}`;
  sent.push(
    interception({
      tenantId: tenant,
      id: truncatedId,
      provider: "openai",
      initiatorId: "user-3",
      startedAt: timestampFromDate(new Date(thisHour - 3 * HOUR + 60_000)),
      endedAt: timestampFromDate(new Date(thisHour - 3 * HOUR + 61_000)),
      errorType: "bad_request",
      errorMessage: longMessage,
    }),
  );
  byProvider.set("openai", (byProvider.get("openai") ?? 0) + 1);
  failed++;
  byType.set("bad_request", 1);

  // alice's own OpenAI key is rejected and she is told; recordRecovery records the call that
  // works once she has replaced it.
  const aliceFailed = randomUUID();
  const aliceFailedAt = thisHour - 6 * HOUR + 300_000;
  sent.push(
    interception({
      tenantId: tenant,
      initiatorId: "alice",
      provider: "openai",
      keySource: KeySource.BYOK,
      id: aliceFailed,
      startedAt: timestampFromDate(new Date(aliceFailedAt)),
      endedAt: timestampFromDate(new Date(aliceFailedAt + 400)),
      upstream: { httpStatus: 401, body: '{"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","code":"invalid_api_key"}}' },
    }),
  );
  // bob's own Anthropic key is out of credit, and nothing has worked since.
  const bobFailed = randomUUID();
  const bobFailedAt = thisHour - 1 * HOUR + 120_000;
  sent.push(
    interception({
      tenantId: tenant,
      id: bobFailed,
      initiatorId: "bob",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      keySource: KeySource.BYOK,
      startedAt: timestampFromDate(new Date(bobFailedAt)),
      endedAt: timestampFromDate(new Date(bobFailedAt + 300)),
      upstream: { httpStatus: 400, body: '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}' },
    }),
  );
  byProvider.set("openai", (byProvider.get("openai") ?? 0) + 1);
  byProvider.set("anthropic", (byProvider.get("anthropic") ?? 0) + 1);
  failed += 2;
  byType.set("unauthorized", 1);
  byType.set("quota_exhausted", 1);

  await recordAll(recorder, sent);
  return {
    tenant,
    calls: sent.length,
    failed,
    byType,
    byProvider,
    thread: { rootId, childId, grandchildId },
    truncated: { id: truncatedId, bytes: Buffer.byteLength(longMessage) },
    recoveredKey: { initiator: "alice", provider: "openai", failedId: aliceFailed },
    brokenKey: { initiator: "bob", provider: "anthropic", failedId: bobFailed },
  };
}

/**
 * alice's first call with her new key, made after her key failure was recorded (and told): it
 * works, so her key has recovered. Counted in `data`.
 */
export async function recordRecovery(server: TestServer, data: ConsoleData, now = Date.now()): Promise<void> {
  const recorder = recorderClient("grpc", server.url, server.token);
  const { initiator, provider } = data.recoveredKey;
  await recorder.recordInterception({
    interception: interception({
      tenantId: data.tenant,
      initiatorId: initiator,
      provider,
      keySource: KeySource.BYOK,
      startedAt: timestampFromDate(new Date(now)),
      endedAt: timestampFromDate(new Date(now + 700)),
    }),
  });
  data.calls++;
  data.byProvider.set(provider, (data.byProvider.get(provider) ?? 0) + 1);
}

/** `count` successful calls for `tenant`, one a second back from a minute ago, over one gRPC stream per 1,000. */
export async function recordManyCalls(server: TestServer, tenant: string, count: number, now = Date.now()): Promise<void> {
  const recorder = recorderClient("grpc", server.url, server.token);
  const end = now - 60_000;
  const calls = Array.from({ length: count }, (_, i) =>
    interception({
      tenantId: tenant,
      initiatorId: `user-${i % 50}`,
      startedAt: timestampFromDate(new Date(end - i * 1000)),
      endedAt: timestampFromDate(new Date(end - i * 1000 + 250)),
    }),
  );
  await recordAll(recorder, calls);
}

async function recordAll(recorder: ReturnType<typeof recorderClient>, calls: Interception[]): Promise<void> {
  for (let i = 0; i < calls.length; i += 1000) {
    const chunk = calls.slice(i, i + 1000);
    const response = await recorder.recordInterceptions(
      (async function* () {
        for (const sent of chunk) yield { interception: sent };
      })(),
    );
    const rejected = response.results.filter((r) => r.result.case === "rejected");
    if (rejected.length > 0) throw new Error(`records rejected: ${JSON.stringify(rejected.slice(0, 3))}`);
  }
}
