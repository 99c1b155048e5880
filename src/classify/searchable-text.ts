/**
 * Lower-cased text split once into words (runs of `[a-z0-9_]`), so every phrase rule looks words up
 * instead of rescanning the text. Words are kept as offsets and a hash, not substrings: a
 * classification allocates nothing per word.
 */
export interface SearchableText {
  readonly lower: string;
  /** Start offset of each word. */
  readonly starts: readonly number[];
  /** Length of each word. */
  readonly lengths: readonly number[];
  /** `wordHash` of each word. */
  readonly hashes: readonly number[];
}

// Enough words for any real error message; a megabyte of prose is not read past this.
const MAX_WORDS = 8192;

/** Splits already lower-cased text into words. Linear, and never backtracks. */
export function searchableText(lower: string): SearchableText {
  const starts: number[] = [];
  const lengths: number[] = [];
  const hashes: number[] = [];
  let start = -1;
  let hash = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f /* a-z 0-9 _ */) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ c, FNV_PRIME);
    } else if (start >= 0) {
      starts.push(start);
      lengths.push(i - start);
      hashes.push(hash);
      start = -1;
      if (starts.length >= MAX_WORDS) break;
    }
  }
  return { lower, starts, lengths, hashes };
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash `searchableText` gives a word (32-bit FNV-1a over its char codes). */
function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash;
}

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

  // The last text searched and its answer: several rules ask the same matcher about the same text
  // in one classification (the code table's text search decides the type, then the code).
  private lastText: SearchableText | undefined;
  private lastFound: T | undefined;

  /** The value of the earliest-listed phrase found in the text, if any. */
  find(text: SearchableText): T | undefined {
    if (text === this.lastText) return this.lastFound;
    const found = this.search(text);
    this.lastText = text;
    this.lastFound = found;
    return found;
  }

  private search(text: SearchableText): T | undefined {
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
