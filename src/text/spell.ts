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
    if (word.length < 5 || this.counts.has(word) || !/^[a-z]+$/.test(word)) return word;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    const max = word.length >= 8 ? 2 : 1;
    let best = word;
    let bestDistance = max + 1;
    let bestCount = 0;
    // Typos seldom change the first letter; comparing within it keeps this fast.
    for (const cand of this.byInitial.get(word[0]!) ?? []) {
      if (Math.abs(cand.length - word.length) > max || cand.length < 4) continue;
      const d = editDistance(word, cand);
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
