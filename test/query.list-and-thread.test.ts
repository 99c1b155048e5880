import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, type Interception, KeySource, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import { OutcomeFilter, QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();
const TENANT = "tenant-query";
const BASE = Date.UTC(2026, 10, 20, 12, 0, 0);
const at = (ms: number) => timestampFromDate(new Date(BASE + ms));

function query() {
  return createClient(QueryService, transport("connect-json", env.server.url, env.server.token));
}

async function record(records: Interception[]) {
  const response = await recorderClient("grpc", env.server.url, env.server.token).recordInterceptions(
    (async function* () {
      for (const r of records) yield { interception: r };
    })(),
  );
  expect(response.results.every((r) => r.result.case === "recorded")).toBe(true);
}

/** 120 interceptions a second apart, with a known mix; pairs share a start to test tie-breaks. */
const seedFor = (tenantId: string): Interception[] => Array.from({ length: 120 }, (_, i) =>
  interception({
    tenantId,
    startedAt: at(Math.floor(i / 2) * 1000),
    endedAt: at(Math.floor(i / 2) * 1000 + 500),
    provider: i % 3 === 0 ? "anthropic" : "openai",
    model: i % 4 === 0 ? "claude-sonnet-4" : "gpt-4o",
    feature: i % 5 === 0 ? "summarize" : "chat",
    keySource: i % 2 === 0 ? KeySource.BYOK : KeySource.PLATFORM,
    initiatorId: `user-${i % 7}`,
    errorType: i % 6 === 0 ? "rate_limited" : i % 10 === 0 ? "unauthorized" : undefined,
    errorMessage: i % 6 === 0 ? "slow down" : i % 10 === 0 ? "bad key" : undefined,
  }),
);
const seeded = seedFor(TENANT);
// Its own tenant, so the rows it adds while paging change no other test's expectations.
const PAGING_TENANT = "tenant-paging";
const pagingSeed = seedFor(PAGING_TENANT);

beforeAll(async () => {
  await record([...seeded, ...pagingSeed]);
});

async function listAll(filters: Parameters<ReturnType<typeof query>["listInterceptions"]>[0], pageSize = 7): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = "";
  do {
    const page = await query().listInterceptions({ ...filters, tenantId: TENANT, pageSize, pageToken });
    ids.push(...page.interceptions.map((i) => i.id));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return ids;
}

const newestFirst = (records: Interception[]) =>
  [...records]
    .sort((a, b) => Number(b.startedAt!.seconds - a.startedAt!.seconds) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0))
    .map((r) => r.id);

