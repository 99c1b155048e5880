import type { FailureEvidence } from "./failure-evidence.js";

// Python's last traceback line, `openai.error.APIConnectionError: Error communicating with OpenAI`:
// a dotted module path, then a class named ...Error, ...Exception or ...Timeout, then a colon.
const PYTHON_RAISED = /^(?:[A-Za-z_][A-Za-z0-9_]{0,40}\.){1,6}([A-Za-z_][A-Za-z0-9_]{0,60}(?:Error|Exception|Timeout)):/i;
// The same without a module path, as JavaScript prints an error (`AbortError: BodyStreamBuffer was
// aborted`) and Python a class imported by name (`RateLimitError: ...`).
const NAME_SUFFIXES: readonly string[] = ["error", "exception", "timeout"];

/**
 * The error name the rules that read names go by (transport names, SDK classes that restate a
 * status): the bridge's `errorName`, else the class a message names at its head when a bridge
 * passed only `str(exc)` of a Python traceback's last line (`openai.error.APIConnectionError: Error
 * communicating with OpenAI` → `apiconnectionerror`, lower-cased as the message is). Such a class is
 * no provider code (`openai.NotFoundError:`), so it never joins `codes`. Computed only by the late
 * rules that ask, so the many failures an earlier rule settles never pay for it.
 */
export function effectiveErrorName(evidence: FailureEvidence): string {
  return evidence.errorName.length > 0 ? evidence.errorName : (pythonRaisedName(evidence.message) ?? "");
}

function pythonRaisedName(lowerMessage: string): string | undefined {
  // Only a message whose first word is followed by a dot, or is a class name followed by a colon,
  // can name a class this way; every other message is turned away after reading that word, before
  // any allocation or regex.
  let i = 0;
  while (i < lowerMessage.length && i <= 60 && isIdentifierChar(lowerMessage.charCodeAt(i))) i++;
  if (i === 0) return undefined;
  const next = lowerMessage.charCodeAt(i);
  if (next === 0x3a /* : */) return bareClassName(lowerMessage, i);
  if (next !== 0x2e /* . */ || i > 41) return undefined;
  return PYTHON_RAISED.exec(lowerMessage.length > 200 ? lowerMessage.slice(0, 200) : lowerMessage)?.[1];
}

function bareClassName(lowerMessage: string, end: number): string | undefined {
  for (const suffix of NAME_SUFFIXES) {
    if (end > suffix.length && lowerMessage.startsWith(suffix, end - suffix.length)) return lowerMessage.slice(0, end);
  }
  return undefined;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}
