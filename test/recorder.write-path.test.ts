import { Code, ConnectError } from "@connectrpc/connect";
import type { ReservedSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Config } from "../src/config.js";
import { interception, recorderClient, type TransportName } from "./support/clients.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { startTestServer, type TestServer } from "./support/server.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function withServer<T>(overrides: Partial<Config>, use: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startTestServer(db.url, overrides);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

/**
 * Holds an exclusive lock on the table, so every batch waits, until `release()` or the end of the
 * test (so a failed assertion cannot leave the table locked for the next test).
 */
async function lockTable(): Promise<{ release(): Promise<void> }> {
  const reserved: ReservedSql = await db.sql.reserve();
  await reserved`begin`;
  await reserved`lock table interceptions in access exclusive mode`;
  let held = true;
  const release = async () => {
    if (!held) return;
    held = false;
    await reserved`commit`;
    reserved.release();
  };
  onTestFinished(release);
  return { release };
}

type Settled = { id: string; ok: true } | { id: string; ok: false; code: Code };
async function record(client: ReturnType<typeof recorderClient>, tenantId: string, fields = {}): Promise<Settled> {
  const sent = interception({ tenantId, ...fields });
  try {
    await client.recordInterception({ interception: sent });
    return { id: sent.id, ok: true };
  } catch (error) {
    return { id: sent.id, ok: false, code: ConnectError.from(error).code };
  }
}

async function storedIds(tenantId: string): Promise<string[]> {
  const rows = await db.sql<{ id: string }[]>`select id from interceptions where tenant_id = ${tenantId} order by id`;
  return rows.map((r) => r.id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("group commit", () => {
  it("when 200 calls arrive at once over every transport, then all are stored and all answered", async () => {
    await withServer({}, async (server) => {
      const transports: TransportName[] = ["grpc", "grpc-web", "connect-json"];
      const clients = transports.map((t) => recorderClient(t, server.url, server.token));
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => record(clients[i % 3]!, "t-200")));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(await storedIds("t-200")).toEqual(results.map((r) => r.id).sort());
    });
  });

  it("when the database falls behind and the queue is full, then new calls get Unavailable and nothing is lost", async () => {
    await withServer({ queueMax: 10, batchMaxSize: 5, batchMaxInFlight: 1 }, async (server) => {
      const client = recorderClient("grpc", server.url, server.token);
      const lock = await lockTable();
      const calls = Array.from({ length: 40 }, () => record(client, "t-queue"));
      // Refusals come back at once, while the accepted calls still wait for the lock.
      await sleep(300);
      await lock.release();
      const results = await Promise.all(calls);
      const refused = results.filter((r) => !r.ok);
      const acked = results.filter((r) => r.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => !r.ok && r.code === Code.Unavailable)).toBe(true);
      // At most one batch committing plus a full queue were accepted.
      expect(acked.length).toBeGreaterThanOrEqual(10);
      expect(acked.length).toBeLessThanOrEqual(15);
      expect(await storedIds("t-queue")).toEqual(acked.map((r) => r.id).sort());
    });
  });

  /** Holds the table, lets a 3-record batch block on it, kills that batch's connection. */
  async function killBlockedBatch(client: ReturnType<typeof recorderClient>, tenantId: string) {
    const lock = await lockTable();
    const calls = Array.from({ length: 3 }, () => record(client, tenantId));
    await sleep(200);
    const [killed] = await db.sql`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query like '%insert into interceptions%'
        and wait_event_type = 'Lock'`;
    expect(killed?.n).toBe(1);
    await lock.release();
    return Promise.all(calls);
  }

  it("when a batch's connection dies, then the batch is written again on a new connection and its callers get OK", async () => {
    await withServer({ batchMaxSize: 3, batchMaxWaitMs: 500, batchMaxInFlight: 1 }, async (server) => {
      const results = await killBlockedBatch(recorderClient("grpc", server.url, server.token), "t-retried-batch");
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(await storedIds("t-retried-batch")).toEqual(results.map((r) => r.id).sort());
    });
  });

  it("when a batch's connection dies and retries are used up, then only its callers fail, with Unavailable, and the next batch commits", async () => {
    await withServer({ batchMaxSize: 3, batchMaxWaitMs: 500, batchMaxInFlight: 1, writeRetries: 0 }, async (server) => {
      const client = recorderClient("grpc", server.url, server.token);
      const failed = await killBlockedBatch(client, "t-dead-batch");
      expect(failed).toEqual(failed.map(({ id }) => ({ id, ok: false, code: Code.Unavailable })));
      const next = await record(client, "t-dead-batch");
      expect(next.ok).toBe(true);
      expect(await storedIds("t-dead-batch")).toEqual([next.id]);
    });
  });

  it("when one record's value fails the statement, then only that record fails and its batch-mates are stored", async () => {
    // A trigger stands in for any value PostgreSQL refuses (class 22: data exception).
    await db.sql.unsafe(`
      create function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.model = 'poison' then raise exception 'poison row' using errcode = '22023'; end if;
        return new;
      end $$;
      create trigger refuse_poison before insert on interceptions for each row execute function refuse_poison();`);
    try {
      await withServer({ batchMaxSize: 3, batchMaxWaitMs: 500 }, async (server) => {
        const client = recorderClient("grpc", server.url, server.token);
        const results = await Promise.all([
          record(client, "t-poison"),
          record(client, "t-poison", { model: "poison" }),
          record(client, "t-poison"),
        ]);
        expect(results.map((r) => (r.ok ? "ok" : Code[r.code]))).toEqual(["ok", "Internal", "ok"]);
        expect(await storedIds("t-poison")).toEqual([results[0]!.id, results[2]!.id].sort());
      });
    } finally {
      await db.sql.unsafe("drop trigger refuse_poison on interceptions; drop function refuse_poison()");
    }
  });
});

describe("graceful shutdown", () => {
  it("when the server is stopped with calls queued, then every accepted call is committed and answered OK", async () => {
    const server = await startTestServer(db.url, { batchMaxSize: 5, batchMaxInFlight: 1 });
    const client = recorderClient("grpc", server.url, server.token);
    const lock = await lockTable();
    const accepted = Array.from({ length: 30 }, () => record(client, "t-shutdown"));
    await sleep(200);
    const stopped = server.stop();
    await sleep(200);
    // The port no longer takes work while the queue drains.
    const late = await record(recorderClient("connect-json", server.url, server.token), "t-shutdown");
    expect(late).toMatchObject({ ok: false, code: Code.Unavailable });
    await lock.release();
    await stopped;
    const results = await Promise.all(accepted);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await storedIds("t-shutdown")).toEqual(results.map((r) => r.id).sort());
  });
});
