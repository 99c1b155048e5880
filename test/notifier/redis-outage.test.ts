import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
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
    // Every event has been tried at least once, and waits.
    await waitFor("every event to have met the outage", async () => {
      const tried = new Set((await deliveries(env.db.sql, tenant)).map((d) => d.interception_id));
      return tried.size === 15;
    });
    const meanwhile = await deliveries(env.db.sql, tenant);
    expect(new Set(meanwhile.map((d) => d.outcome))).toEqual(new Set(["failed"]));
    expect(meanwhile[0]!.error).toMatch(/^dedup lock unavailable: /);
    expect([...(await eventStatuses(env.db.sql, tenant)).values()].every((s) => s === "pending")).toBe(true);
    expect(fcm.pushes(aliceToken) + fcm.pushes(bobToken)).toBe(0);

    await startRedis();
    await waitFor("all 15 events to finish", () => allFinished(env.db.sql, tenant, 15));
    const finals = (await deliveries(env.db.sql, tenant)).filter((d) => d.outcome !== "failed");
    expect(finals.filter((d) => d.outcome === "sent")).toHaveLength(2);
    expect(finals.filter((d) => d.outcome === "suppressed")).toHaveLength(13);
    // Waiting for Redis used up no attempts: with a limit of 3, none died, each ended on attempt 1.
    expect(new Set(finals.map((d) => d.attempt))).toEqual(new Set([1]));
    expect(fcm.pushes(aliceToken)).toBe(1);
    expect(fcm.pushes(bobToken)).toBe(1);
  });
});
