import { Writable } from "node:stream";
import { Code, ConnectError } from "@connectrpc/connect";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { interception, recorderClient } from "./support/clients.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

let db: TestDatabase;
let server: RunningServer;
let token: string;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter((l) => l !== ""));
      done();
    },
  });
  server = await startServer({ ...loadConfig({}), databaseUrl: db.url, port: 0 }, pino({ level: "info" }, sink));
  token = (await server.tokens.create({ tenantId: "t-logs", scopes: ["record"] })).token;
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

it("when RPCs succeed and fail, then each is one JSON line with request id, RPC, tenant, code and duration, and no secret or body", async () => {
  const client = recorderClient("grpc", server.url, token);
  const secretBody = "SECRET-BODY-MARKER upstream said something private";
  await client.recordInterception(
    { interception: interception({ tenantId: "t-logs", upstream: { httpStatus: 500, body: secretBody }, errorMessage: secretBody }) },
    { headers: { "x-request-id": "req-123" } },
  );
  const refused = await client.recordInterception({ interception: interception({ tenantId: "someone-else" }) }).catch(ConnectError.from);
  expect((refused as ConnectError).code).toBe(Code.PermissionDenied);

  const rpcs = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "rpc");
  expect(rpcs).toEqual([
    expect.objectContaining({ requestId: "req-123", rpc: "bridgelog.v1.RecorderService/RecordInterception", tenant: "t-logs", code: "OK", durationMs: expect.any(Number) }),
    expect.objectContaining({ requestId: expect.any(String), tenant: "t-logs", code: "PermissionDenied" }),
  ]);
  const all = lines.join("\n");
  expect(all).not.toContain(token);
  expect(all).not.toContain(token.slice(21)); // not even the secret part
  expect(all).not.toContain("SECRET-BODY-MARKER");
});

it("when a request is refused before its token is known, then no tenant from its body is logged; once known, the token id is", async () => {
  const before = lines.length;
  const stranger = recorderClient("grpc", server.url, "blg_not-a-token");
  await stranger.recordInterception({ interception: interception({ tenantId: "forged-tenant" }) }).catch(ConnectError.from);
  const known = await server.tokens.create({ tenantId: "t-logs", scopes: ["record"] });
  await recorderClient("grpc", server.url, known.token).recordInterception({ interception: interception({ tenantId: "t-logs" }) });
  const rpcs = lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "rpc");
  expect(rpcs).toHaveLength(2);
  expect(rpcs[0]).toMatchObject({ code: "Unauthenticated" });
  expect(rpcs[0]).not.toHaveProperty("tenant");
  expect(rpcs[0]).not.toHaveProperty("tokenId");
  expect(lines.slice(before).join("\n")).not.toContain("forged-tenant");
  expect(rpcs[1]).toMatchObject({ code: "OK", tenant: "t-logs", tokenId: known.id });
});

it.each([
  ["60 KB long", "r".repeat(60_000)],
  ["with a space", "req 1"],
  ["with a tab", "req\t1"],
])("when x-request-id is %s, then a new id is logged instead", async (_what, requestId) => {
  const before = lines.length;
  // Over HTTP/2, whose header limit is larger than HTTP/1.1's 16 KiB.
  const client = recorderClient("grpc", server.url, token);
  await client.recordInterception({ interception: interception({ tenantId: "t-logs" }) }, { headers: { "x-request-id": requestId } }).catch(() => {});
  const rpcs = lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "rpc");
  expect(rpcs).toHaveLength(1);
  expect(rpcs[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
});
