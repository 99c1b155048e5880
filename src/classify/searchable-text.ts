/**
 * Lower-cased text read once for every phrase rule at the same time. The classifier asks up to ten
 * phrase lists about one text (decisive phrases, codes in text, transport codes, ...); rather than
 * walk the text's words once per list, `searchableText` walks them once, looks each word up in one
 * table of the first words of every list's phrases, and keeps for each list the earliest-listed
 * phrase it found. Asking a list afterwards costs an array read.
 */
export interface SearchableText {
  readonly lower: string;
  /**
   * For each PhraseMatcher, by its id, the rank of the earliest-listed phrase found, or NOT_FOUND.
   * Covers the matchers that existed when the text was read; see PhraseMatcher.find for later ones.
   */
  readonly found: readonly number[];
}

const NOT_FOUND = 0x7fffffff;

// Enough words for any real error message; a megabyte of prose is not read past this.
const MAX_WORDS = 8192;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash `searchableText` gives a word (32-bit FNV-1a over its char codes). */
function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** One phrase of one matcher, filed under its first word. */
interface Candidate {
  readonly phrase: string;
  /** Whether the phrase has a space, which may stand for any run of white space in the text. */
  readonly spaced: boolean;
  readonly firstWordLength: number;
  readonly matcher: number;
  readonly rank: number;
}

/**
 * Every matcher's phrases by the hash of their first word, in an open-addressing table: a word
 * that begins no phrase, which is nearly every word, costs one probe of a typed array and no
 * allocation.
 */
interface PhraseIndex {
  readonly matchers: number;
  readonly mask: number;
  /** Per slot, the first-word hash stored there. */
  readonly slotHashes: Int32Array;
  /** Per slot, 1 + the index of its bucket in `buckets`; 0 for an empty slot. */
  readonly slotBuckets: Int32Array;
  readonly buckets: readonly (readonly Candidate[])[];
  /** Shortest and longest first word of any phrase: other words are not looked up. */
  readonly minLength: number;
  readonly maxLength: number;
  /**
   * `found` before any word is read, copied per text: a plain array of small integers is cheaper
   * to copy than a typed array is to allocate.
   */
  readonly nothingFound: readonly number[];
  /** What every empty text reads as, shared: many failures have no message or body. */
  readonly empty: SearchableText;
}

// Every matcher ever built, by id. Matchers are module constants of the rule files, built once at
// import; the index over them is rebuilt only when one is added.
const registry: { readonly phrases: readonly string[] }[] = [];
let index: PhraseIndex | undefined;

function buildIndex(): PhraseIndex {
  const byHash = new Map<number, Candidate[]>();
  let minLength = Number.MAX_SAFE_INTEGER;
  let maxLength = 0;
  registry.forEach(({ phrases }, matcher) => {
    phrases.forEach((phrase, rank) => {
      const firstWord = /^[a-z0-9_]+/.exec(phrase)?.[0] ?? phrase;
      const key = wordHash(firstWord);
      const bucket = byHash.get(key) ?? [];
      bucket.push({ phrase, spaced: phrase.includes(" "), firstWordLength: firstWord.length, matcher, rank });
      byHash.set(key, bucket);
      minLength = Math.min(minLength, firstWord.length);
      maxLength = Math.max(maxLength, firstWord.length);
    });
  });
  // At most one slot in eight taken, so a miss nearly always ends at the first probe.
  let size = 16;
  while (size < byHash.size * 8) size *= 2;
  const mask = size - 1;
  const slotHashes = new Int32Array(size);
  const slotBuckets = new Int32Array(size);
  const buckets: Candidate[][] = [];
  for (const [hash, bucket] of byHash) {
    let slot = hash & mask;
    while (slotBuckets[slot] !== 0) slot = (slot + 1) & mask;
    buckets.push(bucket);
    slotHashes[slot] = hash;
    slotBuckets[slot] = buckets.length;
  }
  const nothingFound = registry.map(() => NOT_FOUND);
  const empty = { lower: "", found: nothingFound };
  return { matchers: registry.length, mask, slotHashes, slotBuckets, buckets, minLength, maxLength, nothingFound, empty };
}

/**
 * Splits already lower-cased text into words (runs of `[a-z0-9_]`) and matches every phrase list
 * against it in the same pass. Linear, allocates only the result, and never backtracks.
 */
