import type { Sql } from "postgres";

/** The kind of app installation an FCM token belongs to (the `devices.platform` column). */
export type DevicePlatform = "unspecified" | "android" | "ios" | "web";

export interface DeviceRegistration {
  tenantId: string;
  initiatorId: string;
  fcmToken: string;
  platform: DevicePlatform;
}

/** The devices an initiator's pushes go to (table `devices`). */
export interface DeviceStore {
  /** Upserts by (tenant, token); true when the token was new to the tenant. */
  register(device: DeviceRegistration): Promise<boolean>;
  /** True when the token was registered and is now removed. */
  unregister(tenantId: string, fcmToken: string): Promise<boolean>;
  /** Every FCM token registered for the initiator. */
  tokensOf(tenantId: string, initiatorId: string): Promise<string[]>;
  /** Deletes tokens FCM reported as gone; returns how many were deleted. */
  remove(tenantId: string, fcmTokens: readonly string[]): Promise<number>;
}

export function createDeviceStore(sql: Sql): DeviceStore {
  return {
    async register({ tenantId, initiatorId, fcmToken, platform }) {
      const [row] = await sql<{ created: boolean }[]>`
        insert into devices as d (tenant_id, fcm_token, initiator_id, platform)
        values (${tenantId}, ${fcmToken}, ${initiatorId}, ${platform})
        on conflict (tenant_id, fcm_token) do update
          set initiator_id = excluded.initiator_id, platform = excluded.platform, updated_at = now()
        returning (d.xmax = 0) as created`;
      return row!.created;
    },
    async unregister(tenantId, fcmToken) {
      const rows = await sql`delete from devices where tenant_id = ${tenantId} and fcm_token = ${fcmToken} returning 1`;
      return rows.length > 0;
    },
    async tokensOf(tenantId, initiatorId) {
      const rows = await sql<{ fcm_token: string }[]>`
        select fcm_token from devices where tenant_id = ${tenantId} and initiator_id = ${initiatorId} order by created_at, fcm_token`;
      return rows.map((row) => row.fcm_token);
    },
    async remove(tenantId, fcmTokens) {
      if (fcmTokens.length === 0) return 0;
      const rows = await sql`
        delete from devices where tenant_id = ${tenantId} and fcm_token = any(${[...fcmTokens]}::text[]) returning 1`;
      return rows.length;
    },
  };
}
