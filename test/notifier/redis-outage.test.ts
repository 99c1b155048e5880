import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { pino } from "pino";
import { createDeviceStore } from "../../src/devices/device-store.js";
import { createFcmMessaging } from "../../src/notifier/fcm-messaging.js";
import { createFcmPushSender } from "../../src/notifier/fcm-push-sender.js";
import { createNotifier } from "../../src/notifier/notifier.js";
import { createRedisDedupLock } from "../../src/notifier/redis-dedup-lock.js";
import { freePort } from "../support/free-port.js";
import { useTestServer } from "../support/server.js";
import { type FakeFcm, startFakeFcm } from "./support/fake-fcm.js";
import {
  allFinished,
  deliveries,
  eventStatuses,
  notifierConfig,
  record,
  registerDevice,
  rejectedKey,
  startTestNotifier,
  unique,
} from "./support/notifier.js";
import { waitFor } from "../support/wait-for.js";

const env = useTestServer();
let fcm: FakeFcm;
let port: number;
let redisServer: ChildProcess | undefined;

/**
 * This file's own redis-server, nothing kept on disk, so stopping it does not disturb the shared
 * Redis other test files use.
 */
async function startRedis(): Promise<void> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  redisServer = child;
  const client = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => 50 });
  client.on("error", () => {}); // refused until the server listens; the wait below retries
  try {
    await waitFor("redis-server to answer", async () => (await client.ping().catch(() => undefined)) === "PONG", 10_000);
  } finally {
    client.disconnect();
  }
}

async function stopRedis(): Promise<void> {
  const child = redisServer;
  redisServer = undefined;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  fcm = await startFakeFcm();
  port = await freePort();
  await startRedis();
});
afterAll(async () => {
  await stopRedis();
  await fcm?.close();
});

describe("when Redis is unavailable", () => {
  it("when Redis is stopped while events arrive and then started, then every event is handled and nobody gets a second push", async () => {
    const tenant = unique("t");
    const [alice, bob] = [unique("u"), unique("u")];
    const [aliceToken, bobToken] = [unique("token"), unique("token")];
    await registerDevice(env.server, tenant, alice, aliceToken);
    await registerDevice(env.server, tenant, bob, bobToken);
    const notifier = await startTestNotifier(
      notifierConfig(env.db.url, { redisUrl: `redis://127.0.0.1:${port}`, redisKeyPrefix: "outage:", fcmEndpoint: fcm.url, notifyMaxAttempts: 3 }),
    );
    onTestFinished(() => notifier.stop());

    await stopRedis();
    await record(env.server, ...Array.from({ length: 10 }, () => rejectedKey(tenant, alice)));
    await record(env.server, ...Array.from({ length: 5 }, () => rejectedKey(tenant, bob)));
    // Every event has met the outage at least once, and waits: recorded on the event, not as a delivery.
    await waitFor("every event to have met the outage", async () => (await waits(tenant)).filter((e) => e.lock_waits > 0).length === 15);
    expect(await deliveries(env.db.sql, tenant)).toEqual([]);
    for (const event of await waits(tenant)) {
      expect(event).toMatchObject({ status: "pending", last_error: expect.stringMatching(/^dedup lock unavailable: /) });
    }
    expect(fcm.pushes(aliceToken) + fcm.pushes(bobToken)).toBe(0);

    await startRedis();
    await waitFor("all 15 events to finish", () => allFinished(env.db.sql, tenant, 15));
    const finals = await deliveries(env.db.sql, tenant);
    expect(finals).toHaveLength(15);
    expect(finals.filter((d) => d.outcome === "sent")).toHaveLength(2);
    expect(finals.filter((d) => d.outcome === "suppressed")).toHaveLength(13);
    // Waiting for Redis used up no attempts: with a limit of 3, none died, each ended on attempt 1.
    expect(new Set(finals.map((d) => d.attempt))).toEqual(new Set([1]));
    expect(fcm.pushes(aliceToken)).toBe(1);
    expect(fcm.pushes(bobToken)).toBe(1);
    expect((await waits(tenant)).every((e) => e.lock_waits === 0)).toBe(true);
  });

  it("when Redis stays down, then each wait of an event doubles its backoff up to the cap, is counted on the event, and writes no delivery row", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    // Assembled by hand to run one claim at a time with the top of the jitter, so each backoff is
    // its ceiling; the Redis connection is made as start-notifier.ts makes it.
    const redis = new Redis(port, "127.0.0.1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5000, retryStrategy: () => 50 });
    redis.on("error", () => {});
    onTestFinished(() => redis.disconnect());
    const fcmApp = createFcmMessaging({ appName: unique("app"), endpoint: fcm.url });
    onTestFinished(() => fcmApp.close());
    const notifier = createNotifier({
      sql: env.db.sql,
      lock: createRedisDedupLock({ redis, keyPrefix: `${unique("backoff")}:`, windowSeconds: 3600 }),
      sender: createFcmPushSender(fcmApp.messaging),
      devices: createDeviceStore(env.db.sql),
      log: pino({ level: "silent" }),
      id: unique("notifier"),
      batchSize: 10,
      leaseSeconds: 60,
      pollMs: 50,
      maxAttempts: 3,
      retryBaseMs: 10_000,
      retryMaxMs: 3_600_000,
      lockWaitMaxMs: 80_000,
      random: () => 1,
    });
    await stopRedis();
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    const backoffs: number[] = [];
    for (let wait = 1; wait <= 6; wait++) {
      await env.db.sql`update notification_outbox set available_at = now() where interception_id = ${failure.id}`;
      await notifier.runOnce(); // claims every due event of the file, this one among them
      const [event] = await waits(tenant);
      // The backoff as written, read back in whole seconds: the statements' own run time is far below one.
      backoffs.push(Math.round(event!.backoff_ms / 1000));
    }
    expect(backoffs).toEqual([10, 20, 40, 80, 80, 80]);
    expect(await deliveries(env.db.sql, tenant)).toEqual([]);
    expect((await waits(tenant))[0]).toMatchObject({
      status: "pending",
      attempts: 0,
      lock_waits: 6,
      last_error: expect.stringMatching(/^dedup lock unavailable: /),
    });

    await startRedis();
    await waitFor("the notifier's Redis connection to be back", () => redis.status === "ready");
    await env.db.sql`update notification_outbox set available_at = now() where interception_id = ${failure.id}`;
    await notifier.runOnce();
    expect((await eventStatuses(env.db.sql, tenant)).get(failure.id)).toBe("sent");
    expect(await deliveries(env.db.sql, tenant)).toMatchObject([{ attempt: 1, outcome: "sent", devices_reached: 1 }]);
    expect((await waits(tenant))[0]).toMatchObject({ attempts: 1, lock_waits: 0 });
    expect(fcm.pushes(token)).toBe(1);
  });
});

/** Each event of the tenant: where it stands, its waits for the lock, and how far off it is due. */
function waits(tenant: string) {
  return env.db.sql<{ interception_id: string; status: string; attempts: number; lock_waits: number; last_error: string | null; backoff_ms: number }[]>`
    select interception_id, status, attempts, lock_waits, last_error,
           (extract(epoch from available_at - now()) * 1000)::float8 as backoff_ms
    from notification_outbox where tenant_id = ${tenant} order by created_at`;
}