describe("ListInterceptions", () => {
  it("when paging through everything, then every row comes once, newest first, ties broken by id", async () => {
    expect(await listAll({})).toEqual(newestFirst(seeded));
  });

  it("when rows arrive while a client pages, then no row is skipped or repeated", async () => {
    const seen: string[] = [];
    let pageToken = "";
    let round = 0;
    do {
      const page = await query().listInterceptions({ tenantId: PAGING_TENANT, pageSize: 10, pageToken });
      seen.push(...page.interceptions.map((i) => i.id));
      pageToken = page.nextPageToken;
      // New calls land between pages, newer than anything listed and at the same instants.
      await record([
        interception({ tenantId: PAGING_TENANT, startedAt: at(3_600_000 + round * 1000) }),
        interception({ tenantId: PAGING_TENANT, startedAt: at(59_000), endedAt: at(59_500) }),
      ]);
      round++;
    } while (pageToken !== "");
    const expected = newestFirst(pagingSeed);
    // Rows newer than the first page never appear later; rows at an instant already passed may
    // appear only where their id sorts, and never twice.
    const fromSeed = seen.filter((id) => expected.includes(id));
    expect(fromSeed).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each([
    { name: "provider", filters: { provider: "Anthropic" }, match: (r: Interception) => r.provider === "anthropic" },
    { name: "model", filters: { model: "claude-sonnet-4" }, match: (r: Interception) => r.model === "claude-sonnet-4" },
    { name: "feature", filters: { feature: "summarize" }, match: (r: Interception) => r.feature === "summarize" },
    { name: "key source", filters: { keySource: KeySource.BYOK }, match: (r: Interception) => r.keySource === KeySource.BYOK },
    { name: "initiator", filters: { initiatorId: "user-3" }, match: (r: Interception) => r.initiatorId === "user-3" },
    { name: "failed only", filters: { outcome: OutcomeFilter.FAILED }, match: (r: Interception) => r.errorType !== undefined },
    { name: "succeeded only", filters: { outcome: OutcomeFilter.SUCCEEDED }, match: (r: Interception) => r.errorType === undefined },
    { name: "error type", filters: { errorTypes: [ErrorType.UNAUTHORIZED] }, match: (r: Interception) => r.errorType === "unauthorized" },
    {
      name: "time range",
      filters: { startTime: at(10_000), endTime: at(20_000) },
      match: (r: Interception) => r.startedAt!.seconds >= at(10_000).seconds && r.startedAt!.seconds < at(20_000).seconds,
    },
  ])("when filtered by $name, then exactly the matching rows come back", async ({ filters, match }) => {
    const expected = newestFirst(seeded.filter(match));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(seeded.length);
    const listed = await listAll({ ...filters, endTime: filters.endTime ?? at(3_000_000) });
    expect(listed).toEqual(expected);
  });

  it("when a failure is listed, then its error is nested with its type", async () => {
    const page = await query().listInterceptions({ tenantId: TENANT, errorTypes: [ErrorType.RATE_LIMITED], pageSize: 1 });
    expect(page.interceptions[0]).toMatchObject({ outcome: Outcome.FAILED, error: { type: ErrorType.RATE_LIMITED, message: "slow down" } });
    const ok = await query().listInterceptions({ tenantId: TENANT, outcome: OutcomeFilter.SUCCEEDED, pageSize: 1 });
    expect(ok.interceptions[0]?.error).toBeUndefined();
  });

  it("when the page size is huge, then it is capped at 500; when negative, it is refused", async () => {
    const page = await query().listInterceptions({ tenantId: TENANT, pageSize: 100_000 });
    expect(page.interceptions.length).toBeLessThanOrEqual(500);
    const error = await query().listInterceptions({ tenantId: TENANT, pageSize: -1 }).catch(ConnectError.from);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it("when a page token is reused with other filters or forged, then it is refused naming page_token", async () => {
    const first = await query().listInterceptions({ tenantId: TENANT, pageSize: 5 });
    const other = await query()
      .listInterceptions({ tenantId: TENANT, pageSize: 5, provider: "openai", pageToken: first.nextPageToken })
      .catch(ConnectError.from);
    expect((other as ConnectError).rawMessage).toContain("page_token");
    const forged = await query().listInterceptions({ tenantId: TENANT, pageToken: "nonsense" }).catch(ConnectError.from);
    expect((forged as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it("when an error type filter is UNSPECIFIED or a number this server does not know, then it is refused naming error_types", async () => {
    for (const errorTypes of [[ErrorType.UNSPECIFIED], [99 as ErrorType], [ErrorType.TIMEOUT, 99 as ErrorType]]) {
      const error = await query().listInterceptions({ tenantId: TENANT, errorTypes }).catch(ConnectError.from);
      expect((error as ConnectError).code, JSON.stringify(errorTypes)).toBe(Code.InvalidArgument);
      expect((error as ConnectError).rawMessage).toContain("error_types");
    }
  });
});

describe("GetInterception and GetThread", () => {
  it("when an interception exists, then it is returned; when not, NotFound", async () => {
    const target = seeded[6]!;
    const { interception: got } = await query().getInterception({ tenantId: TENANT, id: target.id });
    expect(got).toMatchObject({ id: target.id, provider: target.provider, error: { type: ErrorType.RATE_LIMITED } });
    expect(got?.error?.retryAfterMs).toBeUndefined();
    const missing = await query().getInterception({ tenantId: TENANT, id: randomUUID() }).catch(ConnectError.from);
    expect((missing as ConnectError).code).toBe(Code.NotFound);
  });

  it("when the provider said how long to wait, then the error carries retry_after_ms; the headers it came from are not stored", async () => {
    const hinted = interception({
      tenantId: "tenant-query-hint",
      startedAt: at(0),
      endedAt: at(100),
      upstream: { httpStatus: 429, responseHeaders: { "retry-after-ms": "2500" } },
    });
    await record([hinted]);
    const { interception: got } = await query().getInterception({ tenantId: "tenant-query-hint", id: hinted.id });
    expect(got?.error).toMatchObject({ type: ErrorType.RATE_LIMITED, retryAfterMs: 2500n, upstream: { httpStatus: 429, responseHeaders: {} } });
    const listed = await query().listInterceptions({ tenantId: "tenant-query-hint", pageSize: 5 });
    expect(listed.interceptions.map((i) => i.error?.retryAfterMs)).toEqual([2500n]);
  });

  it("when a thread's root failed, then the thread's error is the root's, type and message together", async () => {
    const root = interception({ tenantId: TENANT, errorType: "quota_exhausted", errorMessage: "add credit", startedAt: at(0) });
    const child = interception({ tenantId: TENANT, threadRootId: root.id, threadParentId: root.id, startedAt: at(1000), errorType: "timeout" });
    const grandchild = interception({ tenantId: TENANT, threadRootId: root.id, threadParentId: child.id, startedAt: at(2000) });
    await record([grandchild, root, child]);
    const thread = await query().getThread({ tenantId: TENANT, rootId: root.id });
    expect(thread.root?.id).toBe(root.id);
    expect(thread.descendants.map((d) => d.id)).toEqual([child.id, grandchild.id]);
    expect(thread.error).toMatchObject({ type: ErrorType.QUOTA_EXHAUSTED, message: "add credit" });
  });

  it("when a thread's root succeeded, then the thread has no error even if a descendant failed", async () => {
    const root = interception({ tenantId: TENANT });
    const child = interception({ tenantId: TENANT, threadRootId: root.id, errorType: "overloaded", errorMessage: "busy" });
    await record([root, child]);
    const thread = await query().getThread({ tenantId: TENANT, rootId: root.id });
    expect(thread.error).toBeUndefined();
    expect(thread.descendants[0]?.error).toMatchObject({ type: ErrorType.OVERLOADED, message: "busy" });
  });
});
