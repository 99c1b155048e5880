import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { Scope } from "../src/auth/api-token.js";
import { interception, recorderClient } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

// Tokens are re-read from the database on every call, so a revocation shows at once.
const env = useTestServer({ tokenCacheMs: 0 });

async function token(tenantId: string | null, scopes: Scope[]) {
  return (await env.server.tokens.create({ tenantId, scopes })).token;
}

async function codeOf(promise: Promise<unknown>): Promise<Code | "ok"> {
  return promise.then(
    () => "ok" as const,
    (error: unknown) => ConnectError.from(error).code,
  );
}

async function stored(id: string): Promise<number> {
  const [row] = await env.db.sql`select count(*)::int as n from interceptions where id = ${id}`;
  return row?.n as number;
}

describe("every RPC needs a valid token", () => {
  it.each([
    { name: "no Authorization header", header: undefined },
    { name: "a header that is not Bearer", header: "Basic dXNlcjpwYXNz" },
    { name: "a malformed token", header: "Bearer not-a-token" },
    { name: "a well-formed token nobody issued", header: `Bearer blg_0123456789abcdef_${"A".repeat(43)}` },
  ])("when a call has $name, then it gets Unauthenticated and nothing is written", async ({ header }) => {
    const client = recorderClient("grpc", env.server.url);
    const sent = interception();
    const call = client.recordInterception({ interception: sent }, header === undefined ? {} : { headers: { authorization: header } });
    expect(await codeOf(call)).toBe(Code.Unauthenticated);
    expect(await stored(sent.id)).toBe(0);
  });

  it("when the secret is wrong for a real token id, then it gets Unauthenticated", async () => {
    const real = await token(null, ["record"]);
    const forged = `${real.slice(0, "blg_0123456789abcdef_".length)}${"B".repeat(43)}`;
    expect(await codeOf(recorderClient("grpc", env.server.url, forged).recordInterception({ interception: interception() }))).toBe(
      Code.Unauthenticated,
    );
  });

  it("when a token is revoked, then its next call gets Unauthenticated", async () => {
    const issued = await env.server.tokens.create({ tenantId: null, scopes: ["record"] });
    const client = recorderClient("connect-json", env.server.url, issued.token);
    expect(await codeOf(client.recordInterception({ interception: interception() }))).toBe("ok");
    expect(await env.server.tokens.revoke(issued.id)).toBe(true);
    expect(await codeOf(client.recordInterception({ interception: interception() }))).toBe(Code.Unauthenticated);
  });

  it("when a token lacks the record scope, then recording gets PermissionDenied", async () => {
    const readOnly = await token(null, ["read"]);
    const sent = interception();
    expect(await codeOf(recorderClient("grpc", env.server.url, readOnly).recordInterception({ interception: sent }))).toBe(
      Code.PermissionDenied,
    );
    expect(await stored(sent.id)).toBe(0);
  });
});

describe("a record token writes only for its tenant", () => {
  it("when a tenant's token records for another tenant, then it gets PermissionDenied and nothing is written", async () => {
    const client = recorderClient("grpc", env.server.url, await token("tenant-a", ["record"]));
    const own = interception({ tenantId: "tenant-a" });
    const other = interception({ tenantId: "tenant-b" });
    expect(await codeOf(client.recordInterception({ interception: own }))).toBe("ok");
    expect(await codeOf(client.recordInterception({ interception: other }))).toBe(Code.PermissionDenied);
    expect(await stored(other.id)).toBe(0);
  });

  it("when a stream mixes tenants, then only the other tenant's records are rejected", async () => {
    const client = recorderClient("grpc", env.server.url, await token("tenant-a", ["record"]));
    const records = [interception({ tenantId: "tenant-a" }), interception({ tenantId: "tenant-b" }), interception({ tenantId: "tenant-a" })];
    const response = await client.recordInterceptions(
      (async function* () {
        for (const record of records) yield { interception: record };
      })(),
    );
    expect(response.results.map((r) => (r.result.case === "rejected" ? r.result.value.code : r.result.case))).toEqual([
      "recorded",
      "permission_denied",
      "recorded",
    ]);
    expect(await stored(records[1]!.id)).toBe(0);
  });

  it("when a token is for every tenant, then it may record for any", async () => {
    const client = recorderClient("grpc", env.server.url, await token(null, ["record"]));
    expect(await codeOf(client.recordInterception({ interception: interception({ tenantId: "anyone" }) }))).toBe("ok");
  });
});
