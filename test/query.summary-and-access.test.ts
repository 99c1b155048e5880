import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, type Interception } from "../gen/bridgelog/v1/interception_pb.js";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import type { Scope } from "../src/auth/api-token.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const ORIGIN = "https://dashboard.example.com";
const env = useTestServer({ corsOrigins: [ORIGIN], tokenCacheMs: 0 });
const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 21, 0, 0, 0);
const at = (ms: number) => timestampFromDate(new Date(START + ms));

function query(token = env.server.token) {
  return createClient(QueryService, transport("grpc", env.server.url, token));
}

beforeAll(async () => {
  // Hour 0: 4 openai calls, 1 rate limited. Hour 2: 2 anthropic calls, both overloaded, and 1
  // openai unauthorized. One in progress (not counted) and one outside the window.
  const records: Interception[] = [
    ...Array.from({ length: 3 }, (_, i) => interception({ tenantId: "sum", provider: "openai", startedAt: at(i * 1000) })),
    interception({ tenantId: "sum", provider: "openai", startedAt: at(5000), errorType: "rate_limited" }),
    interception({ tenantId: "sum", provider: "anthropic", startedAt: at(2 * HOUR + 1), errorType: "overloaded" }),
    interception({ tenantId: "sum", provider: "anthropic", startedAt: at(2 * HOUR + 2), upstream: { httpStatus: 529 } }),
    interception({ tenantId: "sum", provider: "openai", startedAt: at(2 * HOUR + 3), errorType: "unauthorized" }),
    interception({ tenantId: "sum", provider: "openai", startedAt: at(HOUR), endedAt: undefined }),
    interception({ tenantId: "sum", provider: "openai", startedAt: at(-1), endedAt: undefined, errorType: "timeout" }),
    interception({ tenantId: "other-tenant", provider: "openai", startedAt: at(1), errorType: "timeout" }),
  ];
  const response = await recorderClient("grpc", env.server.url, env.server.token).recordInterceptions(
    (async function* () {
      for (const r of records) yield { interception: r };
    })(),
  );
  expect(response.results.every((r) => r.result.case === "recorded")).toBe(true);
});

describe("SummarizeErrors", () => {
  it("when asked for a 3-hour window in hours, then the counts match the hand count", async () => {
    const summary = await query().summarizeErrors({ tenantId: "sum", startTime: at(0), endTime: at(3 * HOUR), bucketSeconds: 3600 });
    expect(summary.totals).toMatchObject({ total: 7n, failed: 4n, failureRate: 4 / 7 });
    expect(summary.totals?.byErrorType.map((c) => [ErrorType[c.errorType], c.count])).toEqual([
      ["UNAUTHORIZED", 1n],
      ["RATE_LIMITED", 1n],
      ["OVERLOADED", 2n],
    ]);
    expect(summary.byProvider.map((p) => [p.provider, p.counts?.total, p.counts?.failed])).toEqual([
      ["anthropic", 2n, 2n],
      ["openai", 5n, 2n],
    ]);
    expect(summary.buckets.map((b) => [b.counts?.total, b.counts?.failed])).toEqual([
      [4n, 1n],
      [0n, 0n],
      [3n, 3n],
    ]);
    expect(summary.buckets[2]?.startTime).toEqual(at(2 * HOUR));
  });

  it("when the window is empty or inverted or has too many buckets, then it says which field is wrong", async () => {
    const empty = await query().summarizeErrors({ tenantId: "nobody", startTime: at(0), endTime: at(HOUR) });
    expect(empty.totals).toMatchObject({ total: 0n, failed: 0n, failureRate: 0 });
    const inverted = await query().summarizeErrors({ tenantId: "sum", startTime: at(HOUR), endTime: at(0) }).catch(ConnectError.from);
    expect((inverted as ConnectError).rawMessage).toContain("end_time");
    const tiny = await query().summarizeErrors({ tenantId: "sum", startTime: at(0), endTime: at(24 * HOUR), bucketSeconds: 1 }).catch(ConnectError.from);
    expect((tiny as ConnectError).rawMessage).toContain("bucket_seconds");
  });
});

describe("tenancy and tokens on the query API", () => {
  const token = async (tenantId: string | null, scopes: Scope[]) => (await env.server.tokens.create({ tenantId, scopes })).token;
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: unknown) => Code[ConnectError.from(error).code],
    );

  it("when a read token for a tenant lists its own data, then it may, with or without naming the tenant", async () => {
    const client = query(await token("sum", ["read"]));
    expect((await client.listInterceptions({})).interceptions.length).toBeGreaterThan(0);
    expect((await client.listInterceptions({ tenantId: "sum" })).interceptions.every((i) => i.tenantId === "sum")).toBe(true);
  });

  it("when a tenant's token asks for another tenant, then every RPC gets PermissionDenied", async () => {
    const client = query(await token("sum", ["read"]));
    const { interceptions } = await query().listInterceptions({ tenantId: "other-tenant" });
    const foreign = interceptions[0]!.id;
    expect(await codeOf(client.listInterceptions({ tenantId: "other-tenant" }))).toBe("PermissionDenied");
    expect(await codeOf(client.getInterception({ tenantId: "other-tenant", id: foreign }))).toBe("PermissionDenied");
    expect(await codeOf(client.getThread({ tenantId: "other-tenant", rootId: foreign }))).toBe("PermissionDenied");
    expect(await codeOf(client.summarizeErrors({ tenantId: "other-tenant" }))).toBe("PermissionDenied");
    // Its own tenant with another tenant's id finds nothing.
    expect(await codeOf(client.getInterception({ tenantId: "sum", id: foreign }))).toBe("NotFound");
  });

  it("when the token is missing, malformed, revoked or lacks the read scope, then it is refused", async () => {
    expect(await codeOf(createClient(QueryService, transport("grpc", env.server.url)).listInterceptions({ tenantId: "sum" }))).toBe(
      "Unauthenticated",
    );
    expect(await codeOf(query("blg_nope").listInterceptions({ tenantId: "sum" }))).toBe("Unauthenticated");
    const issued = await env.server.tokens.create({ tenantId: "sum", scopes: ["read"] });
    await env.server.tokens.revoke(issued.id);
    expect(await codeOf(query(issued.token).listInterceptions({ tenantId: "sum" }))).toBe("Unauthenticated");
    expect(await codeOf(query(await token("sum", ["record"])).listInterceptions({ tenantId: "sum" }))).toBe("PermissionDenied");
  });

  it("when a token for every tenant names none, then it must say which", async () => {
    const error = await query().listInterceptions({}).catch(ConnectError.from);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toContain("tenant_id");
  });
});

describe("CORS", () => {
  const url = () => `${env.server.url}/bridgelog.v1.QueryService/ListInterceptions`;
  const preflight = (origin: string) =>
    fetch(url(), {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });

  it("when a configured browser origin sends a preflight, then it is allowed with the Authorization header", async () => {
    const response = await preflight(ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("when the actual call comes from that origin, then the response carries the CORS headers", async () => {
    const response = await fetch(url(), {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json", authorization: `Bearer ${env.server.token}` },
      body: JSON.stringify({ tenantId: "sum", pageSize: 1 }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("when another origin sends a preflight, then it gets no CORS headers", async () => {
    const response = await preflight("https://evil.example.com");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
