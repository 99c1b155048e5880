import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import { DeliveryOutcome, type KeyState, NotificationStatus, QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import type { Scope } from "../src/auth/api-token.js";
import { interception, transport } from "./support/clients.js";
import { waitFor } from "./support/wait-for.js";
import {
  allFinished,
  notifierConfig,
  record,
  REDIS_URL,
  registerDevice,
  rejectedKey,
  startTestNotifier,
  unique,
  useNotifierEnvironment,
} from "./notifier/support/notifier.js";

const env = useNotifierEnvironment();
const query = (token = env.server.token) => createClient(QueryService, transport("grpc", env.server.url, token));
const token = async (tenantId: string | null, scopes: Scope[]) => (await env.server.tokens.create({ tenantId, scopes })).token;
const failure = (error: unknown) => ConnectError.from(error);
const now = (offsetMs = 0) => timestampFromDate(new Date(Date.now() + offsetMs));

/** A BYOK call that worked, started now (or `offsetMs` from now). */
const workingKey = (tenantId: string, initiatorId: string, offsetMs = 0) =>
  interception({ tenantId, initiatorId, provider: "openai", keySource: KeySource.BYOK, startedAt: now(offsetMs), endedAt: now(offsetMs + 200) });

/** A rejected key, started now: the notifier's events are the key failures ListKeyStates reads. */
const rejectedNow = (tenantId: string, initiatorId: string) => rejectedKey(tenantId, initiatorId, { startedAt: now(), endedAt: now(100) });

async function keyStates(tenantId: string, request: Parameters<ReturnType<typeof query>["listKeyStates"]>[0] = {}): Promise<KeyState[]> {
  return (await query().listKeyStates({ tenantId, ...request })).keyStates;
}

beforeAll(async () => {
  // One notifier for the file: on Redis and the fake FCM, two attempts before an event is dead.
  const notifier = await startTestNotifier(
    notifierConfig(env.db.url, { redisUrl: REDIS_URL, redisKeyPrefix: env.prefix, fcmEndpoint: env.fcm.url, notifyMaxAttempts: 2 }),
  );
  return () => notifier.stop();
});

describe("ListKeyStates: what a user was told and whether the key works again", () => {
  it("when a notified key failure is followed by a BYOK call that works, then the key shows the push that was sent and when it recovered", async () => {
    const [tenant, user, device] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, device);
    const rejected = rejectedNow(tenant, user);
    await record(env.server, rejected);
    await waitFor("the push to be sent", () => allFinished(env.db.sql, tenant, 1));

    const [broken] = await keyStates(tenant);
    expect(broken).toMatchObject({
      initiatorId: user,
      provider: "openai",
      lastErrorType: ErrorType.UNAUTHORIZED,
      lastFailedInterceptionId: rejected.id,
      failures: 1n,
      deviceCount: 1,
    });
    expect(broken!.recoveredAt).toBeUndefined();
    expect(broken!.notifications).toHaveLength(1);
    expect(broken!.notifications[0]).toMatchObject({
      interceptionId: rejected.id,
      errorType: ErrorType.UNAUTHORIZED,
      status: NotificationStatus.SENT,
      attempts: 1,
      lastError: "",
    });
    expect(broken!.notifications[0]!.deliveries).toMatchObject([{ attempt: 1, outcome: DeliveryOutcome.SENT, devicesReached: 1, devicesRemoved: 0, error: "" }]);
    expect(broken!.notifications[0]!.finishedAt).toBeDefined();
    expect(env.fcm.pushes(device)).toBe(1);
    expect((await keyStates(tenant, { brokenOnly: true })).map((k) => k.initiatorId)).toEqual([user]);

    // Not a recovery: a call that started before the failure, a platform-key call, another
    // provider, a BYOK call that failed for another reason, and one still in progress.
    await record(
      env.server,
      workingKey(tenant, user, -60_000),
      interception({ tenantId: tenant, initiatorId: user, keySource: KeySource.PLATFORM, startedAt: now(), endedAt: now(50) }),
      interception({ tenantId: tenant, initiatorId: user, provider: "anthropic", keySource: KeySource.BYOK, startedAt: now(), endedAt: now(50) }),
      interception({ tenantId: tenant, initiatorId: user, keySource: KeySource.BYOK, startedAt: now(), endedAt: now(50), errorType: "rate_limited" }),
      interception({ tenantId: tenant, initiatorId: user, keySource: KeySource.BYOK, startedAt: now(), endedAt: undefined }),
    );
    expect((await keyStates(tenant))[0]!.recoveredAt).toBeUndefined();

    const first = workingKey(tenant, user, 1000);
    await record(env.server, first, workingKey(tenant, user, 5000));
    const [recovered] = await keyStates(tenant);
    expect(recovered!.recoveredAt).toEqual(first.endedAt);
    expect(timestampDate(recovered!.recoveredAt!).getTime()).toBeGreaterThan(timestampDate(recovered!.lastFailedAt!).getTime());
    expect(await keyStates(tenant, { brokenOnly: true })).toEqual([]);
  });

  it("when the same key fails twice within the dedup window, then the second event shows as suppressed and both count as failures", async () => {
    const [tenant, user, device] = [unique("t"), unique("u"), unique("token")];
    await registerDevice(env.server, tenant, user, device);
    const [a, b] = [rejectedNow(tenant, user), rejectedNow(tenant, user)];
    await record(env.server, a);
    await waitFor("the first push", () => allFinished(env.db.sql, tenant, 1));
    await record(env.server, b);
    await waitFor("the duplicate to be handled", () => allFinished(env.db.sql, tenant, 2));

    const [state] = await keyStates(tenant);
    expect(state).toMatchObject({ failures: 2n, lastFailedInterceptionId: b.id, deviceCount: 1 });
    // Newest first: the duplicate, then the push that was sent.
    expect(state!.notifications.map((n) => [n.interceptionId, n.status, n.deliveries.map((d) => d.outcome)])).toEqual([
      [b.id, NotificationStatus.SUPPRESSED, [DeliveryOutcome.SUPPRESSED]],
      [a.id, NotificationStatus.SENT, [DeliveryOutcome.SENT]],
    ]);
    expect(env.fcm.pushes(device)).toBe(1);
  });

  it("when the user has no device, then the event is dead with its last error, every attempt is listed, and the device count is 0", async () => {
    const [tenant, user] = [unique("t"), unique("u")];
    const rejected = rejectedNow(tenant, user);
    await record(env.server, rejected);
    await waitFor("the event to die", () => allFinished(env.db.sql, tenant, 1));

    const [state] = await keyStates(tenant);
    expect(state).toMatchObject({ deviceCount: 0, failures: 1n });
    expect(state!.notifications[0]).toMatchObject({ status: NotificationStatus.DEAD, attempts: 2, lastError: "the user has no registered device" });
    expect(state!.notifications[0]!.deliveries.map((d) => [d.attempt, d.outcome, d.error])).toEqual([
      [1, DeliveryOutcome.FAILED, "the user has no registered device"],
      [2, DeliveryOutcome.DEAD, "the user has no registered device"],
    ]);
  });

  it("when the user has registered devices, then device_count counts them", async () => {
    const [tenant, user] = [unique("t"), unique("u")];
    for (const device of [unique("token"), unique("token"), unique("token")]) await registerDevice(env.server, tenant, user, device);
    // Another user's device in the same tenant is not theirs.
    await registerDevice(env.server, tenant, unique("u"), unique("token"));
    await record(env.server, rejectedNow(tenant, user));
    expect((await keyStates(tenant)).map((k) => k.deviceCount)).toEqual([3]);
  });
});

