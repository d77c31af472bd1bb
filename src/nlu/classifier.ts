// Intent classifier on natural's naive Bayes. natural learns the counts; we score in log space
// and normalise, because natural's own scores are unnormalised products that underflow and tie
// (a question of unknown words would get natural's first-trained label). Usable on any labelled
// utterances, not only codebot's intents.

import { newBayes, type NaturalBayes } from '../text/natural.js';

export interface Example {
  text: string;
  label: string;
}

export interface Ranked {
  label: string;
  /** Posterior probability after normalisation, 0..1. */
  p: number;
}

export interface Classification {
  /** Best label, or null when nothing in the text was seen in training. */
  label: string | null;
  /** 0..1: the top posterior, scaled down when few known tokens back it. */
  confidence: number;
  ranked: Ranked[];
  /** How many of the text's features occur in training. */
  known: number;
}

export type Featurizer = (text: string) => string[];

export interface ClassifierOptions {
  featurize: Featurizer;
  /** Additive smoothing for unseen feature counts (natural's default is 1). */
  smoothing?: number;
  /** Divides log scores before normalising: naive Bayes is over-confident as features multiply. */
  temperature?: number;
}

export class IntentClassifier {
  private readonly bayes: NaturalBayes;
  private readonly featurize: Featurizer;
  private readonly temperature: number;
  private index = new Map<string, number>();
  private labels: string[] = [];
  private logPrior = new Map<string, number>();

  constructor(opts: ClassifierOptions) {
    this.featurize = opts.featurize;
    this.bayes = newBayes(opts.smoothing ?? 0.5);
    this.temperature = opts.temperature ?? 3;
  }

  static train(examples: Example[], opts: ClassifierOptions): IntentClassifier {
    const c = new IntentClassifier(opts);
    for (const e of examples) {
      const f = [...new Set(c.featurize(e.text))];
      if (f.length > 0) c.bayes.addDocument(f, e.label);
    }
    c.bayes.train();
    c.index = new Map(Object.keys(c.bayes.features).map((f, i) => [f, i]));
    const model = c.bayes.classifier;
    // Sorted so that ties break the same way whatever order the training files were read in.
    c.labels = Object.keys(model.classFeatures).sort();
    for (const l of c.labels) c.logPrior.set(l, Math.log(model.classTotals[l]! / model.totalExamples));
    return c;
  }

  get intents(): readonly string[] {
    return this.labels;
  }

  classify(text: string): Classification {
    const feats = [...new Set(this.featurize(text))].filter((f) => this.index.has(f));
    if (feats.length === 0 || this.labels.length === 0) {
      return { label: null, confidence: 0, ranked: this.labels.map((label) => ({ label, p: 0 })), known: 0 };
    }
    const model = this.bayes.classifier;
    const scores = this.labels.map((label) => {
      const counts = model.classFeatures[label]!;
      const total = model.classTotals[label]!;
      let s = this.logPrior.get(label)!;
      for (const f of feats) s += Math.log((counts[this.index.get(f)!] ?? model.smoothing) / total);
      return { label, s: s / this.temperature };
    });
    const max = Math.max(...scores.map((x) => x.s));
    const z = scores.reduce((acc, x) => acc + Math.exp(x.s - max), 0);
    const ranked = scores
      .map((x) => ({ label: x.label, p: Math.exp(x.s - max) / z }))
      .sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
    const top = ranked[0]!;
    // One known word is thin evidence however lopsided the posterior looks.
    const support = Math.min(1, 0.5 + 0.25 * feats.length);
    return { label: top.label, confidence: round(top.p * support), ranked: ranked.map((r) => ({ ...r, p: round(r.p) })), known: feats.length };
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
