// Seeded shuffles for the measuring scripts: the same seed draws the same splits on every run, so
// a figure moves only when the code or the data does.

import { IntentClassifier, type ClassifierOptions, type Example } from '../nlu/classifier.js';

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fold of each example for k-fold cross-validation. Seed 0 is file order (example i in fold i % k),
 * as `npm run eval` has always measured; any other seed shuffles first. Files keep the phrasings
 * of one kind together, so file order puts near twins in other folds: shuffles give the honest
 * spread.
 */
export function foldsOf(count: number, k: number, seed: number): number[] {
  if (seed === 0) return Array.from({ length: count }, (_, i) => i % k);
  const next = random(seed);
  const folds = new Array<number>(count).fill(0);
  Array.from({ length: count }, (_, i) => ({ i, r: next() }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .forEach(({ i }, rank) => (folds[i] = rank % k));
  return folds;
}

/** Share of examples labelled right by a classifier trained on the other folds. */
export function crossValidate(examples: readonly Example[], opts: ClassifierOptions, k: number, seed: number): number {
  const folds = foldsOf(examples.length, k, seed);
  let right = 0;
  for (let f = 0; f < k; f++) {
    const c = IntentClassifier.train(examples.filter((_, i) => folds[i] !== f), opts);
    examples.forEach((e, i) => {
      if (folds[i] === f && c.classify(e.text).label === e.label) right++;
    });
  }
  return right / examples.length;
}
