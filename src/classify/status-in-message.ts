// Anchored or literal-prefixed patterns with single bounded quantifiers: nothing to backtrack over.
// "429 You exceeded…" (openai-node, anthropic-sdk), "Error: 400 {…}", "API Error: 529 Overloaded".
const LEADING = /^(?:[a-z]+ )?(?:error:? )?(\d{3})\b/;
// "Error code: 429 - {…}" (Python SDKs), "status_code: 401, body: …" (cohere), "Status 429" (mistral).
const LABELLED = /(?:error code|status code|status_code|status|http)[:=]? ?(\d{3})\b/;
// "[400 Bad Request] API key not valid." (@google/generative-ai).
const BRACKETED = /\[(\d{3}) [a-z]/;

/**
 * The HTTP status an SDK wrote into its error message, for bridges that pass only `error.message`.
 * Takes lower-cased text; only 4xx and 5xx count.
 */
export function statusInMessage(lowerMessage: string): number | undefined {
  if (lowerMessage.length === 0) return undefined;
  const head = lowerMessage.length > 512 ? lowerMessage.slice(0, 512) : lowerMessage;
  for (const pattern of [LEADING, LABELLED, BRACKETED]) {
    const digits = pattern.exec(head)?.[1];
    if (digits === undefined) continue;
    const status = Number(digits);
    if (status >= 400 && status <= 599) return status;
  }
  return undefined;
}
