import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { DevicePlatform, DeviceService } from "../../gen/bridgelog/v1/device_service_pb.js";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";
import { transport } from "../support/clients.js";
import { useTestServer } from "../support/server.js";
import { unique } from "./support/notifier.js";

const env = useTestServer();
let devices: ReturnType<typeof createClient<typeof DeviceService>>;
beforeAll(() => {
  devices = createClient(DeviceService, transport("grpc", env.server.url, env.server.token));
});

async function stored(tenantId: string) {
  return env.db.sql`select initiator_id, fcm_token, platform from devices where tenant_id = ${tenantId} order by fcm_token`;
}

describe("DeviceService", () => {
  it("when a device registers twice, then it is stored once; when another initiator signs in on it, then it moves to them", async () => {
    const tenantId = unique("t");
    const request = { tenantId, initiatorId: "user-1", fcmToken: "token-a", platform: DevicePlatform.IOS };
    expect(await devices.registerDevice(request)).toMatchObject({ created: true });
    expect(await devices.registerDevice(request)).toMatchObject({ created: false });
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-1", fcm_token: "token-a", platform: "ios" }]);

    await devices.registerDevice({ ...request, initiatorId: "user-2" });
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-2", fcm_token: "token-a", platform: "ios" }]);
  });

  it("when a device unregisters, then it is gone; unregistering it again is not an error", async () => {
    const tenantId = unique("t");
    await devices.registerDevice({ tenantId, initiatorId: "user-1", fcmToken: "token-a", platform: DevicePlatform.WEB });
    await devices.registerDevice({ tenantId, initiatorId: "user-1", fcmToken: "token-b", platform: DevicePlatform.ANDROID });
    expect(await devices.unregisterDevice({ tenantId, fcmToken: "token-a" })).toMatchObject({ removed: true });
    expect(await devices.unregisterDevice({ tenantId, fcmToken: "token-a" })).toMatchObject({ removed: false });
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-1", fcm_token: "token-b", platform: "android" }]);
  });

  it("when fields are missing or malformed, then InvalidArgument names each of them and nothing is stored", async () => {
    const tenantId = unique("t");
    const error = await devices
      .registerDevice({ tenantId, initiatorId: "", fcmToken: "bad\ntoken", platform: DevicePlatform.ANDROID })
      .catch(ConnectError.from);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    const [details] = (error as ConnectError).findDetails(BadRequestSchema);
    expect(details?.fieldViolations.map((v) => v.field)).toEqual(["initiator_id", "fcm_token"]);
    expect(await stored(tenantId)).toEqual([]);
  });

  it("when a client sends the deprecated user_id, then it is the initiator; when it contradicts initiator_id, then InvalidArgument names it", async () => {
    const tenantId = unique("t");
    expect(await devices.registerDevice({ tenantId, userId: "user-old", fcmToken: "token-a", platform: DevicePlatform.IOS })).toMatchObject({
      created: true,
    });
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-old", fcm_token: "token-a", platform: "ios" }]);
    await devices.registerDevice({ tenantId, userId: "user-new", initiatorId: "user-new", fcmToken: "token-a", platform: DevicePlatform.IOS });
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-new", fcm_token: "token-a", platform: "ios" }]);

    const long = await devices
      .registerDevice({ tenantId, userId: "u".repeat(257), fcmToken: "token-b", platform: DevicePlatform.IOS })
      .catch(ConnectError.from);
    expect((long as ConnectError).findDetails(BadRequestSchema)[0]?.fieldViolations).toEqual([
      expect.objectContaining({ field: "user_id", description: "must be at most 256 bytes" }),
    ]);
    const contradicting = await devices
      .registerDevice({ tenantId, userId: "user-a", initiatorId: "user-b", fcmToken: "token-b", platform: DevicePlatform.IOS })
      .catch(ConnectError.from);
    expect((contradicting as ConnectError).code).toBe(Code.InvalidArgument);
    expect((contradicting as ConnectError).findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(["user_id"]);
    expect(await stored(tenantId)).toEqual([{ initiator_id: "user-new", fcm_token: "token-a", platform: "ios" }]);
  });

  it("when an admin token for one tenant registers a device of another, then PermissionDenied; a record token is refused", async () => {
    const { token: admin } = await env.server.tokens.create({ tenantId: "tenant-x", scopes: ["admin"] });
    const asAdmin = createClient(DeviceService, transport("grpc", env.server.url, admin));
    const request = { tenantId: "tenant-y", initiatorId: "user-1", fcmToken: "token-a", platform: DevicePlatform.IOS };
    expect(((await asAdmin.registerDevice(request).catch(ConnectError.from)) as ConnectError).code).toBe(Code.PermissionDenied);
    expect(((await asAdmin.unregisterDevice(request).catch(ConnectError.from)) as ConnectError).code).toBe(Code.PermissionDenied);
    expect(await asAdmin.registerDevice({ ...request, tenantId: "tenant-x" })).toMatchObject({ created: true });

    const { token: recorder } = await env.server.tokens.create({ tenantId: "tenant-x", scopes: ["record"] });
    const asRecorder = createClient(DeviceService, transport("grpc", env.server.url, recorder));
    const refused = await asRecorder.registerDevice({ ...request, tenantId: "tenant-x" }).catch(ConnectError.from);
    expect((refused as ConnectError).code).toBe(Code.PermissionDenied);
    expect(await stored("tenant-y")).toEqual([]);
  });
});
