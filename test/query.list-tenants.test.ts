import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import type { Interception } from "../gen/bridgelog/v1/interception_pb.js";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import type { Scope } from "../src/auth/api-token.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer({ tokenCacheMs: 0 });
const HOUR = 3_600_000;
// Well before the default window (the last 30 days), which only the lt-recent tenants are in.
const START = Date.UTC(2026, 9, 10, 0, 0, 0);
const at = (ms: number) => timestampFromDate(new Date(START + ms));
const WINDOW = { startTime: at(0), endTime: at(3 * HOUR) };

const query = (token = env.server.token) => createClient(QueryService, transport("grpc", env.server.url, token));
const token = async (tenantId: string | null, scopes: Scope[]) => (await env.server.tokens.create({ tenantId, scopes })).token;
const failure = (error: unknown) => ConnectError.from(error);

beforeAll(async () => {
  const calls = (tenantId: string, n: number, fields: Partial<Interception> = {}) =>
    Array.from({ length: n }, (_, i) => interception({ tenantId, startedAt: at(i * 1000), endedAt: at(i * 1000 + 500), ...fields }));
  const records = [
    // lt-busy: 5 calls, the last of them in hour 2.
    ...calls("lt-busy", 4),
    interception({ tenantId: "lt-busy", startedAt: at(2 * HOUR + 5), endedAt: at(2 * HOUR + 9) }),
    // lt-alpha and lt-beta: 3 calls each, so they tie and go by tenant_id; lt-alpha has a failure.
    ...calls("lt-alpha", 2),
    interception({ tenantId: "lt-alpha", startedAt: at(HOUR + 10), endedAt: undefined, errorType: "rate_limited" }),
    ...calls("lt-beta", 3),
    // Only an interception still in progress: not counted, so the tenant is not listed.
    interception({ tenantId: "lt-in-progress", startedAt: at(10), endedAt: undefined }),
    // Only calls outside the window.
    ...calls("lt-earlier", 2, { startedAt: at(-2 * HOUR), endedAt: at(-2 * HOUR + 1) }),
    // Recent, for the default window (the last 30 days).
    ...["lt-recent", "lt-recent", "lt-recent-too"].map((tenantId) =>
      interception({ tenantId, startedAt: timestampFromDate(new Date(Date.now() - HOUR)), endedAt: timestampFromDate(new Date(Date.now() - HOUR + 100)) }),
    ),
  ];
  const response = await recorderClient("grpc", env.server.url, env.server.token).recordInterceptions(
    (async function* () {
      for (const r of records) yield { interception: r };
    })(),
  );
  expect(response.results.every((r) => r.result.case === "recorded")).toBe(true);
});

