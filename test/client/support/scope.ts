import type { CallScope } from "@bridgelog/client";

/** A bridge's scope for a chat call to gpt-4o by user-1 of `tenantId`, with the given key. */
export function scopeFor(tenantId: string, keySource: CallScope["keySource"] = "platform"): CallScope {
  return { tenantId, initiatorId: "user-1", feature: "chat", provider: "openai", model: "gpt-4o", keySource };
}
