import { afterAll, beforeAll, expect, it } from "vitest";
import { createTokenStore } from "../../src/auth/token-store.js";
import { interception, recorderClient } from "../support/clients.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { freePort } from "../support/free-port.js";
import { type ServerProcess, spawnServer } from "../support/server-process.js";

let db: TestDatabase;
let token: string;
let server: ServerProcess | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
  token = (await createTokenStore(db.sql).create({ tenantId: null, scopes: ["record"] })).token;
});
afterAll(async () => {
  server?.child.kill("SIGKILL");
  await db?.drop();
});

it("when the server is killed with SIGKILL under load and restarted, then every acknowledged interception is stored exactly once", async () => {
  const port = await freePort();
  server = await spawnServer(port, { DATABASE_URL: db.url });
  const client = recorderClient("grpc", server.url, token);
  const acked: string[] = [];
  const unanswered: string[] = [];
  let killed = false;

  // 16 bridges recording as fast as they can until the server dies under them.
  const bridge = async () => {
    while (!killed) {
      const sent = interception({ tenantId: "t-kill", errorType: "timeout" });
      try {
        await client.recordInterception({ interception: sent });
        acked.push(sent.id);
      } catch {
        // Not acknowledged (refused, reset, aborted: the code depends on when the process died).
        // It may or may not be stored; a bridge retries it.
        unanswered.push(sent.id);
      }
    }
  };
  const bridges = Array.from({ length: 16 }, bridge);
  await expect.poll(() => acked.length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(500);
  server.child.kill("SIGKILL");
  await server.exited;
  killed = true;
  await Promise.all(bridges);

  const count = async (ids: string[]) => {
    const [row] = await db.sql`select count(*)::int as n, count(distinct id)::int as d from interceptions where id = any(${ids}::uuid[])`;
    return row as { n: number; d: number };
  };
  expect(await count(acked)).toEqual({ n: acked.length, d: acked.length });

  // Restarted, the server takes the bridges' retries: everything sent is stored, each once.
  server = await spawnServer(port, { DATABASE_URL: db.url });
  const retry = recorderClient("grpc", server.url, token);
  for (const id of [...unanswered, ...acked.slice(0, 50)]) {
    await retry.recordInterception({ interception: interception({ id, tenantId: "t-kill", errorType: "timeout" }) });
  }
  const all = [...acked, ...unanswered];
  expect(await count(all)).toEqual({ n: all.length, d: all.length });
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  server = undefined;
});
