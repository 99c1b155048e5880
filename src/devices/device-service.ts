import type { ServiceImpl } from "@connectrpc/connect";
import { DevicePlatform as ProtoDevicePlatform, DeviceService } from "../../gen/bridgelog/v1/device_service_pb.js";
import { assertTenant, principalKey } from "../auth/principal.js";
import { identifierProblem } from "../rpc/field-checks.js";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import type { DevicePlatform, DeviceStore } from "./device-store.js";

// Byte limits: tenant and initiator match the interception fields they are joined with; FCM tokens
// are about 160 characters today, and Google documents no maximum, so the limit is generous.
const MAX_BYTES = { tenant_id: 128, initiator_id: 256, user_id: 256, fcm_token: 4096 } as const;

const PLATFORMS: Record<ProtoDevicePlatform, DevicePlatform> = {
  [ProtoDevicePlatform.UNSPECIFIED]: "unspecified",
  [ProtoDevicePlatform.ANDROID]: "android",
  [ProtoDevicePlatform.IOS]: "ios",
  [ProtoDevicePlatform.WEB]: "web",
};

/**
 * bridgelog.v1.DeviceService: apps register the FCM tokens the notifier pushes to. The tenant
 * check comes after validation, so a malformed request is told what is wrong with it whoever asks.
 */
export function createDeviceService(options: { devices: DeviceStore }): ServiceImpl<typeof DeviceService> {
  const { devices } = options;
  return {
    async registerDevice(request, context) {
      // initiator_id, or the deprecated user_id under its own name, so errors name the field sent.
      const initiator: Partial<Record<"initiator_id" | "user_id", string>> =
        request.initiatorId === "" && request.userId !== "" ? { user_id: request.userId } : { initiator_id: request.initiatorId };
      const violations = validate({ tenant_id: request.tenantId, ...initiator, fcm_token: request.fcmToken });
      if (request.initiatorId !== "" && request.userId !== "" && request.userId !== request.initiatorId) {
        violations.push({ field: "user_id", description: "is deprecated and differs from initiator_id: send initiator_id alone" });
      }
      const platform = PLATFORMS[request.platform];
      if (platform === undefined) violations.push({ field: "platform", description: "unknown platform" });
      if (violations.length > 0) throw invalidArgument(violations);
      assertTenant(context.values.get(principalKey), request.tenantId);
      const created = await devices.register({
        tenantId: request.tenantId,
        initiatorId: request.initiatorId || request.userId,
        fcmToken: request.fcmToken,
        platform: platform!,
      });
      return { created };
    },
    async unregisterDevice(request, context) {
      const violations = validate({ tenant_id: request.tenantId, fcm_token: request.fcmToken });
      if (violations.length > 0) throw invalidArgument(violations);
      assertTenant(context.values.get(principalKey), request.tenantId);
      return { removed: await devices.unregister(request.tenantId, request.fcmToken) };
    },
  };
}

function validate(fields: Partial<Record<keyof typeof MAX_BYTES, string>>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [field, value] of Object.entries(fields) as [keyof typeof MAX_BYTES, string][]) {
    const problem = value.trim() === "" ? "required" : identifierProblem(value, MAX_BYTES[field]);
    if (problem !== undefined) violations.push({ field, description: problem });
  }
  return violations;
}
