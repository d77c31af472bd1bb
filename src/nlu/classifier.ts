// Intent classifier: multinomial logistic regression (softmax) over sparse features made with
// natural's tokenizer and stemmer (features.ts). Naive Bayes, which this replaces, was measured
// at 0.870 micro-F1 on the Braun et al. corpora; this model at 0.927 (see BENCHMARKS.md).
// Training is deterministic: zero weights, full-batch Adam for a fixed number of steps, features
// numbered in first-seen order, labels sorted. Usable on any labelled utterances: nothing here
// knows about codes or codebot's intents.

import { trainSoftmax, type Row } from './kernels.js';

export interface Example {
  text: string;
  label: string;
}

export interface Ranked {
  label: string;
  /** Probability from the softmax, 0..1, rounded to 4 places. */
  p: number;
}

export interface Classification {
  /** Best label, or null when nothing in the text was seen in training. */
  label: string | null;
  /** 0..1: the top probability. */
  confidence: number;
  ranked: Ranked[];
  /** How many of the text's features occur in training. */
  known: number;
}

/** Features of a text in named blocks ("w" words, "c" character n-grams ...); each block is weighted and normalised on its own. */
export type FeatureBlocks = Record<string, string[]>;
export type Featurizer = (text: string) => FeatureBlocks;

export interface ClassifierOptions {
  featurize: Featurizer;
  /** Weight of each block after normalising it to unit length (default 1 for any block not named). */
  weights?: Record<string, number>;
  /** Features seen in fewer training examples are dropped: one-off names generalise badly. */
  minCount?: number;
  steps?: number;
  /** Adam's step size. */
  rate?: number;
  /** L2 penalty on the weights (not the biases), per example. */
  l2?: number;
  /**
   * Scales each feature by how strongly it tells one intent from the rest, to this power: the
   * largest |log p(feature | intent) / p(feature | other intents)| over the intents (the naive
   * Bayes log-count ratio of Wang and Manning's NBSVM). 0 leaves tf-idf alone; a record gives each
   * block its own power (0 for a block it does not name).
   */
  nbPower?: number | Record<string, number>;
  /**
   * Each label's name, split into words ("FindConnection", "how_to_code": "find connection", "how to
   * code"), is one more example of it: names are chosen to say what the intent is, and cost nothing.
   */
  nameExamples?: boolean;
  /**
   * Divides the scores before the softmax at classify time. Regularised regression trained for few
   * steps is under-confident; a temperature below 1, fitted on held-out folds, makes its confidence
   * match how often it is right.
   */
  temperature?: number;
}

export const CLASSIFIER_DEFAULTS = { minCount: 2, steps: 80, rate: 0.3, l2: 0.0005 } as const;

type Vector = Row;

export class IntentClassifier {
  /** Feature numbers by block: the word "for" and the trigram "for" are not one feature. */
  private features = new Map<string, Map<string, number>>();
  private featureCount = 0;
  private idf = new Float64Array(0);
  private labels: string[] = [];
  /** Feature-major: w[feature * L + label], so one feature's weights are contiguous. */
  private w = new Float64Array(0);
  private b = new Float64Array(0);

  private constructor(private readonly opts: ClassifierOptions) {}

  get intents(): readonly string[] {
    return this.labels;
  }

  static train(given: readonly Example[], opts: ClassifierOptions): IntentClassifier {
    const c = new IntentClassifier(opts);
    const examples = opts.nameExamples ? [...given, ...[...new Set(given.map((e) => e.label))].sort().map((label) => ({ text: labelWords(label), label }))] : given;
    const minCount = opts.minCount ?? CLASSIFIER_DEFAULTS.minCount;
    const steps = opts.steps ?? CLASSIFIER_DEFAULTS.steps;
    const rate = opts.rate ?? CLASSIFIER_DEFAULTS.rate;
    const l2 = opts.l2 ?? CLASSIFIER_DEFAULTS.l2;
    c.labels = [...new Set(examples.map((e) => e.label))].sort();
    const labelOf = new Map(c.labels.map((l, i) => [l, i]));
    const n = examples.length;
    const L = c.labels.length;
    const y = examples.map((e) => labelOf.get(e.label)!);
    // Each example once as candidate ids: its distinct features per block, in the order written.
    // Everything below works on these numbers, not on strings (training runs at start-up).
    const candidateOf = new Map<string, Map<string, number>>();
    const featureOf: string[] = [];
    const df: number[] = [];
    const rowsByBlock = examples.map((e) =>
      Object.entries(opts.featurize(e.text)).map(([block, fs]) => {
        const ids = candidateOf.get(block) ?? candidateOf.set(block, new Map()).get(block)!;
        const row: number[] = [];
        for (const f of new Set(fs)) {
          let id = ids.get(f);
          if (id === undefined) {
            id = featureOf.length;
            ids.set(f, id);
            featureOf.push(f);
            df.push(0);
          }
          df[id]!++;
          row.push(id);
        }
        return { block, ids: row };
      }),
    );
    // Feature numbers in first-seen order; a feature in fewer than minCount examples gets none.
    const numberOf = new Int32Array(featureOf.length).fill(-1);
    const idf: number[] = [];
    for (const row of rowsByBlock) {
      for (const { block, ids } of row) {
        const numbers = c.features.get(block) ?? c.features.set(block, new Map()).get(block)!;
        for (const id of ids) {
          const d = df[id]!;
          if (d < minCount || numberOf[id] !== -1) continue;
          numberOf[id] = c.featureCount++;
          numbers.set(featureOf[id]!, numberOf[id]!);
          idf.push(Math.log((n + 1) / (d + 1)) + 1);
        }
      }
    }
    c.idf = Float64Array.from(idf);
    const numbered = rowsByBlock.map((row) =>
      row.map(({ block, ids }) => ({ block, numbers: ids.map((id) => numberOf[id]!).filter((i) => i >= 0) })),
    );
    if (opts.nbPower) c.scaleByLogCountRatio(numbered, y, opts.nbPower);
    // The same vectors vector() makes of a text: blocks by name, features in the order written.
    const rows = numbered.map((row) => c.vectorOf([...row].sort((x, z) => (x.block < z.block ? -1 : x.block > z.block ? 1 : 0))));
    const { w, b } = trainSoftmax({ rows, y, features: c.featureCount, labels: L, steps, rate, l2 });
    c.w = w;
    c.b = b;
    return c;
  }

