import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it, onTestFinished } from "vitest";
import { KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import { interception } from "../support/clients.js";
import { startTestServer, useTestServer } from "../support/server.js";
import { record, rejectedKey, unique } from "./support/notifier.js";
import { waitFor } from "../support/wait-for.js";
import { openPool } from "../support/pool.js";

const env = useTestServer();

async function events(tenantId: string) {
  return env.db.sql<{ interception_id: string; initiator_id: string; provider: string; error_type: string; status: string; attempts: number }[]>`
    select interception_id, initiator_id, provider, error_type, status, attempts
    from notification_outbox where tenant_id = ${tenantId} order by created_at, interception_id`;
}

describe("the recorder's notification events", () => {
  it("when a BYOK key is rejected, then the same write creates one pending event naming the initiator, provider and error type", async () => {
    const tenant = unique("t");
    const failure = rejectedKey(tenant, "user-7");
    await record(env.server, failure);
    // The RPC is answered after its statement committed, and the event is in that statement.
    expect(await events(tenant)).toEqual([
      { interception_id: failure.id, initiator_id: "user-7", provider: "openai", error_type: "unauthorized", status: "pending", attempts: 0 },
    ]);
  });

  it("when the same failure is recorded again, one after another, then there is still one event", async () => {
    const tenant = unique("t");
    const failure = rejectedKey(tenant, "user-1");
    await record(env.server, failure);
    await record(env.server, failure);
    await record(env.server, { ...failure, errorType: "quota_exhausted", upstream: undefined } as typeof failure);
    expect((await events(tenant)).map((e) => [e.interception_id, e.error_type])).toEqual([[failure.id, "unauthorized"]]);
  });

  it("when the same failure is recorded by 20 calls at once, then there is one event", async () => {
    const tenant = unique("t");
    const failure = rejectedKey(tenant, "user-1");
    await record(env.server, ...Array.from({ length: 20 }, () => failure));
    expect((await events(tenant)).map((e) => e.interception_id)).toEqual([failure.id]);
  });

  it("when an in-progress BYOK call ends with a quota failure, then the end record creates the event", async () => {
    const tenant = unique("t");
    const start = interception({ tenantId: tenant, initiatorId: "user-1", keySource: KeySource.BYOK, endedAt: undefined });
    await record(env.server, start);
    expect(await events(tenant)).toEqual([]);
    await record(env.server, { ...start, endedAt: timestampFromDate(new Date("2026-11-22T10:00:03Z")), errorType: "quota_exhausted" } as typeof start);
    expect((await events(tenant)).map((e) => [e.interception_id, e.error_type])).toEqual([[start.id, "quota_exhausted"]]);
  });

  it("when the key source or the user arrives after the failure, then the record that brings it creates the event", async () => {
    const tenant = unique("t");
    // The end record arrives first, without the key source; the start record carries it.
    const end = interception({ tenantId: tenant, initiatorId: "user-1", keySource: KeySource.UNSPECIFIED, errorType: "permission_denied" });
    await record(env.server, end);
    expect(await events(tenant)).toEqual([]);
    await record(env.server, { ...end, keySource: KeySource.BYOK, endedAt: undefined, errorType: undefined } as typeof end);
    expect((await events(tenant)).map((e) => [e.interception_id, e.error_type])).toEqual([[end.id, "permission_denied"]]);

    const anonymous = rejectedKey(tenant, "");
    await record(env.server, anonymous);
    expect(await events(tenant)).toHaveLength(1); // nobody to tell yet
    await record(env.server, { ...anonymous, initiatorId: "user-2" } as typeof anonymous);
    expect((await events(tenant)).map((e) => [e.interception_id, e.initiator_id])).toEqual([
      [end.id, "user-1"],
      [anonymous.id, "user-2"],
    ]);
  });

  it("when a platform key fails, a BYOK call is rate limited, or a BYOK call succeeds, then there is no event", async () => {
    const tenant = unique("t");
    const success = interception({ tenantId: tenant, initiatorId: "user-1", keySource: KeySource.BYOK });
    await record(
      env.server,
      rejectedKey(tenant, "user-1", { keySource: KeySource.PLATFORM }),
      interception({ tenantId: tenant, initiatorId: "user-1", keySource: KeySource.BYOK, errorType: "rate_limited" }),
      success,
    );
    // A failure recorded for a call that already succeeded does not change its outcome.
    await record(env.server, { ...success, errorType: "unauthorized" } as typeof success);
    expect(await env.db.sql`select 1 from interceptions where tenant_id = ${tenant}`).toHaveLength(3);
    expect(await events(tenant)).toEqual([]);
  });

  it("when an event is written, then listening notifiers are nudged", async () => {
    const listener = openPool(env.db.url);
    onTestFinished(() => listener.end());
    let nudges = 0;
    await listener.listen("bridgelog_notification_outbox", () => nudges++);
    await record(env.server, rejectedKey(unique("t"), "user-1"));
    await waitFor("a nudge", () => nudges > 0);
  });

  it("when BRIDGELOG_NOTIFY_ERROR_TYPES names other types, then those and only those create events", async () => {
    const server = await startTestServer(env.db.url, { notifyErrorTypes: ["not_found"] });
    onTestFinished(() => server.stop());
    const tenant = unique("t");
    const missingModel = interception({ tenantId: tenant, initiatorId: "user-1", keySource: KeySource.BYOK, errorType: "not_found" });
    await record(server, missingModel, rejectedKey(tenant, "user-1"));
    expect((await events(tenant)).map((e) => [e.interception_id, e.error_type])).toEqual([[missingModel.id, "not_found"]]);
  });
});
