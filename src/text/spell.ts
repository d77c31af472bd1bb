// Typo repair for words nobody has taught us ("radiofrequncy", "metastasis" typed "metastsis"):
// the nearest known word within a small edit distance, or the word unchanged.

import { editDistance } from './natural.js';

export class Speller {
  private readonly counts = new Map<string, number>();
  private readonly byInitial = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  constructor(words: Iterable<string>) {
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
