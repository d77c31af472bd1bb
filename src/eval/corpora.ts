// The public NLU benchmark corpora of Braun et al. 2017 (Chatbot, AskUbuntu, WebApplications),
// with their own train/test split, and micro-F1 as the paper scores intents.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Example } from '../nlu/classifier.js';

/** A corpus file; `training` splits it, and a file given only for testing may leave it out. */
export const CorpusSchema = z.object({
  name: z.string().optional(),
  sentences: z.array(z.object({ text: z.string(), intent: z.string().min(1), training: z.boolean().optional() })).min(1),
});
export type Sentence = z.infer<typeof CorpusSchema>['sentences'][number];

export interface Corpus {
  name: string;
  /** Every sentence, in file order, with its training flag if it has one. */
  sentences: Sentence[];
  train: Example[];
  test: Example[];
}

/** Reads and validates a corpus; errors name the file and the field. */
export function loadCorpus(file: string): Corpus {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = CorpusSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const c = parsed.data;
  const ex = (s: Sentence): Example => ({ text: s.text, label: s.intent });
  return {
    name: c.name ?? path.basename(file, '.json'),
    sentences: c.sentences,
    train: c.sentences.filter((s) => s.training === true).map(ex),
    test: c.sentences.filter((s) => s.training === false).map(ex),
  };
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
