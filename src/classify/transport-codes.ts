import type { ErrorType } from "../interception/error-type.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";

/** A transport-level code (Node, undici, node-fetch) and what it means. */
export interface TransportCode {
  readonly code: string;
  readonly errorType: ErrorType;
}

const CODES: readonly TransportCode[] = [
  // Timeouts ranked first: a message naming both a timeout and a reset is a timeout.
  { code: "ETIMEDOUT", errorType: "timeout" },
  { code: "ESOCKETTIMEDOUT", errorType: "timeout" },
  { code: "UND_ERR_CONNECT_TIMEOUT", errorType: "timeout" },
  { code: "UND_ERR_HEADERS_TIMEOUT", errorType: "timeout" },
  { code: "UND_ERR_BODY_TIMEOUT", errorType: "timeout" },
  { code: "ABORT_ERR", errorType: "canceled" },
  { code: "UND_ERR_ABORTED", errorType: "canceled" },
  { code: "ECONNRESET", errorType: "network_error" },
  { code: "ECONNREFUSED", errorType: "network_error" },
  { code: "ECONNABORTED", errorType: "network_error" },
  { code: "ENOTFOUND", errorType: "network_error" },
  { code: "EAI_AGAIN", errorType: "network_error" },
  { code: "EPIPE", errorType: "network_error" },
  { code: "EHOSTUNREACH", errorType: "network_error" },
  { code: "ENETUNREACH", errorType: "network_error" },
  { code: "ENETDOWN", errorType: "network_error" },
  { code: "UND_ERR_SOCKET", errorType: "network_error" },
  { code: "UND_ERR_CLOSED", errorType: "network_error" },
  { code: "ERR_STREAM_PREMATURE_CLOSE", errorType: "network_error" },
];

const byLowerCode: ReadonlyMap<string, TransportCode> = new Map(CODES.map((c) => [c.code.toLowerCase(), c]));
const codesInText = new PhraseMatcher<TransportCode>(CODES.map((c) => [c.code.toLowerCase(), c]));

/** What a Node/undici transport code means, whatever its case. */
export function transportCodeMeaning(code: string): TransportCode | undefined {
  return byLowerCode.get(code.toLowerCase());
}

/** The transport code found in text as a word, as in `connect ECONNREFUSED 127.0.0.1:11434`. */
export function findTransportCodeInText(text: SearchableText): TransportCode | undefined {
  return codesInText.find(text);
}