export function searchableText(lower: string): SearchableText {
  if (index === undefined || index.matchers !== registry.length) index = buildIndex();
  if (lower.length === 0) return index.empty;
  const { mask, slotHashes, slotBuckets, buckets, minLength, maxLength } = index;
  const found = index.nothingFound.slice();
  // Only wrapped text can hold a phrase whose spaces are line breaks or runs: one native scan spares
  // the rest the slower comparison.
  const wrapped = isWrapped(lower);
  let words = 0;
  let start = -1;
  let hash = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if (isWordChar(c)) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ c, FNV_PRIME);
    } else if (start >= 0) {
      const length = i - start;
      if (length >= minLength && length <= maxLength) {
        let slot = hash & mask;
        let bucket = slotBuckets[slot]!;
        while (bucket !== 0 && slotHashes[slot] !== hash) {
          slot = (slot + 1) & mask;
          bucket = slotBuckets[slot]!;
        }
        if (bucket !== 0) matchAt(lower, start, length, buckets[bucket - 1]!, found, wrapped);
      }
      start = -1;
      if (++words >= MAX_WORDS) break;
    }
  }
  return { lower, found };
}

/** Whether a log or terminal wrapped the text: a line break, a tab or a doubled space in it. */
export function isWrapped(text: string): boolean {
  return WRAPPED.test(text);
}

const WRAPPED = /[\n\r\t]| {2}/;

function matchAt(lower: string, start: number, length: number, bucket: readonly Candidate[], found: number[], wrapped: boolean) {
  for (const candidate of bucket) {
    if (
      candidate.rank < found[candidate.matcher]! &&
      candidate.firstWordLength === length &&
      (lower.startsWith(candidate.phrase, start) || (wrapped && candidate.spaced && spacedPhraseAt(lower, start, candidate.phrase)))
    ) {
      found[candidate.matcher] = candidate.rank;
    }
  }
}

/**
 * Whether `phrase` occurs at `start` with each of its spaces standing for a run of white space: logs
 * and terminals wrap messages ("Please try\nagain in 1.98s", Bedrock's "included in the request  is
 * expired" as Claude Code prints it), which says nothing about the failure. Reads each character of
 * the text once.
 */
function spacedPhraseAt(lower: string, start: number, phrase: string): boolean {
  let at = start;
  for (let i = 0; i < phrase.length; i++) {
    const p = phrase.charCodeAt(i);
    if (p !== 0x20) {
      if (lower.charCodeAt(at) !== p) return false;
      at++;
      continue;
    }
    if (!isWhiteSpace(lower.charCodeAt(at))) return false;
    do at++;
    while (at < lower.length && isWhiteSpace(lower.charCodeAt(at)));
  }
  return true;
}

function isWhiteSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Finds which of a list of lower-case phrases occurs in a text, the earliest-listed phrase winning.
 * The search itself happens in `searchableText`, for all matchers at once: the cost grows with the
 * text, not with the number of phrases or of lists, and nothing backtracks. A phrase matches only
 * where a whole word starts ("per day" matches "tokens per day", not "super day"); its last word
 * may run on ("no valid api key" matches "keys"), and a space in it matches a line break or several
 * spaces, as wrapped logs print them.
 */
export class PhraseMatcher<T> {
  private readonly id: number;
  private readonly values: readonly T[];

  constructor(entries: readonly (readonly [phrase: string, value: T])[]) {
    this.values = entries.map(([, value]) => value);
    this.id = registry.length;
    registry.push({ phrases: entries.map(([phrase]) => phrase) });
  }

  /** The value of the earliest-listed phrase found in the text, if any. */
  find(text: SearchableText): T | undefined {
    // A text read before this matcher existed is read again; only a matcher built after the first
    // classification (none in this codebase) ever pays for that.
    if (this.id >= text.found.length) return this.find(searchableText(text.lower));
    const rank = text.found[this.id]!;
    return rank === NOT_FOUND ? undefined : this.values[rank];
  }
}

/** Whether a char code of lower-cased text is part of a word: `[a-z0-9_]`, as the scan splits words. */
export function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * A phrase that counts only where it stands in a certain place, such as a message of its own
 * (Chromium's "Failed to fetch", Anthropic's "Overloaded") and not inside an app's sentence. Found
 * in the one pass like any phrase; only a text that has it is read again, at its first few
 * occurrences, each asked of `standsAt` with where it starts and ends.
 */
export class PlacedPhrase {
  private readonly matcher: PhraseMatcher<true>;

  constructor(
    private readonly phrase: string,
    private readonly standsAt: (lower: string, start: number, end: number) => boolean,
  ) {
    this.matcher = new PhraseMatcher([[phrase, true]]);
  }

  /** Whether one of the phrase's first four occurrences in the text stands where it must. */
  in(text: SearchableText): boolean {
    if (this.matcher.find(text) !== true) return false;
    const lower = text.lower;
    let at = lower.indexOf(this.phrase);
    for (let seen = 0; at >= 0 && seen < 4; seen++) {
      const end = at + this.phrase.length;
      if (this.standsAt(lower, at, end)) return true;
      at = lower.indexOf(this.phrase, end);
    }
    return false;
  }
}
