import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { DevicePlatform, DeviceService } from "../../gen/bridgelog/v1/device_service_pb.js";
import { requireToken } from "../../src/auth/require-token.js";
import { createDeviceService } from "../../src/devices/device-service.js";
import type { DeviceRegistration, DeviceStore } from "../../src/devices/device-store.js";
import { fieldViolationsOf, rejectionOf } from "../support/rejection.js";
import { as, fixedAuthenticator } from "./support/fixed-authenticator.js";

/**
 * The service's side of the DeviceStore interface, in memory: what it was asked to register and
 * unregister. How the table merges registrations is the SQL store's, tested in notifier/devices.
 */
function createMemoryDevices() {
  const registered: DeviceRegistration[] = [];
  const unregistered: { tenantId: string; fcmToken: string }[] = [];
  const devices: DeviceStore = {
    async register(device) {
      registered.push(device);
      return registered.filter((d) => d.tenantId === device.tenantId && d.fcmToken === device.fcmToken).length === 1;
    },
    async unregister(tenantId, fcmToken) {
      unregistered.push({ tenantId, fcmToken });
      return registered.some((d) => d.tenantId === tenantId && d.fcmToken === fcmToken);
    },
    tokensOf: async () => [],
    remove: async () => 0,
  };
  return { devices, registered, unregistered };
}

/** The device service behind the real token interceptor, over an in-memory transport, and a real client for it. */
function deviceService(devices: DeviceStore) {
  const authenticator = fixedAuthenticator({
    "every-tenant": { tenantId: null, scopes: ["admin"] },
    "tenant-x": { tenantId: "tenant-x", scopes: ["admin"] },
  });
  const transport = createRouterTransport((router) => router.service(DeviceService, createDeviceService({ devices })), {
    router: { interceptors: [requireToken(authenticator, { [DeviceService.typeName]: "admin" })] },
  });
  return createClient(DeviceService, transport);
}