  /** Multiplies each feature's idf by its naive Bayes log-count ratio (the largest over the intents) to `power`. */
  private scaleByLogCountRatio(rows: ReadonlyArray<ReadonlyArray<{ numbers: readonly number[] }>>, y: readonly number[], power: number | Record<string, number>): void {
    const L = this.labels.length;
    const F = this.featureCount;
    const withFeature = new Float64Array(F * L);
    const perLabel = new Float64Array(L);
    rows.forEach((row, r) => {
      const k = y[r]!;
      perLabel[k]!++;
      for (const { numbers } of row) for (const i of numbers) withFeature[i * L + k]!++;
    });
    const n = y.length;
    // The power for each feature, by its block (a number: the same for every block).
    const powerOf = new Float64Array(F);
    for (const [name, numbers] of this.features) {
      const p = typeof power === 'number' ? power : (power[name] ?? 0);
      for (const i of numbers.values()) powerOf[i] = p;
    }
    for (let i = 0; i < F; i++) {
      let total = 0;
      for (let k = 0; k < L; k++) total += withFeature[i * L + k]!;
      let ratio = 0;
      for (let k = 0; k < L; k++) {
        // Add-half smoothing: a feature seen only with one intent gets a large ratio, not an infinite one.
        const inside = (withFeature[i * L + k]! + 0.5) / (perLabel[k]! + 1);
        const outside = (total - withFeature[i * L + k]! + 0.5) / (n - perLabel[k]! + 1);
        ratio = Math.max(ratio, Math.abs(Math.log(inside / outside)));
      }
      this.idf[i] = this.idf[i]! * ratio ** powerOf[i]!;
    }
  }

  /** Known features of the text, tf-idf weighted, each block scaled to unit length times its weight. */
  private vector(fb: FeatureBlocks): Vector {
    const blocks: Array<{ block: string; numbers: number[] }> = [];
    for (const block of Object.keys(fb).sort()) {
      const known = this.features.get(block);
      if (!known) continue;
      const numbers: number[] = [];
      for (const f of new Set(fb[block])) {
        const i = known.get(f);
        if (i !== undefined) numbers.push(i);
      }
      blocks.push({ block, numbers });
    }
    return this.vectorOf(blocks);
  }

  /** The vector of numbered features, blocks in name order, each feature once (training's rows are numbered already). */
  private vectorOf(blocks: ReadonlyArray<{ block: string; numbers: readonly number[] }>): Vector {
    const idx: number[] = [];
    const val: number[] = [];
    for (const { block, numbers } of blocks) {
      const start = idx.length;
      let norm = 0;
      for (const i of numbers) {
        idx.push(i);
        val.push(this.idf[i]!);
        norm += this.idf[i]! ** 2;
      }
      const scale = (this.opts.weights?.[block] ?? 1) / (Math.sqrt(norm) || 1);
      for (let j = start; j < val.length; j++) val[j]! *= scale;
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val) };
  }

  /** `temperature` overrides the trained-with one (to fit it on held-out data). */
  classify(text: string, temperature = this.opts.temperature ?? 1): Classification {
    const L = this.labels.length;
    const v = this.vector(this.opts.featurize(text));
    if (v.idx.length === 0 || L === 0) {
      return { label: null, confidence: 0, ranked: this.labels.map((label) => ({ label, p: 0 })), known: 0 };
    }
    const p = new Float64Array(L);
    scores(this.w, this.b, v.idx, v.val, L, p);
    for (let k = 0; k < L; k++) p[k]! /= temperature;
    softmax(p);
    const ranked = this.labels
      .map((label, k) => ({ label, p: round(p[k]!) }))
      // Sorted labels break ties, so the answer never depends on training file order.
      .sort((a, c) => c.p - a.p || (a.label < c.label ? -1 : 1));
    return { label: ranked[0]!.label, confidence: ranked[0]!.p, ranked, known: v.idx.length };
  }
}

/** out[k] = b[k] + sum over the row's features of w[feature, k] * value (the kernel's sums, in its order). */
function scores(w: Float64Array, b: Float64Array, idx: Int32Array, val: Float64Array, L: number, out: Float64Array): void {
  for (let k = 0; k < L; k++) {
    let s = b[k]!;
    for (let j = 0; j < idx.length; j++) s += w[idx[j]! * L + k]! * val[j]!;
    out[k] = s;
  }
}

function softmax(p: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < p.length; k++) if (p[k]! > max) max = p[k]!;
  let z = 0;
  for (let k = 0; k < p.length; k++) {
    p[k] = Math.exp(p[k]! - max);
    z += p[k]!;
  }
  for (let k = 0; k < p.length; k++) p[k]! /= z;
}

/** "FindConnection", "how_to_code", "Make Update" -> "find connection", "how to code", "make update". */
export function labelWords(label: string): string {
  return label
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-\s]+/g, ' ')
    .trim()
    .toLowerCase();
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