describe("ListKeyStates: order, filters and pages", () => {
  const tenant = unique("t");
  // Recorded one key at a time, so each key's last failure is later than the previous key's.
  const users = Array.from({ length: 7 }, (_, i) => `user-${i}`);
  beforeAll(async () => {
    for (const user of users) {
      await record(env.server, rejectedNow(tenant, user));
    }
    // user-0 also fails with anthropic, twelve times in one batch: those share one recorded time.
    await record(
      env.server,
      ...Array.from({ length: 12 }, () =>
        interception({ tenantId: tenant, initiatorId: "user-0", provider: "anthropic", keySource: KeySource.BYOK, errorType: "quota_exhausted", startedAt: now(), endedAt: now(1) }),
      ),
    );
    // Two keys whose last failures share one recorded time: initiator_id then provider break the tie.
    await record(
      env.server,
      interception({ tenantId: tenant, initiatorId: "user-9", provider: "mistral", keySource: KeySource.BYOK, errorType: "unauthorized", startedAt: now(), endedAt: now(1) }),
      interception({ tenantId: tenant, initiatorId: "user-9", provider: "gemini", keySource: KeySource.BYOK, errorType: "permission_denied", startedAt: now(), endedAt: now(1) }),
      interception({ tenantId: tenant, initiatorId: "user-8", provider: "openai", keySource: KeySource.BYOK, errorType: "unauthorized", startedAt: now(), endedAt: now(1) }),
    );
    // user-3's OpenAI key works again: listed, but not among the broken ones.
    await record(env.server, workingKey(tenant, "user-3", 1000));
  });
  const key = (k: KeyState) => `${k.initiatorId}/${k.provider}`;

  it("when listed, then the most recent last failure comes first, ties by initiator_id and provider", async () => {
    const all = await keyStates(tenant, { pageSize: 500 });
    const times = all.map((k) => timestampDate(k.lastFailedAt!).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.slice(0, 4).map(key)).toEqual(["user-8/openai", "user-9/gemini", "user-9/mistral", "user-0/anthropic"]);
    expect(all.slice(4).map(key)).toEqual([...users].reverse().map((u) => `${u}/openai`));
  });

  it("when a key failed more than ten times, then it counts every failure and shows the ten most recent events, newest first", async () => {
    const [state] = await keyStates(tenant, { initiatorId: "user-0", provider: "anthropic" });
    expect(state).toMatchObject({ failures: 12n, lastErrorType: ErrorType.QUOTA_EXHAUSTED });
    expect(state!.notifications).toHaveLength(10);
    expect(state!.notifications.every((n) => n.errorType === ErrorType.QUOTA_EXHAUSTED)).toBe(true);
    expect(state!.notifications[0]!.interceptionId).toBe(state!.lastFailedInterceptionId);
  });

  it("when filtered by initiator or provider, then only those keys are listed; the provider in any case", async () => {
    expect((await keyStates(tenant, { initiatorId: "user-0" })).map(key)).toEqual(["user-0/anthropic", "user-0/openai"]);
    const openai = await keyStates(tenant, { provider: "OpenAI", pageSize: 500 });
    expect(openai.map(key)).toEqual(["user-8/openai", ...[...users].reverse().map((u) => `${u}/openai`)]);
    expect(await keyStates(tenant, { initiatorId: "nobody" })).toEqual([]);
  });

  it("when paged two at a time, then every key comes once, in the order of one big page, and the last page has no token", async () => {
    for (const filters of [{}, { brokenOnly: true }, { provider: "openai" }]) {
      const whole = (await keyStates(tenant, { ...filters, pageSize: 500 })).map(key);
      const paged: string[] = [];
      let pageToken = "";
      for (let pages = 0; pages < 20; pages++) {
        const page = await query().listKeyStates({ tenantId: tenant, ...filters, pageSize: 2, pageToken });
        expect(page.keyStates.length).toBeLessThanOrEqual(2);
        paged.push(...page.keyStates.map(key));
        pageToken = page.nextPageToken;
        if (pageToken === "") break;
      }
      expect(paged).toEqual(whole);
      expect(new Set(paged).size).toBe(paged.length);
    }
    expect((await keyStates(tenant, { pageSize: 500 })).length).toBe(11);
    const broken = (await keyStates(tenant, { brokenOnly: true, pageSize: 500 })).map(key);
    expect(broken).toHaveLength(10);
    expect(broken).not.toContain("user-3/openai");
  });

  it("when a page token is shown other filters or is not a token, then page_token is refused", async () => {
    const { nextPageToken } = await query().listKeyStates({ tenantId: tenant, pageSize: 2 });
    for (const request of [{ brokenOnly: true }, { provider: "openai" }, { initiatorId: "user-1" }]) {
      const error = await query().listKeyStates({ tenantId: tenant, pageSize: 2, pageToken: nextPageToken, ...request }).catch(failure);
      expect(error).toMatchObject({ code: Code.InvalidArgument });
      expect((error as ConnectError).rawMessage).toContain("page_token");
    }
    const garbage = await query().listKeyStates({ tenantId: tenant, pageToken: "bm90IGEgdG9rZW4" }).catch(failure);
    expect((garbage as ConnectError).rawMessage).toContain("page_token");
  });
});

