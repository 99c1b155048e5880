/**
 * Two `bridgelog serve` and two `bridgelog notify` processes on one database, one Redis and one
 * (fake) FCM, under concurrent load: what running several replicas must not break.
 */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevicePlatform, DeviceService } from "../../gen/bridgelog/v1/device_service_pb.js";
import { type Interception, KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import type { RecorderService } from "../../gen/bridgelog/v1/recorder_service_pb.js";
import { createTokenStore } from "../../src/auth/token-store.js";
import { DAY_MS, type Day, dayOf, daysBetween, ensureInterceptionPartitions } from "../../src/retention/interception-partitions.js";
import { type FakeFcm, startFakeFcm } from "../notifier/support/fake-fcm.js";
import { deleteRedisKeys, REDIS_URL, unique } from "../notifier/support/notifier.js";
import { runBridgelog } from "../support/cli.js";
import { interception, recorderClient, transport } from "../support/clients.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { freePort } from "../support/free-port.js";
import { waitFor } from "../support/wait-for.js";

const BIN = new URL("../../bin/bridgelog.js", import.meta.url).pathname;
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * DAY_MS);
const tableOf = (day: Day) => `interceptions_p${day.replaceAll("-", "")}`;

// Past a 30-day retention (with rows in them), and kept by it.
const EXPIRED_DAYS = [45, 40, 35].map((age) => dayOf(daysAgo(age)));
const KEPT_DAY = dayOf(daysAgo(20));
// Within the retention but older than yesterday: no partition until records for them arrive.
const BACKFILL_DAYS = [10, 11, 12].map((age) => dayOf(daysAgo(age)));

/** One `bridgelog` child process: everything it printed, and how it ended. */
interface Replica {
  name: string;
  child: ChildProcess;
  output(): string;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
}

const replicas: Replica[] = [];
// Whatever happens to the test process, no replica outlives it.
const killAll = () => {
  for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
};
process.once("exit", killAll);

