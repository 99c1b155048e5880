import type { CallUsage } from "./call-usage.js";

/**
 * Token usage from an OpenAI or Anthropic response body, as their official SDKs return it, or
 * undefined for anything else. Counts are stored as each provider reports them:
 * - OpenAI Chat Completions: `usage.prompt_tokens` (which includes cached tokens),
 *   `completion_tokens`, `prompt_tokens_details.cached_tokens`; the Responses API's
 *   `input_tokens`, `output_tokens` and `input_tokens_details.cached_tokens` likewise;
 * - Anthropic Messages: `usage.input_tokens` (which excludes cache reads and writes),
 *   `output_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens`.
 * Neither reports cost; a `usage` extractor that prices the tokens supplies it.
 */
export function readProviderUsage(result: unknown): CallUsage | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const usage = (result as { usage?: unknown }).usage;
  if (typeof usage !== "object" || usage === null) return undefined;
  const u = usage as Record<string, unknown>;
  return {
    inputTokens: numberOr(u.prompt_tokens, u.input_tokens),
    outputTokens: numberOr(u.completion_tokens, u.output_tokens),
    cacheReadTokens: numberOr(
      nested(u.prompt_tokens_details, "cached_tokens"),
      nested(u.input_tokens_details, "cached_tokens") ?? u.cache_read_input_tokens,
    ),
    cacheWriteTokens: numberOr(u.cache_creation_input_tokens, undefined),
  };
}

function numberOr(first: unknown, second: unknown): number | undefined {
  if (typeof first === "number") return first;
  return typeof second === "number" ? second : undefined;
}

function nested(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
