import { describe, expect, it, onTestFinished } from "vitest";
import type { DedupKey, DedupLock } from "../../src/notifier/dedup-lock.js";
import { createPostgresDedupLock } from "../../src/notifier/postgres-dedup-lock.js";
import { createRedisDedupLock } from "../../src/notifier/redis-dedup-lock.js";
import {
  allFinished,
  deliveries,
  notifierConfig,
  record,
  registerDevice,
  rejectedKey,
  startTestNotifier,
  unique,
  useNotifierEnvironment,
} from "./support/notifier.js";
import { waitFor } from "../support/wait-for.js";

const env = useNotifierEnvironment();

const stores: [string, (windowSeconds: number) => DedupLock][] = [
  ["Redis", (windowSeconds) => createRedisDedupLock({ redis: env.redis, keyPrefix: env.prefix, windowSeconds })],
  ["PostgreSQL", (windowSeconds) => createPostgresDedupLock({ sql: env.db.sql, windowSeconds })],
];

const newKey = (): DedupKey => ({ tenantId: unique("t"), initiatorId: "user:1", provider: "openai", errorType: "unauthorized" });

describe.each(stores)("the dedup lock in %s", (_name, createLock) => {
  it("when an event holds the lock, then another event is refused, and the holder's own retry is let through", async () => {
    const lock = createLock(3600);
    const key = newKey();
    expect(await lock.acquire(key, "event-a")).toBe(true);
    expect(await lock.acquire(key, "event-b")).toBe(false);
    expect(await lock.acquire(key, "event-a")).toBe(true);
    // Another initiator, provider or error type is another lock.
    expect(await lock.acquire({ ...key, initiatorId: "user:2" }, "event-b")).toBe(true);
    expect(await lock.acquire({ ...key, errorType: "quota_exhausted" }, "event-b")).toBe(true);
  });

  it("when a non-holder releases, then nothing happens; when the holder releases, then the next event gets the lock", async () => {
    const lock = createLock(3600);
    const key = newKey();
    await lock.acquire(key, "event-a");
    await lock.release(key, "event-b");
    expect(await lock.acquire(key, "event-b")).toBe(false);
    await lock.release(key, "event-a");
    expect(await lock.acquire(key, "event-b")).toBe(true);
  });

  it("when the window has passed, then the next event gets the lock", async () => {
    const lock = createLock(1);
    const key = newKey();
    await lock.acquire(key, "event-a");
    expect(await lock.acquire(key, "event-b")).toBe(false);
    await waitFor("the window to pass", () => lock.acquire(key, "event-b"), 10_000);
  });

  it("when 20 events race for one key, then exactly one gets it", async () => {
    const lock = createLock(3600);
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => lock.acquire(key, `event-${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe("notifiers without Redis", () => {
  it("when two notifiers share the PostgreSQL lock and 20 identical failures arrive, then the user gets one push", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    for (let i = 0; i < 2; i++) {
      const running = await startTestNotifier(notifierConfig(env.db.url, { fcmEndpoint: env.fcm.url, notifyBatchSize: 5 }));
      onTestFinished(() => running.stop());
    }
    await record(env.server, ...Array.from({ length: 20 }, () => rejectedKey(tenant, user)));

    await waitFor("all 20 events to finish", () => allFinished(env.db.sql, tenant, 20));
    const outcomes = (await deliveries(env.db.sql, tenant)).map((d) => d.outcome);
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "suppressed")).toHaveLength(19);
    expect(env.fcm.pushes(token)).toBe(1);
    expect(await env.db.sql`select holder from notification_locks where tenant_id = ${tenant}`).toHaveLength(1);
  });
});