describe("ListTenants", () => {
  it("when tenants have ended calls in the window, then they are listed busiest first, ties by tenant_id, with failures and the last active hour", async () => {
    const { tenants, nextPageToken } = await query().listTenants(WINDOW);
    expect(tenants.map((t) => [t.tenantId, t.calls, t.failed])).toEqual([
      ["lt-busy", 5n, 0n],
      ["lt-alpha", 3n, 1n],
      ["lt-beta", 3n, 0n],
    ]);
    expect(tenants.map((t) => t.lastActiveHour)).toEqual([at(2 * HOUR), at(HOUR), at(0)]);
    expect(nextPageToken).toBe("");
  });

  it("when the window starts inside an hour, then that whole hour counts, since the rollups hold whole hours", async () => {
    const { tenants } = await query().listTenants({ startTime: at(HOUR / 2), endTime: at(HOUR) });
    expect(tenants.map((t) => [t.tenantId, t.calls])).toEqual([
      ["lt-busy", 4n],
      ["lt-beta", 3n],
      ["lt-alpha", 2n],
    ]);
  });

  it("when the window is left unset, then it is the last 30 days", async () => {
    const { tenants } = await query().listTenants({});
    expect(tenants.map((t) => [t.tenantId, t.calls])).toEqual([
      ["lt-recent", 2n],
      ["lt-recent-too", 1n],
    ]);
  });

  it("when paged one tenant at a time, then every tenant comes once, in order, and the last page has no token", async () => {
    const seen: string[] = [];
    let pageToken = "";
    for (let pages = 0; pages < 10; pages++) {
      const page = await query().listTenants({ ...WINDOW, pageSize: 1, pageToken });
      seen.push(...page.tenants.map((t) => t.tenantId));
      pageToken = page.nextPageToken;
      if (pageToken === "") break;
    }
    expect(seen).toEqual(["lt-busy", "lt-alpha", "lt-beta"]);
  });

  it("when the window is unset, then the next page is asked with it unset too, and the token carries the window", async () => {
    const first = await query().listTenants({ pageSize: 1 });
    expect(first.tenants.map((t) => t.tenantId)).toEqual(["lt-recent"]);
    const second = await query().listTenants({ pageSize: 1, pageToken: first.nextPageToken });
    expect(second.tenants.map((t) => t.tenantId)).toEqual(["lt-recent-too"]);
    expect(second.nextPageToken).toBe("");
  });

  it("when a token is shown another window, or is not a token, then page_token is refused", async () => {
    const { nextPageToken } = await query().listTenants({ ...WINDOW, pageSize: 1 });
    expect(nextPageToken).not.toBe("");
    const other = await query().listTenants({ startTime: at(0), endTime: at(2 * HOUR), pageSize: 1, pageToken: nextPageToken }).catch(failure);
    expect(other).toMatchObject({ code: Code.InvalidArgument });
    expect((other as ConnectError).rawMessage).toContain("page_token");
    const unset = await query().listTenants({ pageSize: 1, pageToken: nextPageToken }).catch(failure);
    expect((unset as ConnectError).rawMessage).toContain("page_token");
    const garbage = await query().listTenants({ ...WINDOW, pageToken: "not-a-token" }).catch(failure);
    expect((garbage as ConnectError).rawMessage).toContain("page_token");
  });

  it("when the window is inverted or too long, or page_size is negative, then it says which field is wrong", async () => {
    const inverted = await query().listTenants({ startTime: at(HOUR), endTime: at(0) }).catch(failure);
    expect(inverted).toMatchObject({ code: Code.InvalidArgument });
    expect((inverted as ConnectError).rawMessage).toContain("end_time");
    const long = await query().listTenants({ startTime: at(-401 * 24 * HOUR), endTime: at(0) }).catch(failure);
    expect((long as ConnectError).rawMessage).toContain("start_time");
    const negative = await query().listTenants({ ...WINDOW, pageSize: -1 }).catch(failure);
    expect((negative as ConnectError).rawMessage).toContain("page_size");
  });
});

describe("ListTenants and tokens", () => {
  it("when a tenant's token lists tenants, then it sees only its own, or none when its tenant has no calls in the window", async () => {
    const { tenants } = await query(await token("lt-alpha", ["read"])).listTenants(WINDOW);
    expect(tenants.map((t) => [t.tenantId, t.calls])).toEqual([["lt-alpha", 3n]]);
    expect((await query(await token("lt-earlier", ["read"])).listTenants(WINDOW)).tenants).toEqual([]);
  });

  it("when a tenant's token pages, then its token does not list every tenant", async () => {
    const all = await query().listTenants({ ...WINDOW, pageSize: 1 });
    const tenantToken = await token("lt-beta", ["read"]);
    const replayed = await query(tenantToken).listTenants({ ...WINDOW, pageSize: 1, pageToken: all.nextPageToken }).catch(failure);
    expect((replayed as ConnectError).rawMessage).toContain("page_token");
  });

  it("when the token only records, or is missing, then it is refused", async () => {
    const recordOnly = await query(await token(null, ["record"])).listTenants(WINDOW).catch(failure);
    expect(recordOnly).toMatchObject({ code: Code.PermissionDenied });
    const none = await createClient(QueryService, transport("grpc", env.server.url)).listTenants(WINDOW).catch(failure);
    expect(none).toMatchObject({ code: Code.Unauthenticated });
  });
});