describe("RegisterDevice", () => {
  it.each([
    { sent: DevicePlatform.ANDROID, stored: "android" },
    { sent: DevicePlatform.IOS, stored: "ios" },
    { sent: DevicePlatform.WEB, stored: "web" },
    { sent: DevicePlatform.UNSPECIFIED, stored: "unspecified" },
  ] as const)("when a valid device registers ($stored), then the store gets it, and the answer says whether it was new", async ({ sent, stored }) => {
    const memory = createMemoryDevices();
    const client = deviceService(memory.devices);
    const request = { tenantId: "tenant-x", initiatorId: "user-1", fcmToken: "token-a", platform: sent };
    expect(await client.registerDevice(request, as("tenant-x"))).toMatchObject({ created: true });
    expect(await client.registerDevice(request, as("tenant-x"))).toMatchObject({ created: false });
    expect(memory.registered[0]).toEqual({ tenantId: "tenant-x", initiatorId: "user-1", fcmToken: "token-a", platform: stored });
  });

  it("when every field is missing, bad or too long, then InvalidArgument names each one and the store is not asked", async () => {
    const memory = createMemoryDevices();
    const error = await rejectionOf(
      deviceService(memory.devices).registerDevice({ tenantId: "x".repeat(129), initiatorId: " ", fcmToken: "bad\ntoken", platform: 42 as DevicePlatform }, as("every-tenant")),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldViolationsOf(error)).toEqual([
      { field: "tenant_id", description: "must be at most 128 bytes" },
      { field: "initiator_id", description: "required" },
      { field: "fcm_token", description: "must not contain control characters" },
      { field: "platform", description: "unknown platform" },
    ]);
    expect(memory.registered).toEqual([]);
  });

  it("when the fields are exactly at their limits, then the device is registered", async () => {
    const memory = createMemoryDevices();
    const request = { tenantId: "t".repeat(128), initiatorId: "é".repeat(128), fcmToken: "f".repeat(4096), platform: DevicePlatform.WEB };
    await deviceService(memory.devices).registerDevice(request, as("every-tenant"));
    expect(memory.registered).toHaveLength(1);
    const over = await rejectionOf(deviceService(memory.devices).registerDevice({ ...request, initiatorId: `${"é".repeat(128)}x`, fcmToken: "f".repeat(4097) }, as("every-tenant")));
    expect(fieldViolationsOf(over)).toEqual([
      { field: "initiator_id", description: "must be at most 256 bytes" },
      { field: "fcm_token", description: "must be at most 4096 bytes" },
    ]);
  });

  it("when only the deprecated user_id names the initiator, then it is used, and its violations name user_id", async () => {
    const memory = createMemoryDevices();
    const client = deviceService(memory.devices);
    await client.registerDevice({ tenantId: "tenant-x", userId: "user-1", fcmToken: "token-a" }, as("tenant-x"));
    expect(memory.registered).toEqual([{ tenantId: "tenant-x", initiatorId: "user-1", fcmToken: "token-a", platform: "unspecified" }]);
    const error = await rejectionOf(client.registerDevice({ tenantId: "tenant-x", userId: "u\nser", fcmToken: "token-b" }, as("tenant-x")));
    expect(fieldViolationsOf(error)).toEqual([{ field: "user_id", description: "must not contain control characters" }]);
  });

  it("when initiator_id and the deprecated user_id are both sent, then they must agree", async () => {
    const memory = createMemoryDevices();
    const client = deviceService(memory.devices);
    await client.registerDevice({ tenantId: "tenant-x", initiatorId: "user-1", userId: "user-1", fcmToken: "token-a" }, as("tenant-x"));
    expect(memory.registered.map((d) => d.initiatorId)).toEqual(["user-1"]);
    const error = await rejectionOf(client.registerDevice({ tenantId: "tenant-x", initiatorId: "user-1", userId: "user-2", fcmToken: "token-a" }, as("tenant-x")));
    expect(fieldViolationsOf(error)).toEqual([{ field: "user_id", description: "is deprecated and differs from initiator_id: send initiator_id alone" }]);
    expect(memory.registered).toHaveLength(1);
  });

  it("when a token for one tenant registers a device of another, then PermissionDenied and the store is not asked", async () => {
    const memory = createMemoryDevices();
    const error = await rejectionOf(
      deviceService(memory.devices).registerDevice({ tenantId: "tenant-y", initiatorId: "user-1", fcmToken: "token-a", platform: DevicePlatform.IOS }, as("tenant-x")),
    );
    expect(error.code).toBe(Code.PermissionDenied);
    expect(memory.registered).toEqual([]);
  });

  it("when a request is malformed and for another tenant, then the caller is told what is wrong with it first", async () => {
    const memory = createMemoryDevices();
    const error = await rejectionOf(deviceService(memory.devices).registerDevice({ tenantId: "tenant-y", initiatorId: "", fcmToken: "token-a" }, as("tenant-x")));
    expect(error.code).toBe(Code.InvalidArgument);
  });
});

describe("UnregisterDevice", () => {
  it("when a registered device unregisters, then the store is asked for that tenant and token, and the answer says whether it was there", async () => {
    const memory = createMemoryDevices();
    const client = deviceService(memory.devices);
    await client.registerDevice({ tenantId: "tenant-x", initiatorId: "user-1", fcmToken: "token-a" }, as("tenant-x"));
    expect(await client.unregisterDevice({ tenantId: "tenant-x", fcmToken: "token-a" }, as("tenant-x"))).toMatchObject({ removed: true });
    expect(await client.unregisterDevice({ tenantId: "tenant-x", fcmToken: "token-b" }, as("tenant-x"))).toMatchObject({ removed: false });
    expect(memory.unregistered).toEqual([
      { tenantId: "tenant-x", fcmToken: "token-a" },
      { tenantId: "tenant-x", fcmToken: "token-b" },
    ]);
  });

  it("when fields are missing, then InvalidArgument names each; when the tenant is another's, then PermissionDenied; the store is asked neither time", async () => {
    const memory = createMemoryDevices();
    const client = deviceService(memory.devices);
    const invalid = await rejectionOf(client.unregisterDevice({ tenantId: "", fcmToken: "" }, as("every-tenant")));
    expect(fieldViolationsOf(invalid)).toEqual([
      { field: "tenant_id", description: "required" },
      { field: "fcm_token", description: "required" },
    ]);
    expect((await rejectionOf(client.unregisterDevice({ tenantId: "tenant-y", fcmToken: "token-a" }, as("tenant-x")))).code).toBe(Code.PermissionDenied);
    expect(memory.unregistered).toEqual([]);
  });
});