/** Spawns `bin/bridgelog.js <command>` with `process.execPath`, registered for teardown at once. */
function spawnBridgelog(name: string, command: "serve" | "notify", env: Record<string, string>): Replica {
  const child = spawn(process.execPath, [BIN, command], {
    env: { ...process.env, BRIDGELOG_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += String(chunk);
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const replica = { name, child, output: () => output, exited };
  replicas.push(replica);
  return replica;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with how it ended. */
async function stop(replica: Replica, graceMs = 10_000): Promise<number | string | null> {
  const { child } = replica;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await replica.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `ready` holds; rejects if the process exits first or `timeoutMs` passes. */
async function readyOrExit(replica: Replica, what: string, ready: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${replica.name} ${what}`, async () => {
    if (replica.child.exitCode !== null || replica.child.signalCode !== null) {
      throw new Error(`${replica.name} exited before ${what}:\n${replica.output()}`);
    }
    return ready();
  }, timeoutMs);
}

/** Error and fatal lines (pino levels 50 and 60) a replica logged. */
const errorLines = (replica: Replica) => replica.output().split("\n").filter((line) => /"level":(50|60)/.test(line));

let db: TestDatabase;
let token: string;
let fcm: FakeFcm;
const prefix = `${unique("bridgelog-scale")}:`;
const servers: { replica: Replica; url: string; recorder: Client<typeof RecorderService> }[] = [];
const notifiers: Replica[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  token = (await createTokenStore(db.sql).create({ tenantId: null, scopes: ["record", "read", "admin"], label: "scale" })).token;
  fcm = await startFakeFcm();
  // A database that has been running for a while: days past the retention, with rows in them.
  await ensureInterceptionPartitions(db.sql, [...EXPIRED_DAYS, KEPT_DAY]);
  await db.sql`
    insert into interceptions (tenant_id, id, provider, started_at)
    select 't-scale-old', gen_random_uuid(), 'openai', (day::date + interval '12 hours')::timestamp at time zone 'UTC'
    from unnest(${[...EXPIRED_DAYS, KEPT_DAY]}::text[]) as day, generate_series(1, 5)`;
});

afterAll(async () => {
  await Promise.all(replicas.map((replica) => stop(replica, 5_000)));
  await fcm?.close();
  await deleteRedisKeys(REDIS_URL, prefix);
  await db?.drop();
}, 30_000);

async function partitionsDropped(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^bridgelog_partitions_dropped_total (\d+)$/m.exec(text)?.[1] ?? "0");
}

/** Every `interceptions_pYYYYMMDD` table, and whether it is attached to `interceptions`. */
async function dayTables(): Promise<{ relname: string; attached: boolean }[]> {
  return db.sql<{ relname: string; attached: boolean }[]>`
    select c.relname, i.inhrelid is not null as attached
    from pg_class c left join pg_inherits i on i.inhrelid = c.oid and i.inhparent = 'interceptions'::regclass
    where c.relkind = 'r' and c.relname ~ '^interceptions_p[0-9]{8}$'
    order by c.relname`;
}

describe("two servers and two notifiers on one database", () => {
  it("when both servers start at once with expired days, then one prunes them, the other and `bridgelog prune` are turned away, and every day exists once", async () => {
    // A long report holds the table: the first prune's CONCURRENT detach waits for it, so the
    // prune lock stays taken while the second server's start-up prune and the CLI try theirs.
    const readerPool = postgres(db.url, { max: 1, onnotice: () => {} });
    const reader = await readerPool.reserve();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await reader`commit`;
      reader.release();
      await readerPool.end();
    };
    try {
      await reader`begin`;
      await reader`select count(*) from interceptions`;

      const ports = [await freePort(), await freePort()];
      const started = ports.map((port, i) =>
        spawnBridgelog(`serve-${i + 1}`, "serve", {
          DATABASE_URL: db.url,
          HOST: "127.0.0.1",
          PORT: String(port),
          BRIDGELOG_RETENTION: "30d",
          REDIS_URL,
          BRIDGELOG_REDIS_KEY_PREFIX: prefix,
          BRIDGELOG_FCM_ENDPOINT: fcm.url,
          BRIDGELOG_SHUTDOWN_GRACE_MS: "3000",
        }),
      );
      // Started side by side: both make yesterday's partition to a week ahead, both prune at start.
      await Promise.all(
        started.map((replica, i) =>
          readyOrExit(replica, "healthy", async () => {
            try {
              return (await fetch(`http://127.0.0.1:${ports[i]}/healthz`)).ok;
            } catch {
              return false;
            }
          }),
        ),
      );
      for (const [i, replica] of started.entries()) {
        const url = `http://127.0.0.1:${ports[i]}`;
        servers.push({ replica, url, recorder: recorderClient("grpc", url, token) });
      }

      // Exactly one prune is under way, waiting for the report; a third pruner is turned away.
      const detaching = async () => {
        const [row] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and query like 'alter table interceptions detach partition%'`;
        return row?.n ?? 0;
      };
      await waitFor("a prune to wait for the report", async () => (await detaching()) > 0, 10_000);
      const cli = await runBridgelog(db.url, ["prune"], { BRIDGELOG_RETENTION: "30d" });
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.stderr).toContain("another bridgelog process is pruning");
      expect(await detaching()).toBe(1);
      expect((await dayTables()).map((t) => t.relname)).toEqual(expect.arrayContaining(EXPIRED_DAYS.map(tableOf)));

      await release();
      await waitFor("the expired days to be dropped", async () => {
        const names = new Set((await dayTables()).map((t) => t.relname));
        return EXPIRED_DAYS.every((day) => !names.has(tableOf(day)));
      });
      // One server dropped all of them; the other's start-up prune had found the lock taken. (The
      // counter is raised once the prune returns, a moment after the last table is gone.)
      const dropped = () => Promise.all(servers.map((s) => partitionsDropped(s.url)));
      await waitFor("the prune to be counted", async () => (await dropped()).some((n) => n > 0));
      expect((await dropped()).sort()).toEqual([0, EXPIRED_DAYS.length]);

      const tables = await dayTables();
      expect(tables.every((t) => t.attached)).toBe(true);
      expect(tables.map((t) => t.relname)).toEqual([KEPT_DAY, ...daysBetween(daysAgo(1), daysAgo(-7))].map(tableOf).sort());
      const [kept] = await db.sql`select count(*)::int as n from interceptions where tenant_id = 't-scale-old'`;
      expect(kept?.n).toBe(5);
    } finally {
      await release();
    }
  }, 60_000);

  // What the load sent and got acknowledged, for the checks below.
  const tenant = unique("t-scale");
  const expected = new Map<string, { endedAtMs: number | null; errorType: string | null; outputTokens: number }>();
  const notifiable = new Set<string>();
  const failures: string[] = [];
  const users = [0, 1, 2, 3].map((i) => ({ id: unique(`u${i}`), tokens: Array.from({ length: [2, 1, 3, 2][i]! }, () => unique("fcm")) }));
  const combos = users.flatMap((user) =>
    ["openai", "anthropic"].flatMap((provider) => ["unauthorized", "quota_exhausted"].map((errorType) => ({ user, provider, errorType }))),
  );
  const FAILURES_PER_COMBO = 5;

  it("when both take concurrent records, with the same ids on both at once, then every acknowledged record is stored exactly once", async () => {
    expect(servers, "both servers are running").toHaveLength(2);
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    // Notifiers run meanwhile: events are handled while the load goes on.
    for (const i of [1, 2]) {
      notifiers.push(
        spawnBridgelog(`notify-${i}`, "notify", {
          DATABASE_URL: db.url,
          BRIDGELOG_LOG_LEVEL: "info",
          BRIDGELOG_RETENTION: "30d",
          REDIS_URL,
          BRIDGELOG_REDIS_KEY_PREFIX: prefix,
          BRIDGELOG_FCM_ENDPOINT: fcm.url,
          BRIDGELOG_DEDUP_WINDOW_SECONDS: "3600",
          BRIDGELOG_NOTIFY_BATCH_SIZE: "5",
          BRIDGELOG_NOTIFY_POLL_MS: "200",
          BRIDGELOG_NOTIFY_RETRY_BASE_MS: "100",
        }),
      );
    }
    for (const [i, user] of users.entries()) {
      const devices = createClient(DeviceService, transport("grpc", servers[i % 2]!.url, token));
      for (const fcmToken of user.tokens) {
        await devices.registerDevice({ tenantId: tenant, initiatorId: user.id, fcmToken, platform: DevicePlatform.ANDROID });
      }
    }
    await Promise.all(notifiers.map((n) => readyOrExit(n, "started", () => n.output().includes('"msg":"notifier started"'))));

    const send = async (server: (typeof servers)[0], record: Interception) => {
      try {
        await server.recorder.recordInterception({ interception: record });
      } catch (error) {
        failures.push(`${record.id} on ${server.replica.name}: ${ConnectError.from(error).message}`);
      }
    };
    let sequence = 0;
    // Started in the last hour (today or yesterday: days the servers made at start), ended 1.5 s later.
    const times = () => {
      const started = now - 60_000 - (sequence++ % 3_600) * 1000;
      return { startedAt: timestampFromDate(new Date(started)), endedAt: timestampFromDate(new Date(started + 1500)) };
    };
    const expect_ = (record: Interception, outputTokens = 0) => {
      expected.set(record.id, {
        endedAtMs: record.endedAt === undefined ? null : Number(record.endedAt.seconds) * 1000 + record.endedAt.nanos / 1e6,
        errorType: record.errorType ?? null,
        outputTokens,
      });
    };
    // The same record on both servers at once, and once more on one of them.
    const duplicate = (record: Interception) => Promise.all([send(a, record), send(b, record), send(a, record)]);
    // Start and end of one interception on different servers at once, either way round.
    const startAndEnd = (start: Interception, end: Interception) => {
      const [first, second] = Math.random() < 0.5 ? [a, b] : [b, a];
      return Promise.all([send(first, start), send(second, end)]);
    };

    const jobs: (() => Promise<unknown>)[] = [];
    // (a) unique records, successes and failures nobody is notified of.
    for (let i = 0; i < 1500; i++) {
      const record = interception({ tenantId: tenant, ...times(), ...(i % 5 === 0 ? { errorType: "timeout" } : {}) });
      if (i % 7 === 0) record.keySource = KeySource.BYOK; // a BYOK timeout or success: nothing to fix
      if (i % 11 === 0) Object.assign(record, { keySource: KeySource.PLATFORM, errorType: "unauthorized" }); // the platform's key: not the user's to fix
      if (i % 13 === 0) Object.assign(record, { keySource: KeySource.BYOK, errorType: "rate_limited" }); // not in the notify types
      expect_(record);
      jobs.push(() => send(i % 2 === 0 ? a : b, record));
    }
    // (b) the same id on both servers at once: start + end records, and duplicates.
    for (let i = 0; i < 200; i++) {
      const when = times();
      const start = interception({ tenantId: tenant, startedAt: when.startedAt, endedAt: undefined });
      const end = interception({ ...start, ...when, ...(i % 4 === 0 ? { errorType: "overloaded" } : { usage: { outputTokens: BigInt(100 + i) } }) });
      expect_(end, i % 4 === 0 ? 0 : 100 + i);
      jobs.push(() => startAndEnd(start, end));
      const retried = interception({ tenantId: tenant, ...times(), usage: { outputTokens: 7n } });
      expect_(retried, 7);
      jobs.push(() => duplicate(retried));
    }
    // (c) BYOK failures its user can fix, several per (user, provider, error type), sent alone,
    // as duplicates on both servers, or as a BYOK start on one and the failure on the other.
    for (const { user, provider, errorType } of combos) {
      for (let n = 0; n < FAILURES_PER_COMBO; n++) {
        const base = { tenantId: tenant, initiatorId: user.id, provider, keySource: KeySource.BYOK };
        const failed = interception({ ...base, ...times(), errorType });
        expect_(failed);
        notifiable.add(failed.id);
        if (n % 3 === 0) jobs.push(() => send(n % 2 === 0 ? a : b, failed));
        else if (n % 3 === 1) jobs.push(() => duplicate(failed));
        else jobs.push(() => startAndEnd(interception({ ...failed, endedAt: undefined, errorType: undefined }), failed));
      }
    }
    jobs.sort(() => Math.random() - 0.5);
    // (d) first of all, a burst of backfilled records on both servers for days without a partition:
    // both servers find a day missing at once and both create it.
    const backfill = BACKFILL_DAYS.flatMap((day) =>
      Array.from({ length: 16 }, (_, i) => {
        const record = interception({
          tenantId: tenant,
          startedAt: timestampFromDate(new Date(`${day}T08:00:00.000Z`)),
          endedAt: timestampFromDate(new Date(`${day}T08:00:02.000Z`)),
        });
        expect_(record);
        return () => send(i % 2 === 0 ? a : b, record);
      }),
    );

    const runJobs = async (concurrency: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < jobs.length) await jobs[next++]!();
        }),
      );
    };
    await Promise.all([Promise.all(backfill.map((job) => job())), runJobs(32)]);
    expect(failures).toEqual([]);

    const rows = await db.sql<{ id: string; ended_ms: string | null; error_type: string | null; output_tokens: string }[]>`
      select id, (extract(epoch from ended_at) * 1000)::bigint as ended_ms, error_type, output_tokens
      from interceptions where tenant_id = ${tenant}`;
    const copies = new Map<string, number>();
    for (const row of rows) copies.set(row.id, (copies.get(row.id) ?? 0) + 1);
    expect([...copies.values()].filter((n) => n !== 1)).toEqual([]);
    expect(rows).toHaveLength(expected.size);
    const stored = new Map(
      rows.map((row) => [
        row.id,
        { endedAtMs: row.ended_ms === null ? null : Number(row.ended_ms), errorType: row.error_type, outputTokens: Number(row.output_tokens) },
      ]),
    );
    expect(stored).toEqual(expected);

    // Each backfilled day was made once, by one server or the other, and holds its records.
    const tables = await dayTables();
    for (const day of BACKFILL_DAYS) expect(tables.filter((t) => t.relname === tableOf(day))).toEqual([{ relname: tableOf(day), attached: true }]);
    const [backfilled] = await db.sql`
      select count(*)::int as n from interceptions where tenant_id = ${tenant} and started_at < ${daysAgo(2)}`;
    expect(backfilled?.n).toBe(BACKFILL_DAYS.length * 16);
    for (const server of servers) expect(errorLines(server.replica), server.replica.name).toEqual([]);
  }, 60_000);

  it("when the notifiers drain the outbox, then there is one event per failure and one push per user, provider and error type to each device", async () => {
    const events = await db.sql<{ interception_id: string; n: number }[]>`
      select interception_id, count(*)::int as n from notification_outbox where tenant_id = ${tenant} group by interception_id`;
    expect(events.filter((e) => e.n !== 1)).toEqual([]);
    expect(new Set(events.map((e) => e.interception_id))).toEqual(notifiable);

    await waitFor(
      "every event to be finished",
      async () => {
        const [row] = await db.sql`
          select count(*) filter (where status = 'pending')::int as pending from notification_outbox where tenant_id = ${tenant}`;
        return row?.pending === 0;
      },
      20_000,
    );
    // What the devices received: exactly one push per (user, provider, error type) on each device.
    const ours = new Set(users.flatMap((u) => u.tokens));
    const received = new Map<string, number>();
    for (const message of fcm.accepted.filter((m) => ours.has(m.token))) {
      const key = `${message.token} ${message.data.provider} ${message.data.error_type}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    }
    const wanted = new Map(combos.flatMap(({ user, provider, errorType }) => user.tokens.map((t) => [`${t} ${provider} ${errorType}`, 1] as const)));
    expect(received).toEqual(wanted);

    const outcomes = await db.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from notification_outbox where tenant_id = ${tenant} group by status order by status`;
    expect(outcomes).toEqual([
      { status: "sent", n: combos.length },
      { status: "suppressed", n: notifiable.size - combos.length },
    ]);

    // Both notifiers took events, and the dedup locks are one key per (user, provider, error type).
    const byNotifier = await db.sql<{ notifier: string }[]>`
      select distinct notifier from notification_deliveries where tenant_id = ${tenant}`;
    expect(byNotifier).toHaveLength(2);
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.keys(`${prefix}notify-dedup:*`)).toHaveLength(combos.length);
    } finally {
      redis.disconnect();
    }
    for (const notifier of notifiers) expect(errorLines(notifier), notifier.name).toEqual([]);
  }, 30_000);

  it("when every replica gets SIGTERM, then each exits 0", async () => {
    const codes = await Promise.all([...servers.map((s) => s.replica), ...notifiers].map((replica) => stop(replica)));
    expect(codes).toEqual([0, 0, 0, 0]);
  }, 30_000);
});
