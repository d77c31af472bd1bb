// Typo repair for words nobody has taught us ("radiofrequncy", "metastasis" typed "metastsis"):
// the nearest known word within a small edit distance, or the word unchanged.

import { ADJECTIVES_AND_ADVERBS, NOUNS_AND_VERBS } from './english-words.js';
import { editDistance } from './natural.js';

let english: { nv: Set<string>; other: Set<string> } | undefined;

/** English's regular inflections of a noun or verb ("wrap": "wraps", "wrapped", "wrapping"). */
function nounVerbForms(base: string): string[] {
  const out = [/(?:s|x|z|ch|sh)$/.test(base) ? `${base}es` : /[^aeiou]y$/.test(base) ? `${base.slice(0, -1)}ies` : `${base}s`];
  if (base.endsWith('e')) out.push(`${base}d`, `${base.slice(0, -1)}ing`);
  else if (/[^aeiou]y$/.test(base)) out.push(`${base.slice(0, -1)}ied`, `${base}ing`);
  else {
    // A short word ending consonant-vowel-consonant doubles the consonant; a longer one may not ("visited").
    const doubles = /[^aeiou][aeiou][^aeiouwxy]$/.test(base);
    if (doubles) out.push(`${base}${base.at(-1)}ed`, `${base}${base.at(-1)}ing`);
    if (!doubles || base.length > 4) out.push(`${base}ed`, `${base}ing`);
  }
  return out;
}

/** ... and of an adjective or adverb ("quick": "quicker", "quickest", "quickly"). */
function adjectiveForms(base: string): string[] {
  if (/[^aeiou]y$/.test(base)) return [`${base.slice(0, -1)}ier`, `${base.slice(0, -1)}iest`, `${base.slice(0, -1)}ily`];
  if (base.endsWith('e')) return [`${base}r`, `${base}st`, base.endsWith('le') ? `${base.slice(0, -1)}y` : `${base}ly`];
  return [`${base}er`, `${base}est`, `${base}ly`];
}

/** Where an inflected word's base may end, by its last letters: "wrapping" may be "wrap" or "wrapp". */
function bases(word: string): string[] {
  const out: string[] = [];
  for (const end of ['s', 'es', 'ies', 'd', 'ed', 'ied', 'ing', 'r', 'er', 'ier', 'st', 'est', 'iest', 'ly', 'ily', 'y']) {
    if (!word.endsWith(end) || word.length - end.length < 3) continue;
    const stem = word.slice(0, -end.length);
    out.push(stem, `${stem}e`, `${stem}y`, stem.slice(0, -1), `${stem}le`);
  }
  return out;
}

/** An everyday English word, or a regular inflection of one ("concerns"; not "vains", "wraping"): src/text/english-words.ts. */
export function isEnglish(word: string): boolean {
  english ??= { nv: new Set(NOUNS_AND_VERBS.split(' ')), other: new Set(ADJECTIVES_AND_ADVERBS.split(' ')) };
  const { nv, other } = english;
  if (nv.has(word) || other.has(word)) return true;
  return bases(word).some((b) => (nv.has(b) && nounVerbForms(b).includes(word)) || (other.has(b) && adjectiveForms(b).includes(word)));
}

export class Speller {
  private readonly counts = new Map<string, number>();
  private readonly byInitial = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  /** `keep`: words that are no typos though nobody taught them to us (everyday English). */
  constructor(
    words: Iterable<string>,
    private readonly keep: (word: string) => boolean = () => false,
  ) {
    for (const w of words) {
      if (!/^[a-z]+$/.test(w)) continue;
      this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
    }
    for (const w of [...this.counts.keys()].sort()) {
      const list = this.byInitial.get(w[0]!) ?? [];
      list.push(w);
      this.byInitial.set(w[0]!, list);
    }
  }

  get size(): number {
    return this.counts.size;
  }

  /** The word, or the known word it is most likely a typo of. */
  correct(word: string): string {
    if (word.length < 4 || this.counts.has(word) || !/^[a-z]+$/.test(word)) return word;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    // A real word is not a typo: "concerns" is not "cancers", "rejection" not "resection".
    if (this.keep(word)) {
      if (this.cache.size < 10_000) this.cache.set(word, word);
      return word;
    }
    // Four letters are too few for any edit but two neighbours swapped ("cdoe"): one letter off is
    // as likely another word or an abbreviation.
    if (word.length === 4) {
      let best = word;
      let bestCount = 0;
      for (let i = 0; i + 1 < 4; i++) {
        const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
        const count = this.counts.get(swapped) ?? 0;
        if (count > bestCount) {
          best = swapped;
          bestCount = count;
        }
      }
      if (this.cache.size < 10_000) this.cache.set(word, best);
      return best;
    }
    const max = word.length >= 8 ? 2 : 1;
    const letters = letterCounts(word);
    let best = word;
    let bestDistance = max + 1;
    let bestCount = 0;
    // Typos seldom change the first letter; comparing within it keeps this fast.
    for (const cand of this.byInitial.get(word[0]!) ?? []) {
      const apart = lettersApart(letters, cand);
      if (Math.abs(cand.length - word.length) > max || cand.length < 4 || apart > max) continue;
      const d = editDistance(word, cand);
      // Two letters changed for two others is another word, not a typo ("sterilisation" is not
      // "stabilisation"); a slip drops, adds, swaps or mistypes one.
      if (d === 2 && apart === 2 && cand.length === word.length) continue;
      const count = this.counts.get(cand)!;
      if (d < bestDistance || (d === bestDistance && count > bestCount)) {
        best = cand;
        bestDistance = d;
        bestCount = count;
      }
    }
    const out = bestDistance <= max ? best : word;
    if (this.cache.size < 10_000) this.cache.set(word, out);
    return out;
  }
}

const scratch = new Int16Array(26);

function letterCounts(word: string): Int16Array {
  const counts = new Int16Array(26);
  for (let i = 0; i < word.length; i++) counts[word.charCodeAt(i) - 97]!++;
  return counts;
}

/**
 * How many letters one word has that the other lacks (the larger side): no edit, swap included,
 * changes that by more than one, so it never exceeds the true edit distance. It is cheap, and spares
 * most candidates the full distance (a cold start spent tens of milliseconds there). natural's
 * Damerau-Levenshtein undercounts a few pairs ("oferdd", "offered": 1); those are no longer taken.
 */
function lettersApart(counts: Int16Array, cand: string): number {
  scratch.set(counts);
  let onlyInCand = 0;
  for (let i = 0; i < cand.length; i++) {
    const c = cand.charCodeAt(i) - 97;
    if (scratch[c]! > 0) scratch[c]!--;
    else onlyInCand++;
  }
  let onlyInWord = 0;
  for (let c = 0; c < 26; c++) onlyInWord += scratch[c]!;
  return Math.max(onlyInCand, onlyInWord);
}
