import type { ErrorType } from "../interception/error-type.js";
import type { PushMessage } from "./push-sender.js";

/** What a push says about one failure. */
export interface FailureNotice {
  tenantId: string;
  interceptionId: string;
  provider: string;
  errorType: ErrorType;
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
 * that says what to do about it, per error type. The data payload lets the app open the right
 * screen: `type`, `provider`, `error_type` and `interception_id`. `reason` carries the error type
 * too, under the name apps built against bridgelog 0.1 read; new apps should read `error_type`.
 */
export function notificationFor(notice: FailureNotice): Omit<PushMessage, "token"> {
  const name = PROVIDER_NAMES[notice.provider] ?? notice.provider;
  const data = {
    type: "byok_key_failure",
    provider: notice.provider,
    error_type: notice.errorType,
    reason: notice.errorType,
    interception_id: notice.interceptionId,
  };
  switch (notice.errorType) {
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
        body: `Calls with your own ${name} key fail (${notice.errorType.replaceAll("_", " ")}). Check the key in your settings.`,
        data,
      };
  }
}
