const encoder = new TextEncoder();

/** A string cut to a byte budget, with what is needed to say that it was cut. */
export interface TruncatedText {
  text: string;
  /** Whether `text` is shorter than the input. */
  truncated: boolean;
  /** The UTF-8 byte length of the input. */
  bytes: number;
}

/**
 * Cuts `value` to at most `maxBytes` bytes of UTF-8, never inside a character.
 *
 * `TextEncoder.encodeInto` stops before the first character that does not fit whole, so the cut
 * lands on a character boundary without scanning for continuation bytes, and a megabyte-long
 * input is never encoded in full (only its length is measured). A surrogate pair is one 4-byte
 * character and is kept or dropped whole.
 */
export function truncateUtf8(value: string, maxBytes: number): TruncatedText {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes <= maxBytes) return { text: value, truncated: false, bytes };
  const { read } = encoder.encodeInto(value, new Uint8Array(maxBytes));
  return { text: value.slice(0, read), truncated: true, bytes };
}
