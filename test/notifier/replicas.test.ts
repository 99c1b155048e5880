import { afterEach, describe, expect, it } from "vitest";
import {
  allFinished,
  deliveries,
  eventStatuses,
  type NotifierProcess,
  record,
  REDIS_URL,
  registerDevice,
  rejectedKey,
  spawnNotifier,
  unique,
  useNotifierEnvironment,
} from "./support/notifier.js";
import { waitFor } from "../support/wait-for.js";

const env = useNotifierEnvironment();

const processes: NotifierProcess[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill("SIGKILL")));
  env.fcm.answer = () => "ok";
});

/** `bridgelog notify` in its own process, on this file's database, Redis prefix and fake FCM. */
async function notifyProcess(env_: Record<string, string> = {}): Promise<NotifierProcess> {
  const started = await spawnNotifier({
    DATABASE_URL: env.db.url,
    REDIS_URL,
    BRIDGELOG_REDIS_KEY_PREFIX: env.prefix,
    BRIDGELOG_FCM_ENDPOINT: env.fcm.url,
    BRIDGELOG_NOTIFY_POLL_MS: "100",
    BRIDGELOG_NOTIFY_BATCH_SIZE: "10",
    BRIDGELOG_NOTIFY_RETRY_BASE_MS: "100",
    ...env_,
  });
  processes.push(started);
  return started;
}

describe("notifier replicas", () => {
  it("when two notifier processes handle 50 identical failures, then the user gets exactly one push", async () => {
    const [tenant, user, token] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, token);
    // The one push is held in flight until every duplicate has been turned away. The notifier
    // sending it waits on it with the rest of its batch, so the other process must take the
    // remaining events: both compete for the same lock.
    env.fcm.answer = () => "hold";
    await Promise.all([notifyProcess(), notifyProcess()]);
    await record(env.server, ...Array.from({ length: 50 }, () => rejectedKey(tenant, user)));

    await waitFor("49 events suppressed", async () => (await deliveries(env.db.sql, tenant)).length === 49);
    expect(env.fcm.held()).toBe(1);
    env.fcm.release();
    await waitFor("all 50 events to finish", () => allFinished(env.db.sql, tenant, 50));
    const records = await deliveries(env.db.sql, tenant);
    expect(records.filter((d) => d.outcome === "sent")).toHaveLength(1);
    expect(records.filter((d) => d.outcome === "suppressed")).toHaveLength(49);
    expect(new Set(records.map((d) => d.notifier)).size).toBe(2);
    expect(env.fcm.pushes(token)).toBe(1);
  });

  it("when a notifier is killed mid-batch, then another replica sends its events once each after the lease", async () => {
    const tenant = unique("t");
    const users = [unique("u"), unique("u"), unique("u")];
    const tokens = users.map(() => unique("token"));
    for (const [i, user] of users.entries()) await registerDevice(env.server, tenant, user, tokens[i]!);
    // Every push is left unanswered, so the first notifier is stuck in the middle of its batch:
    // events claimed, dedup locks taken, sends in flight.
    env.fcm.answer = () => "hold";
    const first = await notifyProcess({ BRIDGELOG_NOTIFY_LEASE_SECONDS: "2" });
    const failures = users.map((user) => rejectedKey(tenant, user));
    await record(env.server, ...failures);
    await waitFor("three pushes in flight", () => env.fcm.held() === 3);

    await first.kill("SIGKILL");
    env.fcm.answer = () => "ok";
    const second = await notifyProcess({ BRIDGELOG_NOTIFY_LEASE_SECONDS: "2" });

    await waitFor("all three events to be sent", () => allFinished(env.db.sql, tenant, 3));
    expect([...(await eventStatuses(env.db.sql, tenant)).values()]).toEqual(["sent", "sent", "sent"]);
    for (const token of tokens) expect(env.fcm.pushes(token)).toBe(1);
    // The killed notifier recorded nothing; the second finished each event on its second attempt.
    const records = await deliveries(env.db.sql, tenant);
    expect(records.map((d) => [d.attempt, d.outcome])).toEqual([
      [2, "sent"],
      [2, "sent"],
      [2, "sent"],
    ]);
    expect(new Set(records.map((d) => d.notifier)).size).toBe(1);
    expect(second.output()).not.toContain('"level":50');
  });
});
