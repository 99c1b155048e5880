/**
 * `npx tsx bench/notifier.ts [--events 2000] [--json]`
 *
 * Events per second through the notifier's whole path (claim with SKIP LOCKED, dedup lock, device
 * lookup, firebase-admin sendEach to the loopback FCM fake, outcome recorded), and what a
 * suppressed duplicate costs, with baselines measured in the same run so the figures read as
 * ratios that hold across machines:
 *   - send:      every event for a different user, so every one is sent (Redis lock, PostgreSQL lock);
 *                baseline: the same pipeline with an in-memory lock and a no-op sender
 *                (claim + device lookup + outcome only);
 *   - duplicate: every event for the same user, so all but one are suppressed (Redis, PostgreSQL);
 *                baseline: an in-memory lock that refuses (claim + outcome only).
 * Events are written straight into the outbox (the recorder has its own bench), one notifier runs
 * batches of 50 back to back. Uses DATABASE_URL (a database of its own on that server) or an
 * embedded PostgreSQL, and REDIS_URL (default redis://127.0.0.1:6379, keys under a random prefix,
 * deleted afterwards).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { Sql } from "postgres";
import { createDeviceStore } from "../src/devices/device-store.js";
import type { DedupLock } from "../src/notifier/dedup-lock.js";
import { createFcmMessaging } from "../src/notifier/fcm-messaging.js";
import { createFcmPushSender } from "../src/notifier/fcm-push-sender.js";
import { createNotifier } from "../src/notifier/notifier.js";
import { createPostgresDedupLock } from "../src/notifier/postgres-dedup-lock.js";
import type { PushSender } from "../src/notifier/push-sender.js";
import { createRedisDedupLock } from "../src/notifier/redis-dedup-lock.js";
import { startFakeFcm } from "../test/notifier/support/fake-fcm.js";
import { openPool } from "../test/support/pool.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    json: { type: "boolean", default: false },
  },
});
const events = Number(args.events);
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const log = pino({ level: "warn" });
const BATCH = 50;

const database = await openBenchDatabase("notifier");
const sql = openPool(database.url, { max: 10 });
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl);
const prefix = `bridgelog-bench-${randomBytes(4).toString("hex")}:`;
const fcm = await startFakeFcm();
const fcmApp = createFcmMessaging({ appName: "bench", endpoint: fcm.url });
try {
  const locks: Record<string, DedupLock> = {
    redis: createRedisDedupLock({ redis, keyPrefix: prefix, windowSeconds: 3600 }),
    postgres: createPostgresDedupLock({ sql, windowSeconds: 3600 }),
    memoryTakes: { acquire: async () => true, release: async () => {} },
    memoryRefuses: { acquire: async () => false, release: async () => {} },
  };
  const senders: Record<string, PushSender> = {
    fcm: createFcmPushSender(fcmApp.messaging),
    noop: { send: async (messages) => messages.map((m) => ({ token: m.token, status: "delivered" as const })) },
  };

  interface Scenario {
    name: string;
    lock: DedupLock;
    sender: PushSender;
    users: "distinct" | "one";
  }
  const scenarios: Scenario[] = [
    { name: "send, Redis lock, FCM fake", lock: locks.redis!, sender: senders.fcm!, users: "distinct" },
    { name: "send, PostgreSQL lock, FCM fake", lock: locks.postgres!, sender: senders.fcm!, users: "distinct" },
    { name: "send baseline: memory lock, no-op sender", lock: locks.memoryTakes!, sender: senders.noop!, users: "distinct" },
    { name: "duplicate, Redis lock", lock: locks.redis!, sender: senders.fcm!, users: "one" },
    { name: "duplicate, PostgreSQL lock", lock: locks.postgres!, sender: senders.fcm!, users: "one" },
    { name: "duplicate baseline: memory lock refuses", lock: locks.memoryRefuses!, sender: senders.fcm!, users: "one" },
  ];

  // Warm-up: connections, JIT, firebase-admin's first request.
  for (const scenario of scenarios) await run(sql, scenario, Math.min(200, events));

  const results: ({ scenario: string } & Awaited<ReturnType<typeof run>>)[] = [];
  for (const scenario of scenarios) {
    const result = await run(sql, scenario, events);
    results.push({ scenario: scenario.name, ...result });
    say(
      `${scenario.name.padEnd(42)} ${String(result.eventsPerSecond).padStart(6)} events/s  ${result.msPerEvent.toFixed(3)} ms/event  (${result.sent} sent, ${result.suppressed} suppressed, ${result.pushes} pushes)`,
    );
  }
  const rate = (name: string) => results.find((r) => r.scenario === name)!.eventsPerSecond;
  const ms = (name: string) => results.find((r) => r.scenario === name)!.msPerEvent;
  const ratios = {
    sendRedisOverBaseline: round(rate("send, Redis lock, FCM fake") / rate("send baseline: memory lock, no-op sender")),
    sendRedisOverPostgresLock: round(rate("send, Redis lock, FCM fake") / rate("send, PostgreSQL lock, FCM fake")),
    duplicateRedisOverBaseline: round(rate("duplicate, Redis lock") / rate("duplicate baseline: memory lock refuses")),
    duplicateRedisOverPostgresLock: round(rate("duplicate, Redis lock") / rate("duplicate, PostgreSQL lock")),
    duplicateOverSend: round(rate("duplicate, Redis lock") / rate("send, Redis lock, FCM fake")),
  };
  const suppressedDuplicateMs = {
    redis: ms("duplicate, Redis lock"),
    postgres: ms("duplicate, PostgreSQL lock"),
    baseline: ms("duplicate baseline: memory lock refuses"),
  };
  say("");
  say(`send, Redis / baseline:                    ${ratios.sendRedisOverBaseline}`);
  say(`send, Redis lock / PostgreSQL lock:        ${ratios.sendRedisOverPostgresLock}`);
  say(`duplicate, Redis / baseline:               ${ratios.duplicateRedisOverBaseline}`);
  say(`duplicate, Redis lock / PostgreSQL lock:   ${ratios.duplicateRedisOverPostgresLock}`);
  say(`duplicate / send (both Redis):             ${ratios.duplicateOverSend}`);
  if (args.json) console.log(JSON.stringify({ events, batch: BATCH, results, ratios, suppressedDuplicateMs }));
} finally {
  await fcmApp.close();
  await fcm.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await sql.end();
  await database.close();
}

/** Seeds `count` events (and a device per user) for a fresh tenant, then drains them with one notifier. */
async function run(sql: Sql, scenario: { lock: DedupLock; sender: PushSender; users: "distinct" | "one" }, count: number) {
  const tenant = `bench-${randomBytes(4).toString("hex")}`;
  await sql`
    insert into devices (tenant_id, fcm_token, initiator_id)
    select ${tenant}, ${tenant} || '-token-' || g, 'user-' || g from generate_series(1, ${count}) g`;
  await sql`
    insert into notification_outbox (tenant_id, interception_id, initiator_id, provider, error_type)
    select ${tenant}, gen_random_uuid(), case when ${scenario.users === "one"} then 'user-1' else 'user-' || g end,
           'openai', 'unauthorized'
    from generate_series(1, ${count}) g`;
  const pushesBefore = fcm.accepted.length;
  const notifier = createNotifier({
    sql,
    lock: scenario.lock,
    sender: scenario.sender,
    devices: createDeviceStore(sql),
    log,
    id: `bench-${tenant}`,
    batchSize: BATCH,
    leaseSeconds: 300,
    pollMs: 1000,
    maxAttempts: 5,
    retryBaseMs: 60_000,
    retryMaxMs: 60_000,
    lockWaitMaxMs: 60_000,
  });
  const started = performance.now();
  let handled = 0;
  for (let claimed = -1; claimed !== 0; ) {
    claimed = await notifier.runOnce();
    handled += claimed;
  }
  const seconds = (performance.now() - started) / 1000;
  const outcomes = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from notification_outbox where tenant_id = ${tenant} group by status`;
  const countOf = (status: string) => outcomes.find((o) => o.status === status)?.n ?? 0;
  if (handled !== count || countOf("pending") > 0) throw new Error(`expected ${count} events handled, got ${handled}`);
  return {
    events: count,
    seconds: round(seconds),
    eventsPerSecond: Math.round(count / seconds),
    msPerEvent: round((seconds * 1000) / count, 3),
    sent: countOf("sent"),
    suppressed: countOf("suppressed"),
    pushes: fcm.accepted.length - pushesBefore,
  };
}


function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
