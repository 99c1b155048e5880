import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { notificationFor } from "../../src/notifier/notification-text.js";
import { retryDelayMs } from "../../src/retry/retry-delay.js";

describe("notifier settings", () => {
  it("when nothing is set, then BYOK unauthorized, permission_denied and quota_exhausted notify, deduplicated for 24 hours in PostgreSQL", () => {
    const config = loadConfig({});
    expect(config.notifyErrorTypes).toEqual(["unauthorized", "permission_denied", "quota_exhausted"]);
    expect(config.dedupWindowSeconds).toBe(86_400);
    expect(config.redisUrl).toBeUndefined();
    expect(config.fcmEndpoint).toBeUndefined();
    // A wait for Redis backs off from the retry base up to a minute; a failed attempt up to an hour.
    expect([config.notifyRetryBaseMs, config.notifyRetryMaxMs, config.notifyLockWaitMaxMs]).toEqual([5000, 3_600_000, 60_000]);
  });

  it("when the error types are listed, then they replace the default, in any case and spacing", () => {
    expect(loadConfig({ BRIDGELOG_NOTIFY_ERROR_TYPES: " Quota_Exhausted , not_found" }).notifyErrorTypes).toEqual([
      "quota_exhausted",
      "not_found",
    ]);
  });

  it("when notifier settings are wrong, then every problem is reported by name", () => {
    let error: unknown;
    try {
      loadConfig({
        REDIS_URL: "localhost:6379",
        BRIDGELOG_NOTIFY_ERROR_TYPES: "unauthorized,key_broken",
        BRIDGELOG_FCM_ENDPOINT: "https://fcm.googleapis.com",
        BRIDGELOG_DEDUP_WINDOW_SECONDS: "0",
        BRIDGELOG_NOTIFY_RETRY_BASE_MS: "5000",
        BRIDGELOG_NOTIFY_RETRY_MAX_MS: "100",
        BRIDGELOG_NOTIFY_LOCK_WAIT_MAX_MS: "100",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of [
      "REDIS_URL",
      "BRIDGELOG_NOTIFY_ERROR_TYPES",
      "key_broken",
      "BRIDGELOG_FCM_ENDPOINT",
      "BRIDGELOG_DEDUP_WINDOW_SECONDS",
      "BRIDGELOG_NOTIFY_RETRY_MAX_MS",
      "BRIDGELOG_NOTIFY_LOCK_WAIT_MAX_MS",
    ]) {
      expect(problems).toContain(name);
    }
  });
});

describe("retry delay", () => {
  it("when attempts fail one after another, then the delay doubles up to the cap and stays within its upper half", () => {
    const low = (attempt: number) => retryDelayMs(attempt, 1000, 10_000, () => 0);
    const high = (attempt: number) => retryDelayMs(attempt, 1000, 10_000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(low)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3, 4, 5, 6].map(high)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe("notification text", () => {
  it("when the error type is known, then the push says what to do; an added type gets a general message", () => {
    const notice = { tenantId: "t", interceptionId: "i", provider: "anthropic" };
    expect(notificationFor({ ...notice, errorType: "quota_exhausted" }).body).toContain("Add credit");
    expect(notificationFor({ ...notice, errorType: "permission_denied" }).body).toContain("Check the permissions");
    expect(notificationFor({ ...notice, errorType: "unauthorized" }).title).toBe("Your Anthropic API key was rejected");
    expect(notificationFor({ ...notice, provider: "acme-llm", errorType: "not_found" }).title).toBe("Your acme-llm API key is failing");
  });
});
