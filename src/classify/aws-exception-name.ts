/**
 * Bedrock reports one exception in several spellings: `ThrottlingException` from the SDK,
 * `throttlingException` in event-stream frames, `com.amazon.coral.service#ThrottlingException` in a
 * JSON `__type`, and `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/` in
 * the `x-amzn-ErrorType` header. This reduces all of them to `ThrottlingException`, so one table
 * entry and one reported provider code cover every path.
 *
 * Anything that is not an exception name comes back unchanged.
 */
export function normalizeAwsExceptionName(raw: string): string {
  if (!raw.toLowerCase().includes("exception")) return raw;
  let name = raw.trim();
  const hash = name.lastIndexOf("#");
  if (hash >= 0) name = name.slice(hash + 1);
  const colon = name.indexOf(":");
  if (colon > 0) name = name.slice(0, colon);
  if (!name.toLowerCase().endsWith("exception")) return raw;
  return name.charAt(0).toUpperCase() + name.slice(1);
}
