import { pino } from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import { createDeviceStore, type DeviceStore } from "../../src/devices/device-store.js";
import { createFcmMessaging } from "../../src/notifier/fcm-messaging.js";
import { createFcmPushSender } from "../../src/notifier/fcm-push-sender.js";
import { createNotifier } from "../../src/notifier/notifier.js";
import { createRedisDedupLock } from "../../src/notifier/redis-dedup-lock.js";
import { interception } from "../support/clients.js";
import {
  allFinished,
  deliveries,
  eventStatuses,
  notifierConfig,
  record,
  REDIS_URL,
  registerDevice,
  rejectedKey,
  startTestNotifier,
  unique,
  useNotifierEnvironment,
} from "./support/notifier.js";
import { waitFor } from "../support/wait-for.js";

const env = useNotifierEnvironment();

/** A notifier in this process on Redis and the fake FCM, stopped when the test ends. */
async function notifier(overrides: Parameters<typeof notifierConfig>[1] = {}) {
  const running = await startTestNotifier(
    notifierConfig(env.db.url, { redisUrl: REDIS_URL, redisKeyPrefix: env.prefix, fcmEndpoint: env.fcm.url, ...overrides }),
  );
  onTestFinished(() => running.stop());
  return running;
}

const lockKey = (tenant: string, user: string, errorType = "unauthorized") =>
  `${env.prefix}notify-dedup:${JSON.stringify([tenant, user, "openai", errorType])}`;

