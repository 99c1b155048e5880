import type { AnyValue, KeyValue } from "../../gen/opentelemetry/proto/common/v1/common_pb.js";

/** A scalar attribute value as OTLP carries it; arrays and maps are not read by the mapping. */
export type AttributeValue = string | bigint | number | boolean;

/**
 * The attributes of one span, looked up by key, with the resource's as a fallback where the
 * mapping allows it (`user.id`, `tenant.id`): a span's own value wins over its resource's.
 */
export interface SpanAttributes {
  span(key: string): AttributeValue | undefined;
  resource(key: string): AttributeValue | undefined;
  /** The span's value, else the resource's. */
  either(key: string): AttributeValue | undefined;
}

export function spanAttributes(span: readonly KeyValue[], resource: readonly KeyValue[]): SpanAttributes {
  const spanMap = toMap(span);
  const resourceMap = toMap(resource);
  return {
    span: (key) => spanMap.get(key),
    resource: (key) => resourceMap.get(key),
    either: (key) => spanMap.get(key) ?? resourceMap.get(key),
  };
}

/** An attribute list as a map; of repeated keys (invalid OTLP) the first wins, as the SDKs keep it. */
export function toMap(attributes: readonly KeyValue[]): Map<string, AttributeValue> {
  const map = new Map<string, AttributeValue>();
  for (const { key, value } of attributes) {
    const scalar = scalarOf(value);
    if (scalar !== undefined && !map.has(key)) map.set(key, scalar);
  }
  return map;
}

function scalarOf(value: AnyValue | undefined): AttributeValue | undefined {
  switch (value?.value.case) {
    case "stringValue":
    case "intValue":
    case "doubleValue":
    case "boolValue":
      return value.value.value;
    default:
      return undefined;
  }
}

/** A text attribute: strings as they are, numbers and booleans in their usual spelling. */
export function textOf(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return String(value);
}

/**
 * A count attribute (tokens, an HTTP status). Instrumentations send integers, but some send a
 * double or a numeric string; anything else is reported as not a whole number, not guessed at.
 */
export function wholeNumberOf(value: AttributeValue | undefined): bigint | "invalid" | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : "invalid";
  if (typeof value === "string" && /^-?\d{1,18}$/.test(value.trim())) return BigInt(value.trim());
  return "invalid";
}
