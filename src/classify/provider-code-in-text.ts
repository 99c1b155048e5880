import { CODES_FOUND_IN_TEXT, type CodeMeaning } from "./provider-codes.js";

const needles: readonly (readonly [string, CodeMeaning])[] = CODES_FOUND_IN_TEXT.map((m) => [
  m.code.toLowerCase(),
  m,
]);

/**
 * The first known provider code that appears in already lower-cased free text: an SDK message such
 * as `An error occurred (ThrottlingException) when calling the InvokeModel operation`, a Python repr
 * of an error dict, or the prefix of a body too large to parse. Plain `includes`, so hostile text
 * costs one linear scan per code and nothing can backtrack.
 */
export function findProviderCodeInText(lowerText: string): CodeMeaning | undefined {
  if (lowerText.length === 0) return undefined;
  for (const [needle, meaning] of needles) {
    if (lowerText.includes(needle)) return meaning;
  }
  return undefined;
}
