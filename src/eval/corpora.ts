// The public NLU benchmark corpora of Braun et al. 2017 (Chatbot, AskUbuntu, WebApplications),
// with their own train/test split, and micro-F1 as the paper scores intents.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Example } from '../nlu/classifier.js';

export const CorpusSchema = z.object({
  name: z.string(),
  sentences: z.array(z.object({ text: z.string(), intent: z.string(), training: z.boolean() })).min(1),
});

export interface Corpus {
  name: string;
  train: Example[];
  test: Example[];
}

export function loadCorpus(file: string): Corpus {
  const parsed = CorpusSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const c = parsed.data;
  const ex = (s: { text: string; intent: string }) => ({ text: s.text, label: s.intent });
  return { name: c.name, train: c.sentences.filter((s) => s.training).map(ex), test: c.sentences.filter((s) => !s.training).map(ex) };
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Adds one prediction to the counts: a wrong label is a false positive and a false negative; no label, a false negative. */
export function count(c: Counts, expected: string, predicted: string | null): void {
  if (predicted === expected) c.tp++;
  else {
    c.fn++;
    if (predicted !== null) c.fp++;
  }
}

/** Micro-averaged F1 over every intent: TP / (TP + (FP + FN) / 2). */
export function microF1(c: Counts): number {
  const d = c.tp + (c.fp + c.fn) / 2;
  return d === 0 ? 0 : c.tp / d;
}
