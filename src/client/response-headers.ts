/**
 * Response headers worth keeping with a failure, by lower-case name: request ids to quote to the
 * provider's support, and the retry hints. An allow-list, because response headers can carry
 * cookies, organisation ids and rate-limit details of the key that nobody asked to store.
 */
const KEPT = ["request-id", "x-request-id", "retry-after", "retry-after-ms"] as const;

/** The kept headers the server reads its retry hint (`retry_after_ms`) from. */
export const RETRY_HEADERS = ["retry-after", "retry-after-ms"] as const;

/**
 * The allow-listed headers of a failed response, from a fetch `Headers` (what the OpenAI and
 * Anthropic SDKs keep on their errors) or a plain object of header names to values.
 */
export function keptResponseHeaders(headers: unknown): Record<string, string> | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  const get =
    typeof (headers as Headers).get === "function"
      ? (name: string) => (headers as Headers).get(name)
      : (name: string) => plainHeader(headers as Record<string, unknown>, name);
  let kept: Record<string, string> | undefined;
  for (const name of KEPT) {
    const value = get(name);
    if (typeof value === "string" && value !== "") (kept ??= {})[name] = value.slice(0, 256);
  }
  return kept;
}

function plainHeader(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(", ") : typeof value === "string" ? value : undefined;
  }
  return undefined;
}
