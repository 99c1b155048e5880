import { Code, createClient } from "@connectrpc/connect";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { interception, recorderClient, transport, type TransportName } from "./support/clients.js";
import { fieldViolationsOf, rejectionOf } from "./support/rejection.js";
import { useTestServer } from "./support/server.js";

/**
 * Input that once reached JavaScript or PostgreSQL and failed there (INTERNAL): NUL characters in
 * filters, instants outside protobuf's range, forged page tokens. Each is INVALID_ARGUMENT naming
 * its field.
 */
const env = useTestServer();
const TENANT = `hostile-${crypto.randomUUID()}`;
const query = (name: TransportName = "connect-json") => createClient(QueryService, transport(name, env.server.url, env.server.token));

async function expectInvalid(call: Promise<unknown>, field: string) {
  const error = await rejectionOf(call);
  expect(Code[error.code], error.message).toBe("InvalidArgument");
  expect(fieldViolationsOf(error).map((v) => v.field)).toContain(field);
}

describe("ListInterceptions filters", () => {
  it.each([
    ["provider", { provider: "open\u0000ai" }],
    ["model", { model: "gpt\u0000" }],
    ["feature", { feature: "\u0000" }],
    ["initiator_id", { initiatorId: "user\u00001" }],
  ])("when %s holds a NUL, then it is INVALID_ARGUMENT naming it", async (field, filter) => {
    await expectInvalid(query().listInterceptions({ tenantId: TENANT, ...filter }), field);
  });

  it.each<TransportName>(["grpc", "connect-json"])("over %s, a NUL in tenant_id is INVALID_ARGUMENT on every query", async (name) => {
    const client = query(name);
    await expectInvalid(client.listInterceptions({ tenantId: "t\u0000" }), "tenant_id");
    await expectInvalid(client.summarizeErrors({ tenantId: "t\u0000" }), "tenant_id");
    await expectInvalid(client.getInterception({ tenantId: "t\u0000", id: crypto.randomUUID() }), "tenant_id");
  });
});

describe("instants out of range", () => {
  const outOfRange = [
    { seconds: 1_000_000_000_000_000n, nanos: 0 },
    { seconds: -1_000_000_000_000_000n, nanos: 0 },
    { seconds: 9_223_372_036_854_775_807n, nanos: 0 },
    { seconds: 253_402_300_800n, nanos: 0 },
    { seconds: 0n, nanos: -1 },
  ];
  it.each(outOfRange)("ListInterceptions with start_time or end_time %o is INVALID_ARGUMENT naming it", async (instant) => {
    await expectInvalid(query("grpc").listInterceptions({ tenantId: TENANT, startTime: instant }), "start_time");
    await expectInvalid(query("grpc").listInterceptions({ tenantId: TENANT, endTime: instant }), "end_time");
  });

  it.each(outOfRange)("SummarizeErrors with start_time or end_time %o is INVALID_ARGUMENT naming it", async (instant) => {
    await expectInvalid(query("grpc").summarizeErrors({ tenantId: TENANT, startTime: instant }), "start_time");
    await expectInvalid(query("grpc").summarizeErrors({ tenantId: TENANT, endTime: instant }), "end_time");
  });
});

describe("instants at the edges of the range", () => {
  it.each<TransportName>(["grpc", "connect-json"])("over %s, SummarizeErrors ending at 0001-01-01 with no start answers", async (name) => {
    const summary = await query(name).summarizeErrors({ tenantId: TENANT, endTime: { seconds: -62_135_596_800n + 3600n, nanos: 0 } });
    expect(summary.startTime?.seconds).toBe(-62_135_596_800n);
  });

  it.each<TransportName>(["grpc", "connect-json"])("over %s, ListInterceptions between the first and the last instant answers", async (name) => {
    const page = await query(name).listInterceptions({
      tenantId: TENANT,
      startTime: { seconds: -62_135_596_800n, nanos: 0 },
      endTime: { seconds: 253_402_300_799n, nanos: 999_999_999 },
    });
    expect(page.interceptions).toBeDefined();
  });
});

describe("page tokens", () => {
  // A client can recompute the filter hash (it is not keyed), so forged tokens must be checked field by field.
  const filters = { tenantId: TENANT, startTime: null, endTime: null, provider: null, model: null, feature: null, keySource: null, initiatorId: null, outcome: "any", errorTypes: [] };
  const forge = (s: string, i: string) =>
    Buffer.from(JSON.stringify({ s, i, f: createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16) })).toString("base64url");

  it("a token recomputed from a real one's filters is accepted (the forgery below is well-aimed)", async () => {
    const recorder = recorderClient("grpc", env.server.url, env.server.token);
    for (let i = 0; i < 3; i++) await recorder.recordInterception({ interception: interception({ tenantId: TENANT }) });
    const first = await query().listInterceptions({ tenantId: TENANT, pageSize: 1 });
    expect(first.nextPageToken).not.toBe("");
    const { s, i } = JSON.parse(Buffer.from(first.nextPageToken, "base64url").toString()) as { s: string; i: string };
    const page = await query().listInterceptions({ tenantId: TENANT, pageSize: 1, pageToken: forge(s, i) });
    expect(page.interceptions).toHaveLength(1);
  });

  it.each([
    ["an impossible date", "2026-13-45T25:61:61.000000Z", crypto.randomUUID()],
    ["February 30th", "2026-02-30T00:00:00.000000Z", crypto.randomUUID()],
    ["year 0", "0000-01-01T00:00:00.000000Z", crypto.randomUUID()],
    ["an id that is not a UUID", "2026-11-22T10:00:00.123456Z", "------------------------------------"],
    ["an id of 36 hex digits", "2026-11-22T10:00:00.123456Z", "0123456789abcdef0123456789abcdef0123"],
  ])("a forged token with %s is INVALID_ARGUMENT naming page_token", async (_what, s, i) => {
    await expectInvalid(query().listInterceptions({ tenantId: TENANT, pageToken: forge(s, i) }), "page_token");
  });
});
