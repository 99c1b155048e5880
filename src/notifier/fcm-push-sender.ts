import type { Messaging } from "firebase-admin/messaging";
import type { PushMessage, PushResult, PushSender } from "./push-sender.js";

// sendEach refuses more messages than this in one call.
const FCM_MAX_BATCH = 500;

// The only errors that condemn the token itself. INVALID_ARGUMENT is not one: FCM answers it for
// any message it refuses (a payload field, a data value too long), and deleting a working token
// for it loses every later push to that device for good; such a send is retried like any failure.
const TOKEN_GONE = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token"]);

/**
 * Sends through firebase-admin's `sendEach`, at most 500 messages per call. Each message gets its
 * own result: tokens FCM reports as unregistered or invalid come back as `token-gone`, everything
 * else that failed (unavailable, internal, quota, network) as `failed`, to be retried.
 */
export function createFcmPushSender(messaging: Messaging): PushSender {
  return {
    async send(messages) {
      const results: PushResult[] = [];
      for (let start = 0; start < messages.length; start += FCM_MAX_BATCH) {
        const chunk = messages.slice(start, start + FCM_MAX_BATCH);
        results.push(...(await sendChunk(messaging, chunk)));
      }
      return results;
    },
  };
}

async function sendChunk(messaging: Messaging, chunk: readonly PushMessage[]): Promise<PushResult[]> {
  try {
    const batch = await messaging.sendEach(
      chunk.map((m) => ({ token: m.token, notification: { title: m.title, body: m.body }, data: m.data })),
    );
    return batch.responses.map((response, i): PushResult => {
      const token = chunk[i]!.token;
      if (response.success) return { token, status: "delivered" };
      const code = response.error?.code ?? "unknown";
      const error = `${code}: ${response.error?.message ?? "no message"}`;
      return TOKEN_GONE.has(code) ? { token, status: "token-gone", error } : { token, status: "failed", error };
    });
  } catch (error) {
    // sendEach reports per-message failures in its result; it throws only when it could not start
    // (e.g. a message it refuses to build). Then no message of the chunk was sent.
    const message = error instanceof Error ? error.message : String(error);
    return chunk.map((m) => ({ token: m.token, status: "failed", error: `sendEach failed: ${message}` }));
  }
}
