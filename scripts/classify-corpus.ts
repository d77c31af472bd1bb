// npx tsx scripts/classify-corpus.ts --train TRAIN.json [--test TEST.json]
// Trains the classifier codebot uses (same features, same settings) on a corpus in the format of
// Braun et al. 2017 and prints one JSON line per test sentence: {text, expected, predicted, confidence}.
// With one file, its `training` flags split it; with two, every sentence of --train trains and
// every sentence of --test is tested, whatever its flag says.
import { parseArgs } from 'node:util';
import { loadCorpus, type Corpus } from '../src/eval/corpora.js';
import { IntentClassifier, type Example } from '../src/nlu/classifier.js';
import { features } from '../src/nlu/features.js';
import { CLASSIFIER_SETTINGS } from '../src/nlu/understand.js';

function fail(message: string): never {
  console.error(`classify-corpus: ${message}`);
  process.exit(2);
}

function read(file: string): Corpus {
  try {
    return loadCorpus(file);
  } catch (err) {
    fail((err as Error).message);
  }
}

const { values } = parseArgs({ options: { train: { type: 'string' }, test: { type: 'string' } } });
if (!values.train) fail('give --train FILE (and --test FILE, or a file whose sentences say "training": true|false)');
const trainFile = read(values.train);
const every = (c: Corpus): Example[] => c.sentences.map((s) => ({ text: s.text, label: s.intent }));
const train = values.test ? every(trainFile) : trainFile.train;
const test = values.test ? every(read(values.test)) : trainFile.test;
if (train.length === 0) fail(`${values.train}: no training sentences`);
if (test.length === 0) fail(`no test sentences (give --test FILE, or mark sentences "training": false)`);

const classifier = IntentClassifier.train(train, { featurize: (t) => features(t), ...CLASSIFIER_SETTINGS });
const out: string[] = [];
for (const e of test) {
  const r = classifier.classify(e.text);
  out.push(JSON.stringify({ text: e.text, expected: e.label, predicted: r.label, confidence: r.confidence }));
}
process.stdout.write(`${out.join('\n')}\n`);
