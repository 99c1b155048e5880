import type { Logger } from "pino";
import type { PushSender } from "./push-sender.js";

/**
 * Stands in for FCM when no Firebase credentials are configured: logs each push it would have sent
 * and reports it delivered, so on the embedded default the whole pipeline (outbox, claim, dedup,
 * device lookup, outcome) runs and can be seen. Only the start of a token is logged.
 */
export function createLogPushSender(log: Logger): PushSender {
  return {
    async send(messages) {
      for (const m of messages) {
        log.info(
          { token: `${m.token.slice(0, 8)}...`, title: m.title, body: m.body, data: m.data },
          "push not sent (no Firebase credentials): this is what FCM would have been given",
        );
      }
      return messages.map((m) => ({ token: m.token, status: "delivered" as const }));
    },
  };
}
