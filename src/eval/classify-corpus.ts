// The classifier on a corpus in the format of Braun et al. 2017, for scripts/classify-corpus.ts:
// trains the classifier codebot uses (same features, same settings) and gives one JSON line per
// test sentence: {text, expected, predicted, confidence}. With one file, its `training` flags split
// it; with two, every sentence of --train trains and every sentence of --test is tested.
import { parseArgs } from 'node:util';
import { IntentClassifier, type Example } from '../nlu/classifier.js';
import { features } from '../nlu/features.js';
import { CLASSIFIER_SETTINGS } from '../nlu/understand.js';
import { loadCorpus, type Corpus } from './corpora.js';

export interface CorpusIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class Refused extends Error {}

/** Returns the exit code: 0, or 2 with the reason on stderr. */
export function classifyCorpus(argv: string[], io: CorpusIo): number {
  try {
    let values: { train?: string; test?: string };
    try {
      values = parseArgs({ args: argv, options: { train: { type: 'string' }, test: { type: 'string' } } }).values;
    } catch (err) {
      throw new Refused((err as Error).message);
    }
    if (!values.train) throw new Refused('give --train FILE (and --test FILE, or a file whose sentences say "training": true|false)');
    const read = (file: string): Corpus => {
      try {
        return loadCorpus(file);
      } catch (err) {
        throw new Refused((err as Error).message);
      }
    };
    const trainFile = read(values.train);
    const every = (c: Corpus): Example[] => c.sentences.map((s) => ({ text: s.text, label: s.intent }));
    const train = values.test ? every(trainFile) : trainFile.train;
    const test = values.test ? every(read(values.test)) : trainFile.test;
    if (train.length === 0) throw new Refused(`${values.train}: no training sentences`);
    if (test.length === 0) throw new Refused('no test sentences (give --test FILE, or mark sentences "training": false)');
    const classifier = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
    const out = test.map((e) => {
      const r = classifier.classify(e.text);
      return JSON.stringify({ text: e.text, expected: e.label, predicted: r.label, confidence: r.confidence });
    });
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    io.stderr.write(`classify-corpus: ${err.message}\n`);
    return 2;
  }
}
