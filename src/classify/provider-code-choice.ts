import type { FailureEvidence } from "./failure-evidence.js";
import { findProviderCodeInText } from "./provider-code-in-text.js";
import { providerCodeMeaning } from "./provider-codes.js";
import { findTransportCodeInText, transportCodeMeaning } from "./transport-failure.js";

// A code worth reporting looks like an identifier. Numeric codes only echo the HTTP status
// (OpenRouter `"code": 402`, Azure `"code": "429"`), and phrases are not codes (xAI's `"code":
// "Client specified an invalid argument"`).
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.:#/-]{1,63}$/;

/**
 * The provider's own machine-readable code for a failure, chosen by one rule:
 *
 * 1. the first code in `evidence.codes` whose meaning is known and specific, where `codes` holds, in
 *    order, the body's codes (the inner `error` first; google.rpc `details[].reason` before
 *    `error.status`; `error.code` before `error.type` as OpenAI documents; Anthropic `error.type`;
 *    Bedrock `__type` or exception key; Azure `innererror.code`; OpenRouter's upstream body in
 *    `metadata.raw`), then those in the bridge's message, its gRPC status name, the bridge's `code`,
 *    and an AWS exception name from `errorName`. Transport codes (`ECONNRESET`) count as known;
 * 2. else the first known code found in the text (`An error occurred (ThrottlingException) ...`,
 *    `read ECONNRESET`, a Python repr of a body);
 * 3. else the first identifier-like code at all, such as a catch-all `invalid_request_error` or a
 *    code the taxonomy does not know;
 * 4. else undefined.
 *
 * Codes from the failure are reported as sent, AWS exception names and transport codes in their
 * canonical spelling; codes found in free text in the spelling of the code table.
 */
export function chooseProviderCode(evidence: FailureEvidence): string | undefined {
  for (const code of evidence.codes) {
    const meaning = providerCodeMeaning(code);
    if (meaning !== undefined && !meaning.catchAll) return asReported(code, meaning.code);
    const transport = transportCodeMeaning(code);
    if (transport !== undefined) return transport.code;
  }
  const inText = findProviderCodeInText(evidence.text) ?? findTransportCodeInText(evidence.text);
  if (inText !== undefined) return inText.code;
  for (const code of evidence.codes) {
    if (IDENTIFIER.test(code)) return code;
  }
  return undefined;
}

/**
 * Codes are reported as the provider sent them (Google's `RATE_LIMIT_EXCEEDED` and OpenAI's
 * `rate_limit_exceeded` stay distinct), except exception names and transport codes, which have one
 * canonical spelling however a client cased them (`throttlingException` → `ThrottlingException`).
 */
function asReported(sent: string, canonical: string): string {
  return canonical.endsWith("Exception") ? canonical : sent;
}
