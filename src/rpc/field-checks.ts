/**
 * The checks every RPC applies to the identifying strings of a request (ids, tenants, initiators,
 * providers, tokens). Identifiers are refused when wrong, never cut or cleaned: they are keys, and a
 * changed key would silently file data under another name.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// C0 controls and DEL: never meaningful in an identifier, and invisible in every UI.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True for a UUID in its 8-4-4-4-12 hex form, either case. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * What is wrong with a non-empty identifier, as a field violation's description, or undefined when
 * it is acceptable: at most `maxBytes` of UTF-8 and no control characters.
 */
export function identifierProblem(value: string, maxBytes: number): string | undefined {
  if (Buffer.byteLength(value) > maxBytes) return `must be at most ${maxBytes} bytes`;
  if (CONTROL.test(value)) return "must not contain control characters";
  return undefined;
}
