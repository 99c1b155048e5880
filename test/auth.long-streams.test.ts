import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { RecordInterceptionsRequest } from "../gen/bridgelog/v1/recorder_service_pb.js";
import { Health } from "../gen/grpc/health/v1/health_pb.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";
import { waitFor } from "./support/wait-for.js";

/**
 * A stream opened before its token was revoked stops within the token cache interval, and no
 * stream outlives the maximum lifetime. Both are short here; the defaults are in docs/operations.md.
 */
const TOKEN_CACHE_MS = 200;
const env = useTestServer({ tokenCacheMs: TOKEN_CACHE_MS, maxStreamLifetimeMs: 1500 });
const TENANT = `streams-${crypto.randomUUID()}`;

const stored = async (id: string) => (await env.db.sql`select count(*)::int as n from interceptions where id = ${id}`)[0]!.n as number;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: unknown) => Code[ConnectError.from(error).code]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a token revoked while its stream is open", () => {
  it("when the stream sends after the token cache interval, then it ends UNAUTHENTICATED and nothing more is stored", async () => {
    const { id, token } = await env.server.tokens.create({ tenantId: TENANT, scopes: ["record"], label: "revoked mid-stream" });
    const before = interception({ tenantId: TENANT });
    const after = interception({ tenantId: TENANT });
    const requests = async function* (): AsyncGenerator<Partial<RecordInterceptionsRequest>> {
      yield { interception: before };
      await waitFor("the first record", async () => (await stored(before.id)) === 1);
      await env.server.tokens.revoke(id);
      await sleep(TOKEN_CACHE_MS * 2);
      yield { interception: after };
      yield { interception: interception({ tenantId: TENANT }) };
    };
    const call = recorderClient("grpc", env.server.url, token).recordInterceptions(requests() as AsyncIterable<RecordInterceptionsRequest>);
    expect(await codeOf(call)).toBe("Unauthenticated");
    expect(await stored(after.id)).toBe(0);
  });
});

describe("the maximum stream lifetime", () => {
  it("when a recorder stream stays open past it, then it ends DEADLINE_EXCEEDED, keeping what it sent", async () => {
    const first = interception({ tenantId: TENANT });
    const abort = new AbortController();
    const requests = async function* () {
      yield { interception: first };
      // Then nothing, for as long as the server allows.
      await new Promise((resolve) => abort.signal.addEventListener("abort", resolve));
    };
    const call = recorderClient("grpc", env.server.url, env.server.token).recordInterceptions(requests() as AsyncIterable<RecordInterceptionsRequest>);
    try {
      expect(await codeOf(call)).toBe("DeadlineExceeded");
    } finally {
      abort.abort();
    }
    expect(await stored(first.id)).toBe(1);
  });

  it("when a health watch stays open past it, then it ends DEADLINE_EXCEEDED", async () => {
    const health = createClient(Health, transport("grpc", env.server.url));
    const watch = async () => {
      for await (const _ of health.watch({})) {
        // the first status, then nothing while the database answers
      }
    };
    expect(await codeOf(watch())).toBe("DeadlineExceeded");
  });
});