describe("delivering a notification", () => {
  it("when the key is rejected, then the user's device gets one push that says what to do, with the event in its data", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    await notifier();
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    await waitFor("the event to be sent", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.pushes(token)).toBe(1);
    const push = env.fcm.accepted.find((m) => m.token === token)!;
    expect(push.project).toBe("bridgelog-local");
    expect(push.notification.title).toBe("Your OpenAI API key was rejected");
    expect(push.notification.body).toContain("Update the key");
    // `reason` repeats `error_type` for apps built against bridgelog 0.1.
    expect(push.data).toEqual({
      type: "byok_key_failure",
      provider: "openai",
      error_type: "unauthorized",
      reason: "unauthorized",
      interception_id: failure.id,
    });
    expect(await deliveries(env.db.sql, tenant)).toMatchObject([{ outcome: "sent", attempt: 1, devices_reached: 1 }]);
    expect(await env.redis.get(lockKey(tenant, user))).toBe(failure.id);
  });

  it("when FCM answers 500 to the first attempt, then the lock is released, and the retry sends exactly one push", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    env.fcm.answer = (t, n) => (t === token && n === 1 ? "internal-error" : "ok");
    onTestFinished(() => void (env.fcm.answer = () => "ok"));
    await registerDevice(env.server, tenant, user, token);
    // A backoff far longer than the test, so the test decides when the retry is due.
    await notifier({ notifyRetryBaseMs: 600_000, notifyRetryMaxMs: 600_000 });
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    await waitFor("the failed first attempt", async () => (await deliveries(env.db.sql, tenant)).length === 1);
    const [first] = await deliveries(env.db.sql, tenant);
    expect(first).toMatchObject({ outcome: "failed", attempt: 1, devices_reached: 0 });
    expect(first!.error).toContain("messaging/internal-error");
    expect(await env.redis.exists(lockKey(tenant, user))).toBe(0); // the window was not used up
    expect(env.fcm.pushes(token)).toBe(0);

    await env.db.sql`update notification_outbox set available_at = now() where interception_id = ${failure.id}`;
    await waitFor("the retry to send", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.requests(token)).toBe(2);
    expect(env.fcm.pushes(token)).toBe(1);
    expect((await deliveries(env.db.sql, tenant)).map((d) => [d.attempt, d.outcome])).toEqual([
      [1, "failed"],
      [2, "sent"],
    ]);
    expect(await env.redis.get(lockKey(tenant, user))).toBe(failure.id);
  });

  it("when one of the user's tokens is unregistered, then it is deleted and the other device still gets the push", async () => {
    const [tenant, user, dead, alive] = [unique("t"), unique("u"), unique("dead-token"), unique("token")];
    env.fcm.answer = (t) => (t === dead ? "unregistered" : "ok");
    onTestFinished(() => void (env.fcm.answer = () => "ok"));
    await registerDevice(env.server, tenant, user, dead);
    await registerDevice(env.server, tenant, user, alive);
    await notifier();
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    await waitFor("the event to be sent", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.requests(dead)).toBe(1);
    expect(env.fcm.pushes(dead)).toBe(0);
    expect(env.fcm.pushes(alive)).toBe(1);
    expect(await createDeviceStore(env.db.sql).tokensOf(tenant, user)).toEqual([alive]);
    expect(await deliveries(env.db.sql, tenant)).toMatchObject([{ outcome: "sent", devices_reached: 1, devices_removed: 1 }]);
  });

  it("when FCM answers INVALID_ARGUMENT for a token, then the token is kept: only not-registered and invalid-registration-token mean it is gone", async () => {
    const [tenant, user, odd, alive] = [unique("t"), unique("u"), unique("odd-token"), unique("token")];
    env.fcm.answer = (t) => (t === odd ? "invalid-argument" : "ok");
    onTestFinished(() => void (env.fcm.answer = () => "ok"));
    await registerDevice(env.server, tenant, user, odd);
    await registerDevice(env.server, tenant, user, alive);
    await notifier({ notifyMaxAttempts: 2 });
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    // Retried like any failure, to that device alone; on the last attempt it is given up, and the
    // event is sent: the other device was told.
    await waitFor("the event to be sent", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.requests(odd)).toBe(2);
    expect(env.fcm.requests(alive)).toBe(1);
    expect(env.fcm.pushes(alive)).toBe(1);
    expect((await createDeviceStore(env.db.sql).tokensOf(tenant, user)).sort()).toEqual([alive, odd].sort());
    expect(await deliveries(env.db.sql, tenant)).toMatchObject([
      { attempt: 1, outcome: "failed", devices_reached: 1, devices_removed: 0 },
      { attempt: 2, outcome: "sent", devices_reached: 0, devices_removed: 0, error: expect.stringContaining("messaging/invalid-argument") },
    ]);
  });

  it("when one device fails transiently and another is reached, then the retry sends to the failed device alone: each device gets exactly one push", async () => {
    const [tenant, user, flaky, steady] = [unique("t"), unique("u"), unique("flaky-token"), unique("token")];
    env.fcm.answer = (t, n) => (t === flaky && n === 1 ? "internal-error" : "ok");
    onTestFinished(() => void (env.fcm.answer = () => "ok"));
    await registerDevice(env.server, tenant, user, steady);
    await registerDevice(env.server, tenant, user, flaky);
    // Two replicas, and a backoff far longer than the test, so the test decides when the retry is due.
    const slow = { notifyRetryBaseMs: 600_000, notifyRetryMaxMs: 600_000 };
    await notifier(slow);
    await notifier(slow);
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    await waitFor("the first attempt", async () => (await deliveries(env.db.sql, tenant)).length === 1);
    expect(await deliveries(env.db.sql, tenant)).toMatchObject([
      { attempt: 1, outcome: "failed", devices_reached: 1, error: expect.stringContaining("messaging/internal-error") },
    ]);
    expect((await eventStatuses(env.db.sql, tenant)).get(failure.id)).toBe("pending");
    expect(env.fcm.pushes(steady)).toBe(1);
    expect(env.fcm.pushes(flaky)).toBe(0);
    // The user was told, so the window is used: the lock stays with the event for its retry.
    expect(await env.redis.get(lockKey(tenant, user))).toBe(failure.id);

    await env.db.sql`update notification_outbox set available_at = now() where interception_id = ${failure.id}`;
    await waitFor("the retry to send", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.requests(steady)).toBe(1);
    expect(env.fcm.pushes(steady)).toBe(1);
    expect(env.fcm.requests(flaky)).toBe(2);
    expect(env.fcm.pushes(flaky)).toBe(1);
    expect((await deliveries(env.db.sql, tenant)).map((d) => [d.attempt, d.outcome, d.devices_reached])).toEqual([
      [1, "failed", 1],
      [2, "sent", 1],
    ]);
    const [event] = await env.db.sql<{ reached_fcm_tokens: string[] }[]>`
      select reached_fcm_tokens from notification_outbox where interception_id = ${failure.id}`;
    expect(event!.reached_fcm_tokens.sort()).toEqual([flaky, steady].sort());
  });

  it("when the window runs out between a partial send and its retry and another event takes the lock, then the first ends sent and sends no more", async () => {
    const [tenant, user, flaky, steady] = [unique("t"), unique("u"), unique("flaky-token"), unique("token")];
    env.fcm.answer = (t, n) => (t === flaky && n === 1 ? "internal-error" : "ok");
    onTestFinished(() => void (env.fcm.answer = () => "ok"));
    await registerDevice(env.server, tenant, user, steady);
    await registerDevice(env.server, tenant, user, flaky);
    await notifier({ notifyRetryBaseMs: 600_000, notifyRetryMaxMs: 600_000 });
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);
    await waitFor("the partial first attempt", async () => (await deliveries(env.db.sql, tenant)).length === 1);

    // What the lock looks like once its window has passed and a later failure of the key took it.
    await env.redis.set(lockKey(tenant, user), "a-later-event", "EX", 3600);
    await env.db.sql`update notification_outbox set available_at = now() where interception_id = ${failure.id}`;
    await waitFor("the event to end", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect((await deliveries(env.db.sql, tenant)).map((d) => [d.attempt, d.outcome, d.devices_reached])).toEqual([
      [1, "failed", 1],
      [2, "sent", 0],
    ]);
    expect(env.fcm.requests(flaky)).toBe(1);
    expect(env.fcm.pushes(steady)).toBe(1);
    expect(await env.redis.get(lockKey(tenant, user))).toBe("a-later-event");
  });

  it("when a platform key fails, a BYOK call is rate limited, or a BYOK call succeeds, then no push; a rejected BYOK key then gets one", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    await notifier();
    await record(
      env.server,
      rejectedKey(tenant, user, { keySource: KeySource.PLATFORM }),
      interception({ tenantId: tenant, initiatorId: user, keySource: KeySource.BYOK, upstream: { httpStatus: 429, body: '{"error":{"type":"rate_limit_exceeded","code":"rate_limit_exceeded"}}' } }),
      interception({ tenantId: tenant, initiatorId: user, keySource: KeySource.BYOK }),
    );
    expect(await eventStatuses(env.db.sql, tenant)).toEqual(new Map());

    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);
    await waitFor("the event to be sent", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "sent");
    expect(env.fcm.accepted.filter((m) => m.token === token).map((m) => m.data.interception_id)).toEqual([failure.id]);
  });

  it("when the user has no device, then each attempt fails, the lock is given back, and the event ends dead with the reason", async () => {
    const [tenant, user] = [unique("t"), unique("u")];
    await notifier({ notifyMaxAttempts: 3 });
    const failure = rejectedKey(tenant, user);
    await record(env.server, failure);

    await waitFor("the event to die", async () => (await eventStatuses(env.db.sql, tenant)).get(failure.id) === "dead");
    expect((await deliveries(env.db.sql, tenant)).map((d) => [d.attempt, d.outcome, d.error])).toEqual([
      [1, "failed", "the user has no registered device"],
      [2, "failed", "the user has no registered device"],
      [3, "dead", "the user has no registered device"],
    ]);
    const [event] = await env.db.sql`select attempts, last_error, finished_at from notification_outbox where interception_id = ${failure.id}`;
    expect(event).toMatchObject({ attempts: 3, last_error: "the user has no registered device" });
    expect(event!.finished_at).toBeInstanceOf(Date);
    expect(await env.redis.exists(lockKey(tenant, user))).toBe(0);
  });

  it("when 30 duplicates arrive, then the lock turns away 29 before any device lookup: devices are read once", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    // Assembled by hand to count device lookups; everything else is what startNotifier builds.
    const store = createDeviceStore(env.db.sql);
    let lookups = 0;
    const devices: DeviceStore = { ...store, tokensOf: (...args) => (lookups++, store.tokensOf(...args)) };
    const fcmApp = createFcmMessaging({ appName: unique("app"), endpoint: env.fcm.url });
    onTestFinished(() => fcmApp.close());
    const running = createNotifier({
      sql: env.db.sql,
      lock: createRedisDedupLock({ redis: env.redis, keyPrefix: env.prefix, windowSeconds: 3600 }),
      sender: createFcmPushSender(fcmApp.messaging),
      devices,
      log: pino({ level: "silent" }),
      id: unique("notifier"),
      batchSize: 10,
      leaseSeconds: 60,
      pollMs: 50,
      maxAttempts: 5,
      retryBaseMs: 50,
      retryMaxMs: 1000,
      lockWaitMaxMs: 1000,
    });
    await record(env.server, ...Array.from({ length: 30 }, () => rejectedKey(tenant, user)));
    await running.start();
    onTestFinished(() => running.stop());

    await waitFor("all 30 events to finish", () => allFinished(env.db.sql, tenant, 30));
    const outcomes = (await deliveries(env.db.sql, tenant)).map((d) => d.outcome);
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "suppressed")).toHaveLength(29);
    expect(lookups).toBe(1);
    expect(env.fcm.pushes(token)).toBe(1);
  });
});
