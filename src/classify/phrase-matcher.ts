import { wordHash, type SearchableText } from "./searchable-text.js";

interface Candidate<T> {
  readonly phrase: string;
  readonly firstWordLength: number;
  readonly rank: number;
  readonly value: T;
}

/**
 * Finds which of a list of lower-case phrases occurs in a text, the earliest-listed phrase winning.
 * Phrases are indexed by their first word, so a text is matched with one map lookup per word and a
 * `startsWith` only where a phrase could begin: the cost grows with the text, not with the number of
 * phrases, and nothing backtracks. A phrase matches only where a whole word starts ("per day"
 * matches "tokens per day", not "super day"); its last word may run on ("no valid api key" matches
 * "keys").
 */
export class PhraseMatcher<T> {
  private readonly byFirstWord = new Map<number, Candidate<T>[]>();

  constructor(entries: readonly (readonly [phrase: string, value: T])[]) {
    entries.forEach(([phrase, value], rank) => {
      const firstWord = /^[a-z0-9_]+/.exec(phrase)?.[0] ?? phrase;
      const key = wordHash(firstWord);
      const candidates = this.byFirstWord.get(key) ?? [];
      candidates.push({ phrase, firstWordLength: firstWord.length, rank, value });
      this.byFirstWord.set(key, candidates);
    });
  }

  /** The value of the earliest-listed phrase found in the text, if any. */
  find(text: SearchableText): T | undefined {
    let best: Candidate<T> | undefined;
    const { lower, starts, lengths, hashes } = text;
    for (let w = 0; w < hashes.length; w++) {
      const candidates = this.byFirstWord.get(hashes[w]!);
      if (candidates === undefined) continue;
      for (const candidate of candidates) {
        if (
          (best === undefined || candidate.rank < best.rank) &&
          candidate.firstWordLength === lengths[w] &&
          lower.startsWith(candidate.phrase, starts[w])
        ) {
          best = candidate;
        }
      }
    }
    return best?.value;
  }
}
