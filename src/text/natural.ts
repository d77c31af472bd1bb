// The only module that loads `natural`. Its package entry point reads ./.env, prints to stdout
// and pulls in database clients, so we load just the submodules we use, by path.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface PorterStemmer {
  stem(token: string): string;
}

/** natural's Bayes classifier as we use it: token arrays in, raw counts read back for scoring. */
export interface NaturalBayes {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  /** Learned counts; read to score in log space, as natural's own scores underflow. */
  classifier: {
    classFeatures: Record<string, Record<string, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
  features: Record<string, number>;
}

// natural ships CommonJS without types for these deep paths; the interfaces above are what we use.
const stemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as PorterStemmer;
const BayesClassifier = require('natural/lib/natural/classifiers/bayes_classifier.js') as new (
  stemmer?: unknown,
  smoothing?: number,
) => NaturalBayes;

const distance = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance(a: string, b: string): number;
};

/** Edits (insert, delete, substitute, swap neighbours) between two words. */
export function editDistance(a: string, b: string): number {
  return distance.DamerauLevenshteinDistance(a, b);
}

const stemCache = new Map<string, string>();

export function stem(token: string): string {
  let s = stemCache.get(token);
  if (s === undefined) {
    s = /^[a-z]+$/.test(token) ? stemmer.stem(token) : token;
    if (stemCache.size < 50_000) stemCache.set(token, s);
  }
  return s;
}

export function newBayes(smoothing: number): NaturalBayes {
  return new BayesClassifier(undefined, smoothing);
}
