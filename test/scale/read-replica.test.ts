import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { pino } from "pino";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthCheckResponse_ServingStatus as Status, Health } from "../../gen/grpc/health/v1/health_pb.js";
import { QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";
import { migrate } from "../../src/db/migrate.js";
import { interception, recorderClient, transport } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { startStreamingReplica, type StreamingReplica } from "./support/streaming-replica.js";

/**
 * BRIDGELOG_READ_DATABASE_URL against a real streaming replica: its own primary and hot standby,
 * made with the machine's PostgreSQL 15 (initdb, pg_basebackup -R), so it never touches the
 * shared test server. The recorder writes to the primary; QueryService reads the replica.
 */
let cluster: StreamingReplica | undefined;
let server: TestServer | undefined;
let primary: Sql;
let replica: Sql;

beforeAll(async () => {
  cluster = await startStreamingReplica();
  primary = postgres(cluster.primaryUrl, { max: 2, onnotice: () => {} });
  replica = postgres(cluster.replicaUrl, { max: 2, onnotice: () => {} });
  // Migrated on the primary only: the replica gets the schema by replaying it.
  await migrate(primary, pino({ level: "silent" }));
  // No token cache: every call's token is read then, so a token check on the wrong database shows.
  server = await startTestServer(cluster.primaryUrl, { readDatabaseUrl: cluster.replicaUrl, tokenCacheMs: 0 });
});
afterAll(async () => {
  await server?.stop();
  await replica?.end({ timeout: 1 });
  await primary?.end({ timeout: 1 });
  await cluster?.stop();
});

const query = (token = server!.token) => createClient(QueryService, transport("grpc", server!.url, token));

/** Records one interception of `tenantId` through the recorder; resolves with its id once acknowledged. */
async function record(tenantId: string): Promise<string> {
  const now = Date.now();
  const sent = interception({ tenantId, startedAt: timestampFromDate(new Date(now)), endedAt: timestampFromDate(new Date(now + 250)) });
  await recorderClient("grpc", server!.url, server!.token).recordInterception({ interception: sent });
  return sent.id;
}

/** The ids the query API lists for `tenantId`, sorted. */
async function listed(tenantId: string): Promise<string[]> {
  const { interceptions } = await query().listInterceptions({ tenantId, pageSize: 500 });
  return interceptions.map((i) => i.id).sort();
}

/** The ids listed for `tenantId` once there are `count` of them: a replica shows a record after some lag. */
function listedOnceThere(tenantId: string, count: number): Promise<string[]> {
  return waitFor(`${count} interceptions of ${tenantId} to be listed`, async () => {
    const ids = await listed(tenantId).catch(() => undefined);
    return ids?.length === count ? ids : undefined;
  });
}

/** The one value a statement selects (`as v`). */
async function value<T>(rows: PromiseLike<readonly { v: T }[]>): Promise<T> {
  const [row] = await rows;
  if (row === undefined) throw new Error("the statement returned no row");
  return row.v;
}

/** Resolves once the replica has replayed everything the primary has committed so far. */
async function replayed(): Promise<void> {
  const lsn = await value(primary<{ v: string }[]>`select pg_current_wal_lsn()::text as v`);
  await waitFor("the replica to replay the primary's WAL", () =>
    value(replica<{ v: boolean }[]>`select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ${lsn}::pg_lsn) >= 0 as v`),
  );
}

describe("with BRIDGELOG_READ_DATABASE_URL set to a streaming replica", () => {
  it("when interceptions are recorded, then the query API reads them back from the replica once it has replayed them", async () => {
    const ids = [await record("t-read"), await record("t-read"), await record("t-read")].sort();
    // The recorder acknowledged them: they are committed on the primary.
    expect((await primary`select id::text from interceptions where tenant_id = 't-read'`).map((r) => r.id).sort()).toEqual(ids);

    expect(await listedOnceThere("t-read", 3)).toEqual(ids);
    const one = await query().getInterception({ tenantId: "t-read", id: ids[0]! });
    expect(one.interception?.id).toBe(ids[0]);
    const hour = 3_600_000;
    const summary = await query().summarizeErrors({
      tenantId: "t-read",
      startTime: timestampFromDate(new Date(Date.now() - hour)),
      endTime: timestampFromDate(new Date(Date.now() + hour)),
    });
    expect(summary.totals?.total).toBe(3n);
  });

  it("when the replica's replay is paused, then records acknowledged on the primary are missing from queries until it resumes; tokens, read on the primary, work at once", async () => {
    const before = await record("t-paused");
    await replayed();
    expect(await listed("t-paused")).toEqual([before]);

    await replica`select pg_wal_replay_pause()`;
    let during: string;
    try {
      await waitFor("replay to pause", async () => (await value(replica<{ v: string }[]>`select pg_get_wal_replay_pause_state() as v`)) === "paused");
      during = await record("t-paused");
      // The replica has received the record's WAL but not applied it: replay, and nothing else,
      // stands between the primary and what queries see.
      const lsn = await value(primary<{ v: string }[]>`select pg_current_wal_lsn()::text as v`);
      await waitFor("the replica to receive the WAL", () =>
        value(replica<{ v: boolean }[]>`select pg_wal_lsn_diff(pg_last_wal_receive_lsn(), ${lsn}::pg_lsn) >= 0 as v`),
      );
      expect(await listed("t-paused")).toEqual([before]);
      const missing = await query().getInterception({ tenantId: "t-paused", id: during }).catch(ConnectError.from);
      expect((missing as ConnectError).code).toBe(Code.NotFound);
      // The lag as docs/operations.md tells operators to watch it, on the primary.
      const lagBytes = await value(primary<{ v: string }[]>`
        select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text as v from pg_stat_replication`);
      expect(Number(lagBytes)).toBeGreaterThan(0);
      // A token made a moment ago is checked on the primary, so it works while the replica lags.
      const fresh = await server!.tokens.create({ tenantId: "t-paused", scopes: ["read"], label: "fresh" });
      expect((await query(fresh.token).listInterceptions({ tenantId: "t-paused" })).interceptions).toHaveLength(1);
    } finally {
      await replica`select pg_wal_replay_resume()`;
    }
    expect(await listedOnceThere("t-paused", 2)).toEqual([before, during].sort());
  });

  it("when replay cancels a query for a conflict with recovery, then the query API answers Unavailable, which clients retry", async () => {
    await record("t-conflict");
    await replayed();
    // Cancel conflicting queries at once rather than after the default 30 s.
    await replica.unsafe("alter system set max_standby_streaming_delay = 0");
    await replica`select pg_reload_conf()`;
    await waitFor("the setting to apply", async () => (await replica`show max_standby_streaming_delay`)[0]?.max_standby_streaming_delay === "0");
    try {
      // Hold a query in flight on the replica: the primary locks a day's partition, the replica
      // replays the lock, and a listing, which has locked the parent table, waits for it there.
      const partition = await value(primary<{ v: string }[]>`
        select inhrelid::regclass::text as v from pg_inherits where inhparent = 'interceptions'::regclass limit 1`);
      const holder = await primary.reserve();
      try {
        await holder`begin`;
        await holder.unsafe(`lock table ${partition} in access exclusive mode`);
        // The lock's WAL is flushed, so sent, with the next commit: make one.
        await primary`select txid_current()`;
        await waitFor("the replica to replay the lock", async () => {
          const held = await replica`select 1 from pg_locks where relation = ${partition}::regclass and mode = 'AccessExclusiveLock' and granted`;
          return held.length > 0;
        });
        const listing = query().listInterceptions({ tenantId: "t-conflict" }).catch(ConnectError.from);
        await waitFor("the listing to wait for the replayed lock", async () => {
          const waiting = await value(replica<{ v: number }[]>`
            select count(*)::int as v from pg_stat_activity where backend_type = 'client backend' and wait_event_type = 'Lock'`);
          return waiting > 0;
        });
        // Replaying a lock on the parent conflicts with the listing's lock on it, and replay wins.
        await primary.begin((tx) => tx`lock table only interceptions in access exclusive mode`);
        // The holder keeps the listing waiting until the end of this test: only replay cancelling
        // it (SQLSTATE 40001) ends it now. Answered Internal, clients would not retry it.
        expect(((await listing) as ConnectError).code).toBe(Code.Unavailable);
      } finally {
        await holder`rollback`;
        holder.release();
      }
    } finally {
      await replica.unsafe("alter system reset max_standby_streaming_delay");
      await replica`select pg_reload_conf()`;
    }
    await replayed();
    expect(await listed("t-conflict")).toHaveLength(1);
  });

  it("when the replica is down, then queries answer Unavailable while recording goes on, and they recover when it is back, without a restart", async () => {
    const health = createClient(Health, transport("grpc", server!.url));
    expect((await health.check({ service: QueryService.typeName })).status).toBe(Status.SERVING);
    await cluster!.stopReplica();

    const refused = await query().listInterceptions({ tenantId: "t-down" }).catch(ConnectError.from);
    expect((refused as ConnectError).code).toBe(Code.Unavailable);
    const recorded = await record("t-down");
    expect(await primary`select 1 from interceptions where tenant_id = 't-down' and id = ${recorded}::uuid`).toHaveLength(1);
    // The server as a whole serves (load balancers keep sending it records); QueryService says it cannot.
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    expect((await health.check({})).status).toBe(Status.SERVING);
    expect((await health.check({ service: QueryService.typeName })).status).toBe(Status.NOT_SERVING);

    await cluster!.startReplica();
    expect(await listedOnceThere("t-down", 1)).toEqual([recorded]);
    expect((await health.check({ service: QueryService.typeName })).status).toBe(Status.SERVING);
  });
});
