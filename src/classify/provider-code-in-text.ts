import { CODES_FOUND_IN_TEXT, type CodeMeaning } from "./provider-codes.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";

const matcher = new PhraseMatcher<CodeMeaning>(CODES_FOUND_IN_TEXT.map((m) => [m.code.toLowerCase(), m]));

/**
 * The known provider code found in free text, as a whole word: an SDK message such as `An error
 * occurred (ThrottlingException) when calling the InvokeModel operation`, a Python repr of an error
 * dict, or the head of a body too large to parse. When several appear, the code listed first in the
 * code table wins.
 */
export function findProviderCodeInText(text: SearchableText): CodeMeaning | undefined {
  return matcher.find(text);
}
