import { Code, ConnectError } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { interception, recorderClient } from "../support/clients.js";
import { useTestServer } from "../support/server.js";

const env = useTestServer();

it("when a client disconnects mid-stream, then what reached the server is stored whole and the server stays healthy", async () => {
  const sent = Array.from({ length: 50 }, (_, i) =>
    interception({
      tenantId: "t-disconnect",
      model: `model-${i}`,
      metadata: { index: String(i), note: "x".repeat(500) },
      errorType: "server_error",
      errorMessage: `failure ${i}`,
    }),
  );
  const abort = new AbortController();
  let delivered = 0;
  const stream = (async function* () {
    for (const record of sent) {
      yield { interception: record };
      delivered++;
    }
    // The bridge crashes before closing its side of the stream.
    setTimeout(() => abort.abort(), 100);
    await new Promise(() => {});
  })();
  const error = await recorderClient("grpc", env.server.url, env.server.token)
    .recordInterceptions(stream, { signal: abort.signal })
    .then(() => undefined, ConnectError.from);
  expect(error?.code).toBe(Code.Canceled);
  expect(delivered).toBe(50);

  // Every row that exists is exactly the record sent: nothing half-written.
  const rows = await env.db.sql<{ id: string; model: string; metadata: Record<string, string>; error_message: string }[]>`
    select id, model, metadata, error_message from interceptions where tenant_id = 't-disconnect'`;
  // Records are written as they arrive, so all fifty that reached the server are there.
  expect(rows).toHaveLength(50);
  const byId = new Map(sent.map((s, i) => [s.id, i]));
  for (const row of rows) {
    const i = byId.get(row.id)!;
    expect(row).toEqual({ id: row.id, model: `model-${i}`, metadata: { index: String(i), note: "x".repeat(500) }, error_message: `failure ${i}` });
  }
  // The server took no harm: the next bridge records as usual.
  const next = interception({ tenantId: "t-disconnect" });
  const { recorded } = await recorderClient("grpc", env.server.url, env.server.token).recordInterception({ interception: next });
  expect(recorded?.id).toBe(next.id);
  expect((await fetch(`${env.server.url}/healthz`)).status).toBe(200);
});
