/**
 * Makes any string a protobuf or Connect JSON client can send storable in PostgreSQL.
 *
 * PostgreSQL `text` and `jsonb` reject the NUL character, and `jsonb` rejects lone UTF-16
 * surrogates (which Connect JSON's `\ud800` escapes can produce). Both are replaced with U+FFFD,
 * the same character a UTF-8 decoder substitutes for invalid bytes, so nothing a client puts in a
 * string field can make a write fail.
 */
export function storableText(value: string): string {
  const withoutNul = value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}
