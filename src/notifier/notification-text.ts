import type { PushMessage } from "./push-sender.js";

/** What a push says about one failure. */
export interface FailureNotice {
  tenantId: string;
  interceptionId: string;
  provider: string;
  /** The error type. */
  reason: string;
}

// How providers write their own names; any other provider id is shown as it was recorded.
const PROVIDER_NAMES: Record<string, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  gemini: "Gemini",
  google: "Google",
  vertex: "Vertex AI",
  bedrock: "Bedrock",
  azure: "Azure OpenAI",
  mistral: "Mistral",
  cohere: "Cohere",
  groq: "Groq",
  deepseek: "DeepSeek",
  xai: "xAI",
  openrouter: "OpenRouter",
};

/**
 * The notification for a failure of the user's own key: a title that says what is wrong and a body
 * that says what to do about it, per reason. The data payload lets the app open the right screen:
 * `type`, `provider`, `reason` and `interception_id`.
 */
export function notificationFor(notice: FailureNotice): Omit<PushMessage, "token"> {
  const name = PROVIDER_NAMES[notice.provider] ?? notice.provider;
  const data = {
    type: "byok_key_failure",
    provider: notice.provider,
    reason: notice.reason,
    interception_id: notice.interceptionId,
  };
  switch (notice.reason) {
    case "unauthorized":
      return {
        title: `Your ${name} API key was rejected`,
        body: `${name} says the key is invalid, expired or revoked. Update the key in your settings to keep using it.`,
        data,
      };
    case "permission_denied":
      return {
        title: `Your ${name} API key lacks permission`,
        body: `The key works but may not use this model or resource. Check the permissions of the key's project with ${name}.`,
        data,
      };
    case "quota_exhausted":
      return {
        title: `Your ${name} API key is out of credit`,
        body: `${name} refused the call because the key's credit or quota is used up. Add credit or raise the limit with ${name}.`,
        data,
      };
    default:
      // Other types only arrive when BRIDGELOG_NOTIFY_ERROR_TYPES adds them.
      return {
        title: `Your ${name} API key is failing`,
        body: `Calls with your own ${name} key fail (${notice.reason.replaceAll("_", " ")}). Check the key in your settings.`,
        data,
      };
  }
}