describe("ListKeyStates: bad input, tenancy and scopes", () => {
  it("when a field is unusable, then InvalidArgument names it", async () => {
    const cases: [Parameters<ReturnType<typeof query>["listKeyStates"]>[0], string][] = [
      [{ tenantId: "t", pageSize: -1 }, "page_size"],
      [{ tenantId: "t", initiatorId: "user\u0000" }, "initiator_id"],
      [{ tenantId: "t", provider: "p".repeat(129) }, "provider"],
      [{}, "tenant_id"],
    ];
    for (const [request, field] of cases) {
      const error = await query().listKeyStates(request).catch(failure);
      expect(error, field).toMatchObject({ code: Code.InvalidArgument });
      expect((error as ConnectError).rawMessage, field).toContain(field);
    }
  });

  it("when a tenant's token reads key states, then it sees its own tenant, and asking for another is PermissionDenied", async () => {
    const [tenant, other, user] = [unique("t"), unique("t"), unique("u")];
    await record(env.server, rejectedNow(tenant, user), rejectedNow(other, user));
    const client = query(await token(tenant, ["read"]));
    expect((await client.listKeyStates({})).keyStates.map((k) => k.initiatorId)).toEqual([user]);
    expect((await client.listKeyStates({ tenantId: tenant })).keyStates).toHaveLength(1);
    expect(await client.listKeyStates({ tenantId: other }).catch(failure)).toMatchObject({ code: Code.PermissionDenied });
  });

  it("when the token only records or administers, or is missing, then it is refused", async () => {
    for (const scopes of [["record"], ["admin"]] as Scope[][]) {
      expect(await query(await token(null, scopes)).listKeyStates({ tenantId: "t" }).catch(failure)).toMatchObject({ code: Code.PermissionDenied });
    }
    const none = await createClient(QueryService, transport("grpc", env.server.url)).listKeyStates({ tenantId: "t" }).catch(failure);
    expect(none).toMatchObject({ code: Code.Unauthenticated });
  });
});
