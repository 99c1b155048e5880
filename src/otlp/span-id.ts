import { createHash } from "node:crypto";

/**
 * The namespace of interception ids derived from spans (a UUIDv5 namespace, chosen once at random
 * for bridgelog; never change it, or re-exported spans would stop merging into their rows).
 */
export const SPAN_ID_NAMESPACE = "8f2d6a3e-4b1c-4e7a-9c55-1d0b7e3f6a21";

const namespaceBytes = Buffer.from(SPAN_ID_NAMESPACE.replaceAll("-", ""), "hex");

/**
 * The interception id of a span: the UUIDv5 (RFC 9562) of the 16-byte trace id followed by the
 * 8-byte span id, in SPAN_ID_NAMESPACE. The same span exported twice (an exporter's retry, a
 * Collector replaying its queue) so lands on the same interception and merges into it.
 */
export function interceptionIdOfSpan(traceId: Uint8Array, spanId: Uint8Array): string {
  const hash = createHash("sha1").update(namespaceBytes).update(traceId).update(spanId).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Hex, as OTLP/JSON, trace viewers and logs spell ids. */
export const hexOf = (id: Uint8Array): string => Buffer.from(id).toString("hex");
